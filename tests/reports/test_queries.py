"""The number of queries of the public pages does not grow with the amount of data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districts.models import Akim
from questions.models import Question
from reports.models import TerritoryFigures
from tests.factories import make_akim
from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

pytestmark = pytest.mark.django_db


def _add_data(almaty, districts, staff, n):
    for index in range(n):
        unit = districts[index % len(districts)]
        akim = Akim.objects.filter(unit=unit).first() or make_akim(unit, full_name_kk=f"Әкім {index}")
        meeting = held_meeting(unit, host=akim, days_ago=10 + index)
        for status in (Question.Status.ANSWERED, Question.Status.ACCEPTED, Question.Status.FORWARDED):
            make_question(unit, meeting=meeting, status=status, slug=["water", "roads", "heating"][index % 3])
        make_question(unit, meeting=meeting, status=Question.Status.ANSWERED, on_the_spot=True)
        report = make_report(unit, staff, meeting=meeting)
        plan = make_plan(unit, staff, source_meetings=[meeting])
        make_item(plan, staff)
        make_item(plan, staff, due_on=meeting.starts_at.date())
    return report


def _count(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_list_report_and_scorecard_query_counts_do_not_grow_with_data(
    client, settings, almaty, almaly, medeu, almaty_staff
):
    # Every scorecard recomputes its summary rows (the rows read while recent: the test below).
    settings.REPORTS_SCORECARD_STALE_SECONDS = 0
    districts = [almaly, medeu]
    report = _add_data(almaty, districts, almaty_staff, 2)
    urls = lambda r: [  # noqa: E731
        "/ru/reports/",
        "/ru/reports/?territory=almaty&q=дорога",
        f"/ru/reports/{r.slug}/",
        "/ru/reports/territories/almaty-almaly/",
        "/ru/reports/plans/",
        f"/ru/reports/plans/{r.meeting.action_plans.get().pk}/",
        "/api/v1/reports/",
    ]
    small = [_count(client, url) for url in urls(report)]
    report = _add_data(almaty, districts, almaty_staff, 8)
    large = [_count(client, url) for url in urls(report)]
    assert large == small
    print("query counts:", small)  # noqa: T201 - shown with -s, quoted in the report


def test_scorecards_of_every_level_and_the_mandate_table_query_counts_do_not_grow_with_data(
    client, almaty, almaly, medeu, almaty_staff
):
    """A card whose summary rows are missing computes them in a few grouped queries however many
    questions they sum; a card whose rows are fresh reads them and no question."""
    districts = [almaty, almaly, medeu][1:]
    scorecards = ["/ru/reports/territories/almaty/", "/kk/reports/territories/almaty-medeu/"]

    def counts():
        TerritoryFigures.objects.all().delete()
        computing = [_count(client, url) for url in scorecards]
        from_rows = [_count(client, url) for url in scorecards]
        return computing, from_rows, _count(client, "/ru/meetings/mandate/?territory=almaty")

    _add_data(almaty, districts, almaty_staff, 2)
    small = counts()
    _add_data(almaty, districts, almaty_staff, 8)
    assert counts() == small
    computing, from_rows, _ = small
    assert all(rows < built for rows, built in zip(from_rows, computing, strict=True))
