from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.models import Question, QuestionEvent
from reports import selectors
from reports.models import ActionItem
from reports.selectors import Rate
from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

S, OUT, SRC = Question.Status, Question.Outcome, Question.Source
TODAY = date(2025, 6, 16)  # a Monday with no holiday around it


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def frozen():
    with time_machine.travel(_at(TODAY, 10), tick=False):
        yield


@pytest.fixture
def meeting_with_known_questions(frozen, almaly, medeu):
    """Ten counted questions, two that do not count, and one of another meeting."""
    meeting = held_meeting(almaly, days_ago=20, attendance=150)
    reg = date(2025, 6, 2)
    q = {"meeting": meeting, "registered_on": reg}
    # Answered on the spot at the meeting: 2 (asked aloud).
    make_question(
        almaly, source=SRC.MEETING, status=S.ANSWERED, outcome=OUT.EXPLAINED, on_the_spot=True, slug="roads", **q
    )
    make_question(
        almaly, source=SRC.MEETING, status=S.ANSWERED, outcome=OUT.RESOLVED, on_the_spot=True, slug="roads", **q
    )
    # Needing action: 8.
    for day in (date(2025, 6, 4), date(2025, 6, 9), date(2025, 6, 13)):
        make_question(almaly, status=S.ANSWERED, outcome=OUT.RESOLVED, answered_at=_at(day), slug="water", **q)
    make_question(
        almaly, status=S.ANSWERED, outcome=OUT.EXPLAINED, answered_at=_at(date(2025, 6, 3)), slug="roads", **q
    )
    make_question(
        almaly,
        source=SRC.PAPER,
        status=S.ANSWERED,
        outcome=OUT.PLANNED,
        answered_at=_at(date(2025, 6, 10)),
        slug="roads",
        **q,
    )
    make_question(almaly, source=SRC.RECEPTION, status=S.FORWARDED, slug="heating", **q)
    make_question(almaly, source=SRC.MEETING, status=S.ASSIGNED, due_on=TODAY - timedelta(days=1), slug="heating", **q)
    make_question(almaly, status=S.ACCEPTED, due_on=TODAY, slug="heating", **q)
    # Not counted: rejected and unconfirmed; and a question of another meeting.
    make_question(almaly, status=S.REJECTED, reject_reason="spam", **q)
    make_question(almaly, status=S.SUBMITTED, **q)
    make_question(medeu, meeting=held_meeting(medeu), status=S.ACCEPTED)
    return meeting


def test_the_figures_of_a_meeting_equal_the_hand_computed_counts(meeting_with_known_questions):
    figures = selectors.meeting_figures(meeting=meeting_with_known_questions)

    assert figures.as_of == TODAY
    assert (figures.attendance, figures.capacity) == (150, 200)
    assert (figures.received, figures.online, figures.at_meeting, figures.at_reception) == (10, 5, 4, 1)
    assert figures.on_the_spot == 2
    assert figures.needing_action == 8
    assert (figures.resolved, figures.explained, figures.planned) == (3, 1, 1)
    assert (figures.forwarded, figures.still_open, figures.overdue) == (1, 2, 1)
    # Working days from Monday 2 June 2025, Friday 6 June being Kurban Ait (a holiday):
    # 3 June → 1 (explained), 4 → 2, 9 → 4, 13 → 8 (resolved), 10 → 5 (planned): median 4.
    assert figures.answer_days == [1, 2, 4, 5, 8]
    assert figures.median_working_days == 4
    assert [(c.slug, c.count) for c in figures.top_categories] == [("roads", 4), ("heating", 3), ("water", 3)]


def test_the_percentages_are_of_the_questions_needing_action_rounded_half_up(meeting_with_known_questions):
    figures = selectors.meeting_figures(meeting=meeting_with_known_questions)

    assert figures.resolved_rate == Rate(3, 8) and figures.resolved_rate.percent == 38
    assert figures.explained_rate.percent == 13  # 12.5 %
    assert figures.planned_rate.percent == 13
    assert figures.open_rate.percent == 25
    assert figures.overdue_rate.percent == 13
    assert figures.on_the_spot_rate.percent == 20
    assert figures.resolved_rate.few  # 8 cases: the page must say so


def test_the_figures_follow_the_questions_after_the_meeting(meeting_with_known_questions, almaly):
    before = selectors.meeting_figures(meeting=meeting_with_known_questions)
    assert before.still_open == 2

    question = Question.objects.get(meeting=meeting_with_known_questions, status=S.ACCEPTED)
    Question.objects.filter(pk=question.pk).update(status=S.ANSWERED, outcome=OUT.RESOLVED, answered_at=timezone.now())
    # Nothing recorded yet: the cache still holds the earlier figures.
    assert selectors.meeting_figures(meeting=meeting_with_known_questions).still_open == 2
    # Every service records an event; that is what the cache key reads.
    QuestionEvent.objects.create(question=question, kind=QuestionEvent.Kind.ANSWERED, to_status=S.ANSWERED)

    after = selectors.meeting_figures(meeting=meeting_with_known_questions)
    assert (after.still_open, after.resolved) == (1, 4)


