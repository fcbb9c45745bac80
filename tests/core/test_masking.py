import pytest
from django.utils import translation

from core.masking import mask_personal_data


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


@pytest.mark.parametrize(
    "phone", ["+7 701 234 56 78", "+77012345678", "8 (701) 234-56-78", "87012345678", "701 234 56 78", "7012345678"]
)
def test_phone_numbers_in_the_ways_people_write_them_are_masked(phone):
    masked = mask_personal_data(f"Позвоните мне: {phone}, спасибо")
    assert masked == "Позвоните мне: [номер скрыт], спасибо"


def test_an_iin_with_a_valid_check_digit_is_masked_and_other_numbers_stay():
    text = "Мой ИИН 900101300176, договор 123456789012, дом 12, 2025 год, 880101300110"
    assert mask_personal_data(text) == "Мой ИИН [ИИН скрыт], договор 123456789012, дом 12, 2025 год, 880101300110"


def test_kazakh_placeholders_follow_the_language():
    with translation.override("kk"):
        assert "900101300176" not in mask_personal_data("ЖСН 900101300176")
        assert mask_personal_data("ЖСН 900101300176") != "ЖСН [ИИН скрыт]"


def test_empty_text_is_returned_as_is():
    assert mask_personal_data("") == ""


def test_email_addresses_are_masked():
    assert mask_personal_data("Пишите: aigerim.a+kz@mail.example.kz.") == "Пишите: [почта скрыта]."
