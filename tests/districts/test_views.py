from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from districts.services import department_create
from tests.factories import make_akim, make_unit


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    "language,city,district", [("kk", "Алматы", "Алмалы ауданы"), ("ru", "Алматы", "Алмалинский район")]
)
def test_the_home_page_lists_top_level_territories_in_the_page_language(client, almaly, language, city, district):
    response = client.get(url("core:home", language))
    assert response.status_code == 200
    assert city in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize(
    "accept,expected", [("ru-RU,ru;q=0.9", "/ru/"), ("kk,ru;q=0.5", "/kk/"), ("en-US", "/kk/"), ("", "/kk/")]
)
def test_the_root_redirects_by_accept_language_then_kazakh(client, db, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_district_page_shows_its_akim_departments_and_children(client, almaty, almaly):
    make_akim(almaly, full_name_kk="Айгүл Нұрланова", full_name_ru="Айгуль Нурланова", term_start=date(2024, 1, 1))
    department_create(unit=almaly, name_kk="Білім бөлімі", name_ru="Отдел образования")
    make_unit("microdistrict", parent=almaly, name_kk="Көктем-2", name_ru="Коктем-2")
    response = client.get(url("districts:detail", "ru", slug=almaly.slug))
    page = response.content.decode()
    assert "Айгуль Нурланова" in page
    assert "Отдел образования" in page
    assert "Коктем-2" in page
    assert "Алматы" in page  # the breadcrumb to the parent


def test_content_missing_in_russian_falls_back_to_kazakh_with_a_mark(client, almaly):
    make_akim(almaly, full_name_kk="Айгүл Нұрланова", full_name_ru="", term_start=date(2024, 1, 1))
    page = client.get(url("districts:detail", "ru", slug=almaly.slug)).content.decode()
    assert '<span lang="kk">Айгүл Нұрланова</span>' in page
    assert "на казахском" in page
    kk_page = client.get(url("districts:detail", "kk", slug=almaly.slug)).content.decode()
    assert "Айгүл Нұрланова" in kk_page
    assert "fallback-mark" not in kk_page


def test_the_language_switcher_keeps_the_current_page(client, almaly):
    page = client.get(url("districts:detail", "kk", slug=almaly.slug)).content.decode()
    assert f'href="/ru/territories/{almaly.slug}/"' in page


def test_an_unknown_territory_is_a_404_in_the_page_language(client, db):
    response = client.get("/ru/territories/no-such-place/")
    assert response.status_code == 404


def test_the_territory_page_query_count_does_not_grow_with_children(client, almaty, django_assert_max_num_queries):
    for _ in range(3):
        make_unit("district", parent=almaty)
    with django_assert_max_num_queries(8) as few:
        client.get(url("districts:detail", "kk", slug=almaty.slug))
    for _ in range(20):
        child = make_unit("district", parent=almaty)
        make_akim(child, full_name_kk="Әкім", term_start=date(2024, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("districts:detail", "kk", slug=almaty.slug))