def test_cached_figures_cost_one_query(meeting_with_known_questions):
    selectors.meeting_figures(meeting=meeting_with_known_questions)
    with CaptureQueriesContext(connection) as queries:
        selectors.meeting_figures(meeting=meeting_with_known_questions)
    assert len(queries) == 1  # the data version


def test_overdue_is_counted_as_of_today_not_as_of_the_meeting(meeting_with_known_questions):
    assert selectors.meeting_figures(meeting=meeting_with_known_questions).overdue == 1
    with time_machine.travel(_at(TODAY + timedelta(days=1), 10), tick=False):
        assert selectors.meeting_figures(meeting=meeting_with_known_questions).overdue == 2


def test_a_rate_from_few_cases_says_so(settings):
    settings.REPORTS_MIN_CASES_FOR_RATE = 20
    assert Rate(3, 4).few and Rate(3, 4).percent == 75
    assert not Rate(10, 20).few
    assert Rate(0, 0).percent is None


# --- At risk ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_in_days", "progress", "status", "at_risk"),
    [
        (-1, 90, ActionItem.Status.IN_PROGRESS, True),  # overdue, whatever the progress
        (0, 90, ActionItem.Status.IN_PROGRESS, False),  # due today is not overdue yet
        (0, 49, ActionItem.Status.IN_PROGRESS, True),
        (30, 49, ActionItem.Status.IN_PROGRESS, True),  # the last day of the window
        (30, 50, ActionItem.Status.IN_PROGRESS, False),  # half done is enough
        (31, 0, ActionItem.Status.PLANNED, False),  # outside the window
        (-10, 0, ActionItem.Status.CANCELLED, False),
    ],
)
def test_an_item_is_at_risk_when_overdue_or_due_soon_with_little_progress(
    frozen, almaly, almaly_staff, due_in_days, progress, status, at_risk
):
    plan = make_plan(almaly, almaly_staff, year=2025)
    item = make_item(plan, almaly_staff, due_on=TODAY + timedelta(days=due_in_days))
    ActionItem.objects.filter(pk=item.pk).update(progress=progress, status=status)
    item.refresh_from_db()

    assert item.is_at_risk_on(TODAY) is at_risk
    assert ActionItem.objects.at_risk(TODAY).filter(pk=item.pk).exists() is at_risk


def test_a_done_item_is_never_at_risk(frozen, almaly, almaly_staff):
    from reports.services import action_item_complete

    plan = make_plan(almaly, almaly_staff, year=2025)
    item = action_item_complete(
        item=make_item(plan, almaly_staff, due_on=TODAY - timedelta(days=5)), actor=almaly_staff
    )
    assert not item.is_at_risk_on(TODAY)
    assert not ActionItem.objects.at_risk(TODAY).exists()


def test_the_thresholds_come_from_settings(frozen, settings, almaly, almaly_staff):
    plan = make_plan(almaly, almaly_staff, year=2025)
    item = make_item(plan, almaly_staff, due_on=TODAY + timedelta(days=45))
    assert not item.is_at_risk_on(TODAY)
    settings.REPORTS_AT_RISK_DAYS = 60
    assert item.is_at_risk_on(TODAY)
    assert ActionItem.objects.at_risk(TODAY).count() == 1


def test_summaries_count_items_at_risk_and_sum_budgets_by_territory(frozen, almaty, almaly, medeu, almaty_staff):
    almaly_plan = make_plan(almaly, almaty_staff, year=2025)
    medeu_plan = make_plan(medeu, almaty_staff, year=2025)
    make_item(almaly_plan, almaty_staff, due_on=TODAY - timedelta(days=3), budget="1500000.50")  # at risk
    make_item(almaly_plan, almaty_staff, due_on=date(2025, 11, 1), budget="2000000")
    make_item(medeu_plan, almaty_staff, due_on=TODAY + timedelta(days=10), budget="700000000")  # at risk
    make_item(medeu_plan, almaty_staff, due_on=date(2026, 3, 1), budget="5")  # another year

    summary = selectors.items_summary(unit=almaty, year=2025)
    assert (summary.items, summary.at_risk, summary.overdue, summary.done) == (3, 2, 1, 0)
    assert str(summary.budget) == "703500000.50"

    budgets = {row["slug"]: row["budget"] for row in selectors.budgets_by_territory(unit=almaty, year=2025)}
    assert {slug: str(value) for slug, value in budgets.items()} == {
        "almaty-almaly": "3500000.50",
        "almaty-medeu": "700000000.00",
    }
    plans = {plan.pk: plan for plan in selectors.plans_public(unit=almaty, year=2025)}
    assert (plans[almaly_plan.pk].items_count, plans[almaly_plan.pk].at_risk_count) == (2, 1)


