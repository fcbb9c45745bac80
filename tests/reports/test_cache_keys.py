"""No cheap way to make the server build a page: a made-up session cookie, unknown or reordered
parameters come from the page cache; periods with no figures are 404."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import Question
from tests.reports.factories import make_question, make_report

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in queries]


def _built(sqls: list[str]) -> bool:
    """Whether the report list was built: it reads the reports table."""
    return any('"reports_report"' in sql or "reports_report." in sql for sql in sqls)


@pytest.fixture
def reports(almaly, medeu, almaly_staff, medeu_staff):
    make_report(almaly, almaly_staff)
    make_report(medeu, medeu_staff)


def test_a_made_up_session_cookie_is_served_from_the_cache(client, reports):
    first, sqls = _get(client, "/ru/reports/")
    assert _built(sqls)
    client.cookies["sessionid"] = "made-up-to-skip-the-cache"
    again, sqls = _get(client, "/ru/reports/")
    assert not _built(sqls)
    assert len(sqls) <= 2  # the session looked up, the data version
    assert again.content == first.content


def test_a_signed_in_reader_gets_a_page_built_for_them(client, reports, almaly_staff):
    _get(client, "/ru/reports/")
    client.force_login(almaly_staff)
    _, sqls = _get(client, "/ru/reports/")
    assert _built(sqls)


def test_unknown_parameters_and_their_order_do_not_make_a_new_page(client, reports):
    _, sqls = _get(client, "/ru/reports/?territory=almaty&kind=reporting")
    assert _built(sqls)
    for variant in (
        "/ru/reports/?kind=reporting&territory=almaty",
        "/ru/reports/?utm_source=x&territory=almaty&kind=reporting&fbclid=1",
        "/ru/reports/?territory=almaty&kind=reporting&akim=",
        "/ru/reports/?territory=almaty-medeu&territory=almaty&kind=reporting",  # the last one is read
    ):
        _, sqls = _get(client, variant)
        assert not _built(sqls), variant
    _, sqls = _get(client, "/ru/reports/?territory=almaty-almaly&kind=reporting")
    assert _built(sqls)  # a parameter the page reads does make another page


def test_the_apis_leave_unknown_parameters_out_of_the_key(client, almaly):
    make_question(almaly, status=Question.Status.ACCEPTED)
    for url in ("/api/v1/questions/", "/api/v1/reports/"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{url}?nocache=12345").status_code == 200
        assert len(queries) == 1, url  # the data version only


@pytest.fixture
def june_2025(almaly):
    with time_machine.travel(datetime(2025, 6, 16, 6, 0, tzinfo=UTC), tick=False):
        make_question(almaly, status=Question.Status.ACCEPTED)
        yield


@pytest.mark.parametrize(("language", "message"), [("kk", "көрсеткіштер жоқ"), ("ru", "показателей нет")])
@pytest.mark.parametrize("period", ["2024", "2024-Q4", "2025-Q3", "2025-H2", "2099"])
def test_a_period_with_no_figures_is_not_found(client, june_2025, language, message, period):
    response = client.get(f"/{language}/reports/territories/almaty-almaly/", {"period": period})
    assert response.status_code == 404
    page = response.content.decode()
    assert message in page and "2025" in page


@pytest.mark.parametrize("period", ["2025", "2025-Q2", "2025-H1"])
def test_the_periods_with_figures_are_pages(client, june_2025, period):
    assert client.get("/kk/reports/territories/almaty-almaly/", {"period": period}).status_code == 200
