"""The public question and report lists of the API, for anonymous clients, come from the cache
until their data changes; staff and submissions never touch it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions.models import Question
from tests.reports.factories import make_question, make_report


def _get(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def _texts(body) -> list[str]:
    return [row["text"] for row in body["results"]]


def test_the_question_list_is_cached_until_a_question_changes(client, almaly):
    make_question(almaly, status=Question.Status.ACCEPTED, text="Во дворе нет освещения, просим помочь")
    built, body = _get(client, "/api/v1/questions/")
    cached, again = _get(client, "/api/v1/questions/")
    assert cached == 1 < built and again == body

    make_question(almaly, status=Question.Status.ACCEPTED, text="Автобус номер 12 не ходит по вечерам")
    _, body = _get(client, "/api/v1/questions/")
    assert "Автобус номер 12 не ходит по вечерам" in _texts(body)


def test_staff_get_the_list_built_for_them(client, almaly, almaly_staff):
    make_question(almaly, status=Question.Status.ACCEPTED)
    _get(client, "/api/v1/questions/")
    client.force_login(almaly_staff)
    built, _ = _get(client, "/api/v1/questions/")
    assert built > 1


def test_the_report_list_is_cached_until_a_report_changes(client, almaly, almaly_staff):
    make_report(almaly, almaly_staff, title_ru="Отчёт о дорогах")
    built, body = _get(client, "/api/v1/reports/")
    cached, _ = _get(client, "/api/v1/reports/")
    assert cached == 1 < built
    make_report(almaly, almaly_staff, title_ru="Отчёт о школах")
    _, body = _get(client, "/api/v1/reports/")
    assert {"Отчёт о дорогах", "Отчёт о школах"} <= {row["title_ru"] for row in body["results"]}
