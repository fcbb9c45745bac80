from decimal import Decimal

import pytest
from django.core.management import call_command

from cycles import selectors
from cycles.models import Cycle

pytestmark = pytest.mark.django_db


def test_the_demo_cycles_have_the_shape_of_the_press_releases_once():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Cycle.objects.count() == 5
    assert selectors.cycle_figures(cycle=Cycle.objects.get(slug="oskemen-programme-cycle-3")).total.planned == 3
    first = selectors.cycle_figures(cycle=Cycle.objects.get(slug="almaty-city-cycle-1")).total
    assert (first.held, first.attendance, first.received, first.on_the_spot, first.needing_action) == (
        8,
        3540,
        879,
        123,
        756,
    )
    assert (first.satisfied, first.explained, first.needing_time) == (302, 303, 151)
    assert first.plans == 8  # an action plan in every district
    second = selectors.cycle_figures(cycle=Cycle.objects.get(slug="almaty-city-cycle-2"))
    assert (second.total.attendance, second.total.received, second.total.askers) == (3790, 786, 458)
    assert second.previous.slug == "almaty-city-cycle-1"
    works = selectors.cycle_figures(cycle=Cycle.objects.get(slug="oskemen-programme-cycle-2")).total
    assert (works.items, works.budget) == (31, Decimal("698000000.00"))
