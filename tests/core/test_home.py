"""The home page leads somewhere: the next meetings near "my district", a way to ask, the latest
reports and the akim's reporting duty there; with no district chosen, the whole country."""

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from meetings.views import MY_TERRITORY
from tests.meetings.factories import make_meeting
from tests.reports.factories import make_report

# Sunday 15 November 2026, noon in Almaty: the middle of the fourth quarter.
NOW = timezone.make_aware(datetime(2026, 11, 15, 12, 0))


@pytest.fixture(autouse=True)
def _mid_quarter():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meetings(almaly, medeu):
    return {
        "almaly": make_meeting(
            almaly,
            kind=Meeting.Kind.OUTREACH,
            starts_at=NOW + timedelta(days=3),
            title_kk="Алмалы кездесуі",
            title_ru="Алмалы кездесуі",
        ),
        "medeu": make_meeting(
            medeu, starts_at=NOW + timedelta(days=1), title_kk="Медеу кездесуі", title_ru="Медеу кездесуі"
        ),
        "past": make_meeting(almaly, status=Meeting.Status.HELD, starts_at=NOW - timedelta(days=3), title_kk="Өткен"),
    }


def main(response) -> str:
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_with_no_territory_the_home_page_shows_the_country_and_asks_where_you_live(client, almaty, meetings):
    html = main(client.get("/kk/"))
    assert "Қай жерде тұрасыз?" in html
    assert 'name="territory"' in html
    assert html.index("Медеу кездесуі") < html.index("Алмалы кездесуі")
    assert "Өткен" not in html
    assert 'href="/kk/questions/ask/"' in html
    assert 'href="/kk/territories/almaty/"' in html  # the regions and cities
    assert "mandate-heading" not in html


def test_the_district_remembered_by_the_meetings_list_is_the_home_pages_district(
    client, almaly, almaly_staff, meetings
):
    make_report(almaly, almaly_staff, title_kk="Алмалы есебі")
    client.get("/kk/meetings/?territory=almaty-almaly&remember=on")
    html = main(client.get("/kk/"))
    assert "Сіздің аумағыңыз: Алмалы ауданы" in html
    assert "Алмалы кездесуі" in html and "Медеу кездесуі" not in html
    assert 'href="/kk/questions/ask/?unit=almaty-almaly"' in html
    assert "Алмалы есебі" in html
    assert 'href="/kk/meetings/?territory=almaty-almaly"' in html
    assert 'href="/kk/territories/almaty/"' not in html


def test_reports_of_other_territories_are_not_the_latest_reports_of_mine(
    client, almaly, medeu, almaly_staff, medeu_staff
):
    make_report(almaly, almaly_staff, title_ru="Отчёт Алмалы")
    make_report(medeu, medeu_staff, title_ru="Отчёт Медеу")
    html = main(client.get("/ru/?territory=almaty-medeu"))
    assert "Отчёт Медеу" in html and "Отчёт Алмалы" not in html
    html = main(client.get("/ru/?territory="))
    assert "Отчёт Медеу" in html and "Отчёт Алмалы" in html


@pytest.mark.parametrize(
    ("status", "days", "badge", "text"),
    [
        (Meeting.Status.HELD, -10, "badge-ok", "өтті"),
        (Meeting.Status.SCHEDULED, 10, "badge", "жоспарланған"),
        (None, None, "badge-danger", "әлі өткізілмеген"),
    ],
)
def test_the_reporting_duty_of_my_district_this_quarter(client, almaly, status, days, badge, text):
    if status is not None:
        make_meeting(almaly, status=status, starts_at=NOW + timedelta(days=days))
    html = main(client.get("/kk/?territory=almaty-almaly"))
    section = html.split('id="mandate-heading"', 1)[1].split("</section>", 1)[0]
    assert f'class="badge {badge}"' in section or (badge == "badge" and 'class="badge"' in section)
    assert text in section
    assert "2026 жылғы 4-тоқсан" in section
    assert 'href="/kk/meetings/mandate/?territory=almaty-almaly&amp;period=2026-Q4"' in section


def test_choosing_a_territory_here_is_remembered_by_the_meetings_list(client, medeu, meetings):
    response = client.get("/ru/?territory=almaty-medeu")
    assert response.status_code == 200
    assert client.session[MY_TERRITORY] == "almaty-medeu"
    listing = client.get("/ru/meetings/").content.decode()
    assert "Медеу кездесуі" in listing and "Алмалы кездесуі" not in listing
    assert "Ваша территория" in main(client.get("/ru/"))


def test_a_territory_that_does_not_exist_changes_nothing_and_says_so(client, almaly, meetings):
    client.get("/kk/?territory=almaty-almaly")
    response = client.get("/ru/?territory=%3Cscript%3Enowhere")
    assert response.status_code == 400
    assert "Такой территории нет" in main(response)
    assert client.session[MY_TERRITORY] == "almaty-almaly"
    assert "Алмалы кездесуі" in main(response)


def test_forgetting_the_territory_brings_back_the_country(client, almaly, meetings):
    client.get("/kk/?territory=almaty-almaly")
    html = main(client.get("/kk/?territory="))
    assert MY_TERRITORY not in client.session
    assert "Медеу кездесуі" in html and "Қай жерде тұрасыз?" in html


def test_a_remembered_territory_that_was_deleted_is_ignored(client, almaly, meetings):
    session = client.session
    session[MY_TERRITORY] = "gone"
    session.save()
    assert "Қай жерде тұрасыз?" in main(client.get("/kk/"))


@pytest.mark.parametrize("territory", ["", "almaty-almaly"])
def test_the_home_page_runs_the_same_number_of_queries_whatever_the_data(
    client, almaty, almaly, almaly_staff, territory
):
    def count() -> int:
        cache.clear()  # cold each time: the territory options are cached
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/kk/?territory={territory}").status_code == 200
        return len(context.captured_queries)

    def add(n: int) -> None:
        for i in range(n):
            make_meeting(almaly, starts_at=NOW + timedelta(days=1 + i))
            make_meeting(almaly, status=Meeting.Status.HELD, starts_at=NOW - timedelta(days=1 + i))
            make_report(almaly, almaly_staff)

    client.get(f"/kk/?territory={territory}")  # the session exists from now on
    add(1)
    few = count()
    add(6)
    assert count() == few


def test_only_three_meetings_and_three_reports_are_shown(client, almaly, almaly_staff):
    for day in range(1, 6):
        make_meeting(almaly, starts_at=NOW + timedelta(days=day), title_kk=f"Кездесу-{day}")
        make_report(almaly, almaly_staff, title_kk=f"Есеп-{day}")
    html = main(client.get("/kk/"))
    assert re.findall(r"Кездесу-\d", html) == ["Кездесу-1", "Кездесу-2", "Кездесу-3"]
    assert re.findall(r"Есеп-\d", html) == ["Есеп-5", "Есеп-4", "Есеп-3"]
