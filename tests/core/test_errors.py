import pytest
from django.db import connection
from django.test import Client
from django.urls import path

from core.views import server_error_view


def broken_view(request):
    raise ValueError("a bug")


def database_gone_view(request):
    # A real failed connection: PostgreSQL or SQLite at an address where nothing listens.
    from django.db import OperationalError

    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [path("bug/", broken_view), path("db/", database_gone_view)]
handler500 = server_error_view


@pytest.fixture
def quiet_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ru")


def test_a_lost_database_is_a_503_with_retry_after_in_the_users_language(quiet_client, db):
    response = quiet_client.get("/db/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Временно недоступно" in response.content.decode()


def test_a_bug_is_a_plain_500(quiet_client, db):
    response = quiet_client.get("/bug/")
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.content.decode()


def test_the_503_page_renders_without_the_database(db, django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        assert "Kezdesu" in render_to_string("503.html") or "Кездесу" in render_to_string("503.html")
    assert connection.vendor in {"sqlite", "postgresql"}


# --- Under /api/ every error is JSON in the error shape, in the request's language ---------------


def broken_api_view(request):
    raise ValueError("a bug behind the API")


def test_an_unknown_url_under_the_api_is_a_json_404_in_the_requests_language(client, db):
    from django.utils import translation
    from rest_framework.exceptions import NotFound

    messages = set()
    for language in ("ru", "kk"):
        response = client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        with translation.override(language):
            assert response.json() == {"message": str(NotFound.default_detail), "errors": {}}
        messages.add(response.json()["message"])
    assert len(messages) == 2 and "Страница не найдена." in messages


def test_a_page_keeps_its_html_404(client, db):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


def test_a_wrong_method_under_the_api_is_a_json_405(client, db):
    response = client.delete("/api/v1/questions/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 405
    assert set(response.json()) == {"message", "errors"} and "DELETE" in response.json()["message"]


def test_an_unknown_format_under_the_api_is_json_even_for_the_schema(client, db):
    for url in ("/api/schema/?format=nope", "/api/v1/territories/?format=nope"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 404, url
        assert set(response.json()) == {"message", "errors"}, url


@pytest.fixture
def api_bug_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ru")


urlpatterns.append(path("api/v1/bug/", broken_api_view))


def test_a_bug_under_the_api_is_a_json_500(api_bug_client, db):
    response = api_bug_client.get("/api/v1/bug/")
    assert response.status_code == 500
    assert response.json() == {"message": response.json()["message"], "errors": {}}
    assert "Что-то пошло не так" in response.json()["message"]
    assert api_bug_client.get("/bug/")["Content-Type"].startswith("text/html")