# --- Reports and search ---------------------------------------------------------------------


def test_reports_filter_by_territory_subtree_akim_kind_and_period(almaty, almaly, medeu, almaty_staff):
    from tests.factories import make_akim

    akim = make_akim(almaly, full_name_kk="Тест Әкім")
    in_almaly = make_report(almaly, almaty_staff, meeting=held_meeting(almaly, host=akim, days_ago=400))
    in_medeu = make_report(medeu, almaty_staff, meeting=held_meeting(medeu, kind="outreach", days_ago=10))
    make_report(medeu, almaty_staff, publish=False)

    assert set(selectors.reports_public(unit=almaty)) == {in_almaly, in_medeu}
    assert list(selectors.reports_public(unit=almaly)) == [in_almaly]
    assert list(selectors.reports_public(akim=akim)) == [in_almaly]
    assert list(selectors.reports_public(kind="outreach")) == [in_medeu]
    from meetings.periods import period_of

    this_year = period_of(timezone.localdate() - timedelta(days=10), "year")
    assert in_medeu in selectors.reports_public(period=this_year)
    assert in_almaly not in selectors.reports_public(period=period_of(timezone.localdate(), "quarter"))


def test_search_finds_dorogi_when_searching_doroga(almaly, almaly_staff):
    report = make_report(
        almaly,
        almaly_staff,
        title_kk="",
        title_ru="Итоги встречи",
        body_kk="",
        body_ru="Жители просили отремонтировать дороги в микрорайоне.",
        lead_kk="",
        lead_ru="",
    )
    make_report(almaly, almaly_staff, title_ru="Другое", body_ru="Про школы и сады.", body_kk="Мектептер туралы.")

    results = selectors.search(query="дорога")
    assert results.reports == [report]


def test_search_finds_a_kazakh_word_under_its_suffixes(almaly, almaly_staff):
    report = make_report(
        almaly, almaly_staff, title_ru="", body_ru="", lead_ru="", body_kk="Мектептің шатыры жөнделді."
    )
    question = make_question(almaly, text="Біздің мектепке жаңа спорт залы керек пе?")

    results = selectors.search(query="мектеп")
    assert report in results.reports
    assert results.questions == [question]


def test_search_never_finds_unpublished_reports_or_hidden_questions(almaly, almaly_staff):
    make_report(almaly, almaly_staff, publish=False, body_ru="Секретный черновик про дороги")
    make_question(almaly, status=Question.Status.REJECTED, reject_reason="spam", text="Дороги дороги дороги все плохие")
    results = selectors.search(query="дороги")
    assert results.reports == [] and results.questions == []


def test_search_is_ranked_on_postgresql_and_scans_on_sqlite_behind_one_interface(almaly, almaly_staff):
    make_report(almaly, almaly_staff, body_ru="Обсудили водопровод.")
    assert selectors.search(query="водопровода").reports_count == 1
    assert selectors.search(query="  ").reports == []
    assert connection.vendor in {"postgresql", "sqlite"}


# --- Scorecard ------------------------------------------------------------------------------


def test_the_scorecard_compares_a_district_with_its_siblings(frozen, almaty, almaly, medeu, almaty_staff):
    meeting = held_meeting(almaly, days_ago=20)
    for _ in range(3):
        make_question(
            almaly, meeting=meeting, status=S.ANSWERED, outcome=OUT.RESOLVED, answered_at=_at(date(2025, 6, 10))
        )
    make_question(medeu, status=S.ACCEPTED)
    plan = make_plan(medeu, almaty_staff, year=2025)
    make_item(plan, almaty_staff, due_on=TODAY - timedelta(days=1), budget="300")

    from meetings.periods import Period

    card = selectors.territory_scorecard(unit=almaly, period=Period("year", 2025))
    rows = {row.slug: row for row in card.siblings}
    assert set(rows) == {"almaty-almaly", "almaty-medeu"}
    assert (rows["almaty-almaly"].received, rows["almaty-almaly"].resolved) == (3, 3)
    assert rows["almaty-almaly"].resolved_rate.few  # 3 cases
    assert (rows["almaty-medeu"].received, rows["almaty-medeu"].items, rows["almaty-medeu"].at_risk) == (1, 1, 1)
    assert card.totals.received == 3
    assert card.siblings_median_received == 2
    assert [q.index for q in card.mandate] == [1, 2]  # quarters begun by 16 June


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings exist on PostgreSQL only")
def test_search_puts_the_planner_settings_back_inside_a_callers_transaction(almaly, almaly_staff):
    make_report(almaly, almaly_staff, body_ru="Обсудили водопровод.")
    # pytest-django runs this test inside a transaction: the search's own is a savepoint.
    assert selectors.search(query="водопровод").reports_count == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on", "on")
