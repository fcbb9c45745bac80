from datetime import date

import pytest
import time_machine

from districts.models import AdministrativeUnit
from districts.selectors import akim_current_for, units_within
from tests.factories import make_akim, make_unit

K = AdministrativeUnit.Kind


def test_a_subtree_holds_the_unit_and_its_descendants_only(almaty, almaly, medeu, almaty_region, aksengir):
    assert set(units_within(unit=almaty)) == {almaty, almaly, medeu}
    assert set(units_within(unit=almaly)) == {almaly}
    assert aksengir in set(units_within(unit=almaty_region))


def test_a_path_prefix_does_not_leak_into_a_sibling_with_a_longer_id(db):
    # "/1/" must not match "/12/": the trailing slash in the path guards it.
    units = [make_unit(K.REGION) for _ in range(12)]
    first = units[0]
    assert list(units_within(unit=first)) == [first]


@pytest.mark.parametrize("depth,width", [(1, 1), (3, 4)])
def test_the_subtree_is_one_query_whatever_its_depth_and_size(db, django_assert_num_queries, depth, width):
    root = make_unit(K.REGION)
    level = [root]
    kinds = [K.DISTRICT, K.RURAL_OKRUG, K.SETTLEMENT]
    for kind in kinds[:depth]:
        level = [make_unit(kind, parent=parent) for parent in level for _ in range(width)]
    expected = 1 + sum(width**i for i in range(1, depth + 1))
    with django_assert_num_queries(1):
        assert len(list(units_within(unit=root))) == expected


@time_machine.travel("2025-06-01 12:00 +05:00")
def test_the_current_akim_is_the_one_in_office_today(almaly):
    make_akim(almaly, full_name_kk="Бұрынғы", term_start=date(2020, 1, 1), term_end=date(2024, 12, 31))
    current = make_akim(almaly, full_name_kk="Қазіргі", term_start=date(2025, 1, 1))
    assert akim_current_for(unit=almaly) == current


def test_overlapping_terms_are_refused(almaly):
    from django.core.exceptions import ValidationError

    make_akim(almaly, full_name_kk="Бірінші", term_start=date(2024, 1, 1))
    with pytest.raises(ValidationError):
        make_akim(almaly, full_name_kk="Екінші", term_start=date(2025, 1, 1))
    assert almaly.akims.count() == 1
