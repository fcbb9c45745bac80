"""Factories for the test suite. Territories go through the service so their tree path is real."""

from datetime import date
from itertools import count

import factory

from accounts.models import StaffRole, User
from accounts.services import staff_role_grant
from districts import services as district_services
from districts.models import AdministrativeUnit, Department

_slugs = count(1)


def make_unit(
    kind: str = AdministrativeUnit.Kind.DISTRICT,
    *,
    parent: AdministrativeUnit | None = None,
    name_kk: str | None = None,
    name_ru: str | None = None,
    kato: str | None = None,
    slug: str | None = None,
) -> AdministrativeUnit:
    n = next(_slugs)
    return district_services.unit_create(
        kind=kind,
        name_kk=name_kk or f"Аумақ {n}",
        name_ru=name_ru or f"Территория {n}",
        slug=slug or f"unit-{n}",
        parent=parent,
        kato=kato,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.kz")
    password = factory.django.Password("correct horse battery")


def make_staff(
    unit: AdministrativeUnit, role: str = StaffRole.Role.AKIMAT_STAFF, *, department: Department | None = None, **fields
) -> User:
    user = UserFactory(**fields)
    staff_role_grant(user=user, unit=unit, role=role, department=department)
    return user


def make_akim(
    unit: AdministrativeUnit,
    *,
    full_name_kk: str,
    full_name_ru: str = "",
    term_start: date = date(2024, 1, 1),
    term_end: date | None = None,
):
    return district_services.akim_create(
        unit=unit,
        full_name_kk=full_name_kk,
        full_name_ru=full_name_ru,
        mandate="appointed",
        term_start=term_start,
        term_end=term_end,
    )
