"""The report list for anonymous readers comes from the cache until a report or a meeting
changes; signed-in staff, flash messages and bad filters are never cached."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from tests.reports.factories import make_report

URL = "/ru/reports/"


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code in (200, 400)
    return len(captured), response.content.decode()


def test_anonymous_readers_get_the_cached_list_until_a_report_changes(client, almaly, almaly_staff):
    first = make_report(almaly, almaly_staff, title_ru="Первый отчёт")
    built, page = _queries(client, URL)
    assert "Первый отчёт" in page
    cached, page = _queries(client, URL)
    assert cached == 1 < built  # the version only
    assert "Первый отчёт" in page

    make_report(almaly, almaly_staff, title_ru="Второй отчёт")  # publishing records an event
    _, page = _queries(client, URL)
    assert "Второй отчёт" in page

    services.report_unpublish(report=first, actor=almaly_staff, reason="Ошибка в цифрах")
    _, page = _queries(client, URL)
    assert "Первый отчёт" not in page


def test_each_language_and_filter_has_its_own_page(client, almaly, almaly_staff):
    make_report(almaly, almaly_staff, title_kk="Қазақша тақырып", title_ru="Русский заголовок")
    assert "Русский заголовок" in _queries(client, URL)[1]
    assert "Қазақша тақырып" in _queries(client, "/kk/reports/")[1]
    assert "Русский заголовок" not in _queries(client, "/ru/reports/?kind=forum")[1]


def test_signed_in_staff_and_bad_filters_are_never_served_from_the_cache(client, almaly, almaly_staff):
    make_report(almaly, almaly_staff)
    client.get(URL)
    client.force_login(almaly_staff)
    queries, page = _queries(client, URL)
    assert queries > 2 and "Выйти" in page  # built for this person, with the log-out form

    client.logout()
    client.cookies.clear()
    bad = URL + "?territory=nowhere"
    assert client.get(bad).status_code == 400
    again, _ = _queries(client, bad)
    assert again > 1  # a 400 is built every time, never stored


def test_a_report_page_follows_its_figures_and_unpublishing(client, almaly, almaly_staff):
    from questions.models import Question
    from tests.reports.factories import held_meeting, make_question

    meeting = held_meeting(almaly, attendance=120)
    report = make_report(almaly, almaly_staff, meeting=meeting, title_ru="Отчёт с цифрами")
    url = "/ru" + report.get_absolute_url()[3:]
    built, page = _queries(client, url)
    cached, _ = _queries(client, url)
    assert cached == 1 < built

    before = page.count("Водопровод во дворе")
    make_question(almaly, meeting=meeting, status=Question.Status.ACCEPTED, text="Водопровод во дворе течёт уже месяц")
    _, page = _queries(client, url)  # a new question moves the data version: rebuilt
    assert page.count("Водопровод во дворе") == before + 1

    services.report_unpublish(report=report, actor=almaly_staff, reason="Ошибка в цифрах")
    assert client.get(url).status_code == 404
