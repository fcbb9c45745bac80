"""The figures computed by grouped queries and summary rows equal a plain recount, question by
question, on a mixed world: several territories and levels, every status and source, questions
answered on the spot at their own meeting or at another one, periods inside and outside."""

import random
import statistics
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.working_days import is_working_day, working_days_between
from districts.models import AdministrativeUnit
from meetings.models import Meeting
from meetings.periods import Period
from questions.models import Question
from reports import selectors
from reports.models import ActionItem, TerritoryFigures, at_risk_q
from tests.factories import make_unit
from tests.reports.factories import held_meeting, make_item, make_plan, make_question

S, OUT, SRC = Question.Status, Question.Outcome, Question.Source
K = AdministrativeUnit.Kind
TODAY = date(2025, 6, 16)
YEAR = Period("year", 2025)
COUNTED = set(selectors.COUNTED_STATUSES)


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _walked_working_days(start: date, end: date) -> int:
    """The definition, day by day (the selectors use running counts)."""
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset)))


@pytest.fixture
def frozen():
    with time_machine.travel(_at(TODAY, 10), tick=False):
        yield


@pytest.fixture
def world(frozen, almaty, almaly, medeu, administrator):
    """Two cities of republican significance, districts, a microdistrict; 160 questions drawn
    with a fixed seed; action items in three territories."""
    shymkent = make_unit(K.REPUBLICAN_CITY, name_kk="Шымкент", name_ru="Шымкент", slug="shymkent")
    abai = make_unit(K.DISTRICT, parent=shymkent, name_kk="Абай ауданы", name_ru="Абайский район", slug="abai")
    samal = make_unit(K.MICRODISTRICT, parent=almaly, name_kk="Самал", name_ru="Самал", slug="samal")
    units = [almaty, almaly, samal, medeu, shymkent, abai]
    meetings = [held_meeting(unit, days_ago=days) for unit, days in ((almaly, 30), (medeu, 20), (abai, 10))]
    rng = random.Random(15)
    statuses = [S.NEW, S.ACCEPTED, S.ASSIGNED, S.ANSWERED, S.ANSWERED, S.ANSWERED, S.FORWARDED, S.SUBMITTED]
    for _ in range(160):
        status = rng.choice(statuses)
        meeting = rng.choice([None, *meetings])
        registered_on = TODAY - timedelta(days=rng.randrange(5, 90))
        answered = status == S.ANSWERED
        question = make_question(
            rng.choice(units),
            meeting=meeting,
            source=rng.choice(list(SRC.values)),
            status=status,
            outcome=rng.choice([OUT.RESOLVED, OUT.EXPLAINED, OUT.PLANNED]) if answered else "",
            on_the_spot=answered and meeting is not None and rng.random() < 0.4,
            registered_on=registered_on,
            due_on=registered_on + timedelta(days=rng.randrange(10, 60)),
            answered_at=_at(registered_on + timedelta(days=rng.randrange(0, 40)), rng.choice([3, 12, 21]))
            if answered
            else None,
            slug=rng.choice(["water", "roads", "heating", "lighting", "schools", "parks"]),
        )
        changes = {}
        if answered and rng.random() < 0.15:
            changes["answered_at_meeting"] = rng.choice(meetings)  # on the spot at another meeting
        if rng.random() < 0.2:
            changes["created_at"] = _at(date(2024, 12, rng.randrange(1, 31)))  # before the period
        if changes:
            Question.objects.filter(pk=question.pk).update(**changes)
    for unit, due in ((almaly, TODAY - timedelta(days=2)), (samal, TODAY + timedelta(days=5)), (abai, TODAY)):
        plan = make_plan(unit, administrator, year=2025)
        make_item(plan, administrator, due_on=due, budget="1500.50")
        make_item(plan, administrator, due_on=due + timedelta(days=200), budget="99")
    return {"units": units, "meetings": meetings}


def _counted(period: Period | None = None) -> list[Question]:
    questions = [
        question for question in Question.objects.select_related("unit", "category") if question.status in COUNTED
    ]
    if period is not None:
        questions = [question for question in questions if period.contains(question.created_at)]
    return questions


def _days(question: Question) -> int:
    return max(_walked_working_days(question.registered_on, timezone.localdate(question.answered_at)), 0)


def test_meeting_figures_equal_a_recount(world):
    meetings = world["meetings"]
    figures = selectors.figures_for_meetings(meetings=Meeting.objects.filter(pk__in=[m.pk for m in meetings]))
    questions = _counted()
    for meeting in meetings:
        mine = [q for q in questions if meeting.pk in (q.meeting_id, q.answered_at_meeting_id)]
        spot = [q for q in mine if q.status == S.ANSWERED and q.answered_at_meeting_id == meeting.pk]
        action = [q for q in mine if q not in spot]
        later = [q for q in action if q.status == S.ANSWERED]
        still_open = [q for q in action if q.status in (S.NEW, S.ACCEPTED, S.ASSIGNED)]
        got = figures[meeting.pk]
        assert got.received == len(mine) > 0
        assert (got.online, got.at_reception) == (
            sum(q.source == SRC.ONLINE for q in mine),
            sum(q.source == SRC.RECEPTION for q in mine),
        )
        assert got.at_meeting == len(mine) - got.online - got.at_reception
        assert (got.on_the_spot, got.needing_action) == (len(spot), len(action))
        assert (got.resolved, got.explained, got.planned) == (
            sum(q.outcome == OUT.RESOLVED for q in later),
            sum(q.outcome == OUT.EXPLAINED for q in later),
            sum(q.outcome == OUT.PLANNED for q in later),
        )
        assert got.forwarded == sum(q.status == S.FORWARDED for q in action)
        assert (got.still_open, got.overdue) == (len(still_open), sum(q.due_on < TODAY for q in still_open))
        assert got.answer_days == sorted(_days(q) for q in later)
        categories = Counter(q.category.slug for q in mine)
        expected = sorted(categories.items(), key=lambda pair: (-pair[1], pair[0]))[: selectors.TOP_CATEGORIES]
        assert [(c.slug, c.count) for c in got.top_categories] == expected


