import pytest
from django.core.exceptions import ValidationError

from districts.models import AdministrativeUnit
from districts.services import unit_create, unit_update
from tests.factories import make_unit

K = AdministrativeUnit.Kind


@pytest.mark.parametrize("bad", ["75111000", "7511100001", "75111000A", "７５１１１００００", "751 11000"])
def test_a_malformed_kato_is_refused_with_a_clear_message_and_nothing_is_saved(almaty, bad):
    with pytest.raises(ValidationError) as error:
        unit_create(kind=K.DISTRICT, parent=almaty, name_kk="Жаңа", name_ru="Новый", slug="new", kato=bad)
    assert "9 цифрдан" in str(error.value.message_dict["kato"])
    assert not AdministrativeUnit.objects.filter(slug="new").exists()


def test_a_duplicate_kato_is_refused(almaly, almaty):
    with pytest.raises(ValidationError) as error:
        unit_create(kind=K.DISTRICT, parent=almaty, name_kk="Х", name_ru="Х", slug="x", kato=almaly.kato)
    assert "kato" in error.value.message_dict
    assert AdministrativeUnit.objects.filter(kato=almaly.kato).count() == 1


def test_territories_without_kato_can_coexist(almaty):
    make_unit(K.DISTRICT, parent=almaty, kato=None)
    make_unit(K.DISTRICT, parent=almaty, kato="")
    assert AdministrativeUnit.objects.filter(kato__isnull=True).count() == 2


def test_kato_error_is_in_russian_when_russian_is_active(almaty, settings):
    from django.utils import translation

    with translation.override("ru"), pytest.raises(ValidationError) as error:
        unit_create(kind=K.DISTRICT, parent=almaty, name_kk="Х", name_ru="Х", slug="x", kato="12")
    assert "9 цифр" in str(error.value.message_dict["kato"])


def test_a_district_needs_a_region_or_city_above_it(aksengir_okrug):
    with pytest.raises(ValidationError) as error:
        unit_create(kind=K.DISTRICT, parent=aksengir_okrug, name_kk="Х", name_ru="Х", slug="x")
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        unit_create(kind=K.DISTRICT, parent=None, name_kk="Х", name_ru="Х", slug="y")
    assert not AdministrativeUnit.objects.filter(slug__in=["x", "y"]).exists()


def test_the_path_follows_the_tree(almaty, almaly):
    assert almaty.path == f"/{almaty.pk}/"
    assert almaly.path == f"/{almaty.pk}/{almaly.pk}/"
    assert (almaty.depth, almaly.depth) == (0, 1)
    assert almaly.ancestor_ids == [almaty.pk]


def test_moving_a_district_moves_its_whole_subtree(almaty, almaty_region, zhambyl, aksengir):
    unit_update(unit=zhambyl, parent=almaty)
    aksengir.refresh_from_db()
    assert aksengir.path == f"/{almaty.pk}/{zhambyl.pk}/{aksengir.parent_id}/{aksengir.pk}/"
    assert aksengir.depth == 3
    assert set(AdministrativeUnit.objects.within(almaty_region)) == {almaty_region}


def test_a_unit_cannot_move_under_its_own_subdivision(almaty_region, zhambyl, aksengir_okrug):
    with pytest.raises(ValidationError):
        unit_update(unit=zhambyl, parent=aksengir_okrug)
    zhambyl.refresh_from_db()
    assert zhambyl.parent == almaty_region
