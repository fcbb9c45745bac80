"""The cycle's figures, counted by hand from rows written in every state."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycles import selectors
from questions.models import Question
from tests.cycles.conftest import _held
from tests.reports.factories import make_item, make_plan, make_question

pytestmark = pytest.mark.django_db
QS, OUT = Question.Status, Question.Outcome


def test_the_cycle_figures_as_press_releases_count_them(world, almaly, medeu):
    figures = selectors.cycle_figures(cycle=world["now"])
    total = figures.total
    assert (total.meetings, total.held, total.cancelled, total.planned) == (3, 2, 1, 2)
    assert total.attendance == 500
    assert total.received == 8  # the rejected question is not counted
    assert total.askers == 6  # a@x.kz asked three times, in one district
    assert total.on_the_spot == 2
    assert total.needing_action == 6
    assert (total.satisfied, total.explained, total.needing_time) == (2, 1, 1)
    assert (total.forwarded, total.still_open, total.not_answered) == (1, 1, 2)
    assert (total.month, total.half_year, total.year, total.longer) == (1, 1, 1, 1)
    assert sum(row["count"] for row in total.time_rows) == total.received
    assert (total.plans, total.items, total.budget) == (1, 2, Decimal("2000000.50"))
    by_slug = {row.slug: row for row in figures.territories}
    assert by_slug["almaty-almaly"].received == 6 and by_slug["almaty-almaly"].askers == 4
    assert by_slug["almaty-medeu"].planned == 1 and by_slug["almaty-medeu"].cancelled == 1
    assert by_slug["almaty"].items == 2  # the city's own plan, its own row
    assert total.outcome_rows[0]["rate"].percent == 33  # 2 satisfied of 6 needing action
    assert total.outcome_rows[0]["rate"].few


def test_the_previous_cycle_of_the_same_akim_sits_beside_it(world):
    figures = selectors.cycle_figures(cycle=world["now"])
    assert figures.previous == world["before"]
    change = {c.key: c for c in figures.changes}
    assert (change["attendance"].now, change["attendance"].before, change["attendance"].delta) == (500, 100, 400)
    assert change["received"].delta == 8
    assert selectors.cycle_figures(cycle=world["before"]).previous is None


def _queries(cycle) -> int:
    with CaptureQueriesContext(connection) as context:
        selectors.cycle_figures(cycle=cycle)
    return len(context)


def test_the_figures_take_the_same_queries_however_much_data(world, almaly, almaty_staff):
    first = _queries(world["now"])
    meeting = _held(world["now"], almaly, days_ago=410, attendance=50)
    for _n in range(5):
        make_question(almaly, meeting=meeting, status=QS.ASSIGNED)
    plan = make_plan(almaly, almaty_staff)
    plan.source_meetings.add(meeting)
    make_item(plan, almaty_staff)
    assert _queries(world["now"]) == first <= 6