@pytest.mark.parametrize("slug", ["almaty-almaly", "almaty", "samal"])
def test_the_scorecard_equals_a_recount(world, slug):
    unit = AdministrativeUnit.objects.get(slug=slug)
    card = selectors.territory_scorecard(unit=unit, period=YEAR)
    questions = _counted(YEAR)

    def spot(q):
        return q.status == S.ANSWERED and q.answered_at_meeting_id is not None

    siblings = AdministrativeUnit.objects.filter(parent_id=unit.parent_id, kind=unit.kind)
    assert sorted(row.slug for row in card.siblings) == sorted(s.slug for s in siblings)
    for row in card.siblings:
        sibling = AdministrativeUnit.objects.get(slug=row.slug)
        inside = [q for q in questions if q.unit.path.startswith(sibling.path)]
        later = [q for q in inside if q.status == S.ANSWERED and not spot(q)]
        assert (row.received, row.needing_action, row.resolved) == (
            len(inside),
            sum(not spot(q) for q in inside),
            sum(q.outcome == OUT.RESOLVED for q in later),
        )
        assert len(row.answer_days) == len(later)
        assert row.median_working_days == (statistics.median([_days(q) for q in later]) if later else None)
        items = ActionItem.objects.filter(plan__unit__path__startswith=sibling.path, due_on__year=2025)
        live = items.exclude(status=ActionItem.Status.CANCELLED)
        assert (row.items, row.at_risk) == (live.count(), items.filter(at_risk_q(TODAY)).count())
        assert row.budget == sum((item.budget or 0 for item in live), start=0)

    own = [q for q in questions if q.unit.path.startswith(unit.path)]
    assert card.totals.received == len(own)
    assert card.totals.on_the_spot == sum(spot(q) for q in own)
    by_category = Counter(q.category.slug for q in own)
    assert {row.names["kk"]: row.received for row in card.categories} == {
        Question.objects.filter(category__slug=slug).first().category.name_kk: n for slug, n in by_category.items()
    }
    for name in ("resolved", "explained", "planned"):
        assert getattr(card.totals, name) == sum(
            q.status == S.ANSWERED and not spot(q) and q.outcome == getattr(OUT, name.upper()) for q in own
        )
    assert card.totals.forwarded == sum(q.status == S.FORWARDED for q in own)
    assert card.totals.still_open == sum(q.status in (S.NEW, S.ACCEPTED, S.ASSIGNED) for q in own)
    later = [q for q in own if q.status == S.ANSWERED and not spot(q)]
    assert card.median_working_days == (statistics.median([_days(q) for q in later]) if later else None)


def test_working_days_by_running_counts_equal_the_walk_over_years_and_holidays():
    rng = random.Random(3)
    for _ in range(500):
        start = date(2023, 1, 1) + timedelta(days=rng.randrange(1200))
        end = start + timedelta(days=rng.randrange(0, 500))
        assert working_days_between(start, end) == _walked_working_days(start, end)
        assert working_days_between(end, start) == -_walked_working_days(start, end)


def test_a_top_level_card_reads_its_siblings_from_their_summary_rows(world, settings, django_assert_num_queries):
    settings.REPORTS_SCORECARD_STALE_SECONDS = 900
    almaty = AdministrativeUnit.objects.get(slug="almaty")
    shymkent = AdministrativeUnit.objects.get(slug="shymkent")
    first = selectors.territory_scorecard(unit=almaty, period=YEAR)
    stored = TerritoryFigures.objects.get(unit=shymkent, period_code="2025")
    assert stored.figures["received"] == next(row.received for row in first.siblings if row.slug == "shymkent")

    # A question in Shymkent after the rows were written: Almaty's card, recomputed (cache
    # emptied), reads Shymkent's row as stored while it is recent.
    make_question(AdministrativeUnit.objects.get(slug="abai"), status=S.ACCEPTED)
    from django.core.cache import cache

    cache.clear()
    card = selectors.territory_scorecard(unit=almaty, period=YEAR)
    assert next(row.received for row in card.siblings if row.slug == "shymkent") == stored.figures["received"]
    # The beat job recomputes every top-level row: the new question shows.
    selectors.scorecards_refresh(units=AdministrativeUnit.objects.top_level(), period=YEAR)
    cache.clear()
    card = selectors.territory_scorecard(unit=almaty, period=YEAR)
    assert next(row.received for row in card.siblings if row.slug == "shymkent") == stored.figures["received"] + 1


def test_without_a_bound_a_stale_summary_row_is_recomputed(world, settings):
    settings.REPORTS_SCORECARD_STALE_SECONDS = 0
    almaty = AdministrativeUnit.objects.get(slug="almaty")
    before = selectors.territory_scorecard(unit=almaty, period=YEAR)
    make_question(AdministrativeUnit.objects.get(slug="abai"), status=S.ACCEPTED)
    after = selectors.territory_scorecard(unit=almaty, period=YEAR)
    received = {row.slug: row.received for row in before.siblings}
    assert {row.slug: row.received for row in after.siblings} == {**received, "shymkent": received["shymkent"] + 1}
