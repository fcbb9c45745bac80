"""Forms as a person sees them: radios beside their labels, the official appeal's fields only once
it is chosen, inputs that fill a phone's column but not a desktop's."""

import pytest

from tests.questions.factories import answered, category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
APPEAL_FIELDS = ("#id_full_name", "#id_postal_address", "#id_iin")


def test_the_official_appeal_fields_appear_only_once_it_is_chosen(live_server, page, almaty, almaly):
    category("water")
    page.goto(f"{live_server.url}/ru/questions/ask/")
    assert not any(page.locator(field).is_visible() for field in APPEAL_FIELDS)

    page.get_by_label("Зарегистрировать как официальное обращение", exact=False).check()
    assert all(page.locator(field).is_visible() for field in APPEAL_FIELDS)
    assert page.get_by_label("ИИН").is_visible()

    page.get_by_label("Зарегистрировать как официальное обращение", exact=False).uncheck()
    assert not any(page.locator(field).is_visible() for field in APPEAL_FIELDS)


def test_without_css_every_appeal_field_is_there_to_fill(live_server, page, almaty, almaly):
    category("water")
    page.route("**/*.css", lambda route: route.abort())
    page.goto(f"{live_server.url}/ru/questions/ask/")
    assert all(page.locator(field).is_visible() for field in APPEAL_FIELDS)


def test_rating_radios_sit_beside_their_labels(live_server, page, almaly, almaly_staff, energy_department):
    question = answered(almaly, almaly_staff, energy_department)
    page.goto(f"{live_server.url}{question.get_tracking_url()}")
    for label_text in ("Иә, көңілім толды", "Жоқ, көңілім толмады"):
        radio = page.get_by_label(label_text).bounding_box()
        label = page.locator("label", has_text=label_text).bounding_box()
        # One row, the tap target at least 44 px high, the circle small and to the left of the words.
        assert 44 <= label["height"] < 60, label
        assert radio["width"] <= 24 and radio["x"] - label["x"] < 2, (radio, label)
        assert label["y"] <= radio["y"] and radio["y"] + radio["height"] <= label["y"] + label["height"]

    page.get_by_label("Жоқ, көңілім толмады").check()
    assert page.get_by_label("Жоқ, көңілім толмады").is_checked()


def test_inputs_fill_a_phone_column_but_not_a_desktop(live_server, page, almaty, almaly):
    category("water")
    page.goto(f"{live_server.url}/kk/questions/ask/")
    column = page.locator("main").evaluate("main => main.clientWidth - 32")  # .wrap's padding
    assert page.locator("#id_author_name").bounding_box()["width"] == pytest.approx(column, abs=2)

    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.locator("#id_author_name").bounding_box()["width"] < 520
    assert page.locator("#id_text").bounding_box()["width"] < 760
