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
