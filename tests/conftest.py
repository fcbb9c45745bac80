"""The fixed cast: territories of Almaty and Almaty region, and the personas who act in them."""

import warnings

import pytest
from django.core.cache import caches
from django.utils import translation

from accounts.models import StaffRole
from districts.models import AdministrativeUnit
from districts.services import department_create
from tests.factories import UserFactory, make_staff, make_unit

K = AdministrativeUnit.Kind


@pytest.fixture(autouse=True)
def _administrators_without_second_factor(settings):
    # Tests sign administrators in with force_login; tests/accounts/test_two_factor.py turns
    # the requirement back on and drives the real sign-in.
    settings.ADMIN_TWO_FACTOR_REQUIRED = False


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup, django_db_blocker):
    """At the end, name and close any other session still on the PostgreSQL test database.

    A subprocess or thread that outlives its test would otherwise make the database's teardown
    fail with "being accessed by other users" and say nothing of who it was.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        strays = cursor.fetchall()
        for pid, *_ in strays:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    if strays:
        warnings.warn(f"sessions left on the test database at the end: {strays}", stacklevel=1)


@pytest.fixture(autouse=True)
def _isolated_cache_and_language():
    for each in caches.all():  # the pages' cache and the limits' (core/ratelimit.py)
        each.clear()
    yield
    translation.activate("kk")
    for each in caches.all():  # the pages' cache and the limits' (core/ratelimit.py)
        each.clear()


@pytest.fixture
def almaty(db):
    return make_unit(K.REPUBLICAN_CITY, name_kk="Алматы", name_ru="Алматы", kato="750000000", slug="almaty")


@pytest.fixture
def almaly(almaty):
    return make_unit(
        K.DISTRICT,
        parent=almaty,
        name_kk="Алмалы ауданы",
        name_ru="Алмалинский район",
        kato="751110000",
        slug="almaty-almaly",
    )


@pytest.fixture
def medeu(almaty):
    return make_unit(
        K.DISTRICT,
        parent=almaty,
        name_kk="Медеу ауданы",
        name_ru="Медеуский район",
        kato="751710000",
        slug="almaty-medeu",
    )


@pytest.fixture
def almaty_region(db):
    return make_unit(
        K.REGION, name_kk="Алматы облысы", name_ru="Алматинская область", kato="190000000", slug="almaty-region"
    )


@pytest.fixture
def zhambyl(almaty_region):
    return make_unit(
        K.DISTRICT, parent=almaty_region, name_kk="Жамбыл ауданы", name_ru="Жамбылский район", slug="zhambyl"
    )


@pytest.fixture
def aksengir_okrug(zhambyl):
    return make_unit(
        K.RURAL_OKRUG,
        parent=zhambyl,
        name_kk="Ақсеңгір ауылдық округі",
        name_ru="Аксенгирский сельский округ",
        slug="aksengir-okrug",
    )


@pytest.fixture
def aksengir(aksengir_okrug):
    return make_unit(
        K.SETTLEMENT, parent=aksengir_okrug, name_kk="Ақсеңгір ауылы", name_ru="село Аксенгир", slug="aksengir"
    )


@pytest.fixture
def energy_department(almaty):
    return department_create(
        unit=almaty,
        name_kk="Энергетика және сумен жабдықтау басқармасы",
        name_ru="Управление энергетики и водоснабжения",
    )


@pytest.fixture
def resident(db):
    return UserFactory(username="resident")


@pytest.fixture
def almaly_staff(almaly):
    return make_staff(almaly, username="almaly.staff")


@pytest.fixture
def medeu_staff(medeu):
    return make_staff(medeu, username="medeu.staff")


@pytest.fixture
def almaty_staff(almaty):
    return make_staff(almaty, username="almaty.staff")


@pytest.fixture
def department_officer(energy_department):
    return make_staff(
        energy_department.unit,
        StaffRole.Role.DEPARTMENT_OFFICER,
        department=energy_department,
        username="energy.officer",
    )


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)
