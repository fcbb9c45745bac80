"""Scorecards at national scale: a recent card is served while the data moves on; the beat job
refreshes the costly ones; past the bound a reader gets fresh figures."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from meetings.periods import Period
from questions.models import Question
from reports import selectors
from reports.tasks import refresh_scorecards
from tests.reports.factories import make_question

START = datetime(2025, 6, 16, 6, 0, tzinfo=UTC)  # 11:00 in Almaty, a Monday
YEAR = Period("year", 2025)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_recent_card_is_served_until_the_bound_then_recomputed(clock, settings, almaty, almaly):
    settings.REPORTS_SCORECARD_STALE_SECONDS = 900
    make_question(almaly, status=Question.Status.ACCEPTED)
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 1

    make_question(almaly, status=Question.Status.ACCEPTED)  # the data version moves on
    clock.shift(timedelta(minutes=14))
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 1

    clock.shift(timedelta(minutes=2))  # 16 minutes old: past the bound
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 2


def test_without_a_bound_every_change_shows_at_once(clock, settings, almaty, almaly):
    settings.REPORTS_SCORECARD_STALE_SECONDS = 0
    make_question(almaly, status=Question.Status.ACCEPTED)
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 1
    make_question(almaly, status=Question.Status.ACCEPTED)
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 2


def test_the_beat_job_refreshes_top_level_cards_so_readers_see_new_figures(
    clock, settings, almaty, almaly, django_assert_max_num_queries
):
    settings.REPORTS_SCORECARD_STALE_SECONDS = 900
    make_question(almaly, status=Question.Status.ACCEPTED)
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 1
    make_question(almaly, status=Question.Status.ACCEPTED)
    clock.shift(timedelta(minutes=10))

    assert refresh_scorecards() >= 1  # every top-level territory of the test world

    # The refreshed card is served straight from the cache, whatever the data version says.
    with django_assert_max_num_queries(0):
        card = selectors.territory_scorecard(unit=almaty, period=YEAR)
    assert card.totals.received == 2
    assert card.computed_at == START + timedelta(minutes=10)


def test_a_card_of_yesterday_is_never_served_today(clock, settings, almaty, almaly):
    settings.REPORTS_SCORECARD_STALE_SECONDS = 3 * 3600
    make_question(almaly, status=Question.Status.ACCEPTED)
    selectors.territory_scorecard(unit=almaty, period=YEAR)
    make_question(almaly, status=Question.Status.ACCEPTED)
    clock.move_to(datetime(2025, 6, 16, 19, 30, tzinfo=UTC))  # 00:30 on 17 June in Almaty
    assert selectors.territory_scorecard(unit=almaty, period=YEAR).totals.received == 2
