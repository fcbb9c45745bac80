from decimal import Decimal

import pytest
from django.core.management import call_command

from cycles import selectors
from cycles.models import Cycle, Programme

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


@pytest.mark.parametrize(
    ("language", "headline"),
    [
        ("kk", "31 қаржыландырылған жоба, 698 млн ₸"),
        ("ru", "31 профинансированный проект, 698 млн ₸"),
    ],
)
def test_the_programme_page_sums_up_needs_works_and_results_per_area(client, language, headline):
    call_command("seed_demo", verbosity=0)
    results = selectors.programme_results(programme=Programme.objects.get(slug="oskemen-microdistricts"))
    assert [cycle.number for cycle in results.cycles] == [1, 2, 3]
    assert len(results.areas) == 3 and all(area.needs and area.projects for area in results.areas)
    total = results.total
    assert (total.projects, total.funded, total.budget) == (31, 31, Decimal("698000000.00"))
    assert total.done + total.in_progress + total.moved + total.dropped == 31
    response = client.get(f"/{language}/meetings/cycles/programmes/oskemen-microdistricts/")
    assert response.status_code == 200
    assert headline in response.content.decode()
