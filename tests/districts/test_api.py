from datetime import date

import pytest

from tests.factories import make_akim


def test_territories_are_public_and_paged_by_cursor(client, almaly, medeu):
    body = client.get("/api/v1/territories/").json()
    assert set(body) == {"next", "previous", "results"}
    assert [row["slug"] for row in body["results"]] == ["almaty", "almaty-almaly", "almaty-medeu"]  # the tree
    first = client.get("/api/v1/territories/", {"page_size": 2}).json()
    assert [row["slug"] for row in first["results"]] == ["almaty", "almaty-almaly"]
    rest = client.get(first["next"]).json()
    assert [row["slug"] for row in rest["results"]] == ["almaty-medeu"] and rest["next"] is None


def test_filter_by_parent_kind_and_kato(client, almaty, almaly, medeu, aksengir):
    assert {r["slug"] for r in client.get(f"/api/v1/territories/?parent={almaty.pk}").json()["results"]} == {
        "almaty-almaly",
        "almaty-medeu",
    }
    assert [r["slug"] for r in client.get("/api/v1/territories/?kato=751110000").json()["results"]] == ["almaty-almaly"]
    assert [r["slug"] for r in client.get("/api/v1/territories/?kind=settlement").json()["results"]] == ["aksengir"]


def test_a_subtree_by_id(client, almaty, almaly, medeu, aksengir):
    rows = client.get(f"/api/v1/territories/?within={almaty.pk}").json()["results"]
    assert {r["slug"] for r in rows} == {"almaty", "almaty-almaly", "almaty-medeu"}


def test_names_follow_accept_language_and_both_are_given(client, almaly):
    row = client.get(f"/api/v1/territories/{almaly.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert row["name"] == "Алмалинский район"
    assert (row["name_kk"], row["name_ru"]) == ("Алмалы ауданы", "Алмалинский район")


@pytest.mark.parametrize("language,fragment", [("ru", "Запрос содержит ошибки"), ("kk", "Сұрауда қателер бар")])
def test_a_bad_kato_filter_is_a_400_with_a_message_in_the_request_language(client, almaly, language, fragment):
    response = client.get("/api/v1/territories/?kato=12AB", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    body = response.json()
    assert fragment in body["message"]
    assert "kato" in body["errors"]


def test_the_api_error_body_is_in_russian_for_a_russian_request(client, db):
    response = client.get("/api/v1/territories/?kato=1", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "9 цифр" in response.json()["errors"]["kato"][0]
    missing = client.get("/api/v1/territories/999999/", HTTP_ACCEPT_LANGUAGE="ru")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Страница не найдена.", "errors": {}}


def test_the_api_is_read_only(client, almaty_staff, almaly):
    client.force_login(almaty_staff)
    response = client.post("/api/v1/territories/", {"slug": "x"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 405


def test_current_akims_filter(client, almaly):
    make_akim(almaly, full_name_kk="Бұрынғы", term_start=date(2019, 1, 1), term_end=date(2020, 1, 1))
    make_akim(almaly, full_name_kk="Қазіргі", full_name_ru="Нынешний", term_start=date(2024, 1, 1))
    rows = client.get(f"/api/v1/akims/?unit={almaly.pk}&current=true", HTTP_ACCEPT_LANGUAGE="ru").json()["results"]
    assert [r["full_name"] for r in rows] == ["Нынешний"]
