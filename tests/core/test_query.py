"""The query-string values that gave a 500, and the one place that reads them now (core.query).

The walk over every route is tests/core/test_hostile_query_strings.py (PostgreSQL only); these
run on both databases.
"""

import pytest

from meetings.models import PlanItem
from tests.factories import make_akim

NOTICE = "Не распознано и поэтому не применено"


@pytest.mark.parametrize("year", ["99999", "0", "-5", "10000", "1e39", "2025.5"])
def test_an_impossible_year_on_the_annual_plan_is_named_and_the_current_year_shown(client, almaty, year):
    response = client.get(f"/ru/meetings/plan/?year={year}")
    assert response.status_code == 200
    body = response.content.decode()
    assert NOTICE in body and "Год" in body
    assert 'class="message message-warning not-recognised"' in body


def test_a_good_year_on_the_annual_plan_is_applied_without_a_notice(client, almaty):
    PlanItem.objects.create(unit=almaty, year=2024, planned_on="2024-05-01", title_kk="Жоспар", title_ru="План")
    response = client.get("/ru/meetings/plan/?year=2024")
    assert response.status_code == 200 and NOTICE not in response.content.decode()
    assert response.context["year"] == 2024


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/akims/?unit=1e39",
        "/api/v1/akims/?unit=2.5",
        "/api/v1/akims/?current=maybe",
        "/api/v1/territories/?parent=99999999999999999999",
        "/api/v1/territories/?parent=-1",
        "/api/v1/territories/?page_size=1e39",
        "/api/v1/meetings/?page_size=0",
    ],
)
def test_the_api_refuses_a_value_it_cannot_read_with_a_400_in_the_error_shape(client, almaty, path):
    make_akim(almaty, full_name_kk="Әкім")
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"message", "errors"} and response.json()["errors"]


def test_the_api_still_reads_good_ids_and_booleans(client, almaty, almaly):
    make_akim(almaty, full_name_kk="Әкім")
    assert len(client.get(f"/api/v1/territories/?parent={almaty.pk}").json()["results"]) == 1
    assert client.get(f"/api/v1/akims/?unit={almaty.pk}&current=true").status_code == 200
    assert client.get("/api/v1/territories/?page_size=200").status_code == 200
    assert client.get("/api/v1/territories/?page_size=201").status_code == 400  # not served at the maximum


@pytest.mark.parametrize("path", ["/ru/questions/?q=a%00b", "/ru/meetings/?territory=%00", "/ru/reports/search/?q=%00"])
def test_a_nul_character_in_a_query_string_is_a_400_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "символ" in response.content.decode()


def test_a_nul_character_under_the_api_is_a_400_in_the_error_shape(client, db):
    response = client.get("/api/v1/questions/?q=%00", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "errors"} and "таңба" in response.json()["message"]


def test_a_refused_filter_is_named_and_the_others_still_apply(client, almaly):
    response = client.get(f"/ru/meetings/?territory={almaly.slug}&date_from=2025-02-30")
    assert response.status_code == 200
    body = response.content.decode()
    assert NOTICE in body and "С" in body
    assert response.wsgi_request.query_accepted >= {"territory"}
    assert response.wsgi_request.query_refused == {"date_from"}


def test_a_month_that_does_not_exist_on_the_calendar_is_named(client, db):
    response = client.get("/ru/meetings/calendar/?month=2025-13")
    assert response.status_code == 200 and NOTICE in response.content.decode()
