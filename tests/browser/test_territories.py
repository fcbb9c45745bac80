import pytest

from tests.factories import make_akim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_switches_to_russian_and_finds_the_district_akim(live_server, page, almaty, almaly, medeu):
    make_akim(almaly, full_name_kk="Айгүл Серікқызы Нұрланова", full_name_ru="Айгуль Сериковна Нурланова")

    page.goto(f"{live_server.url}/kk/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.get_by_role("heading", level=1).inner_text() == "Әкімдер тұрғындармен кездеседі"

    page.get_by_role("navigation", name="Тіл").get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{live_server.url}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"

    page.get_by_role("link", name="Алматы").first.click()
    page.get_by_role("link", name="Алмалинский район").click()
    page.wait_for_url(f"{live_server.url}/ru/territories/{almaly.slug}/")

    assert page.get_by_role("heading", level=1).inner_text() == "Алмалинский район"
    assert "Айгуль Сериковна Нурланова" in page.locator(".akim-name").inner_text()
