"""Masking, form by form: what must be hidden and what must stay visible, as two tables.

Each row is written inside a sentence, as residents write; a hidden form must leave no digit
or letter of itself behind and put exactly one marker of its kind in its place.
"""

import pytest
from django.utils import translation
from django.utils.html import escape

from core.masking import EMAIL, IIN, MARKERS, PHONE, has_markers, mask_personal_data, render_masked

# (kind, how it is written)
HIDDEN = [
    # IINs and BINs: 12 digits with a valid check digit, whole or in groups.
    (IIN, "850715304274"),
    (IIN, "850715 304274"),
    (IIN, "850715-304274"),
    (IIN, "850715.304274"),
    (IIN, "8507 1530 4274"),
    (IIN, "850 715 304 274"),
    (IIN, "85 07 15 30 42 74"),
    (IIN, "900101300176"),
    (IIN, "ЖСН850715304274"),  # glued to the word: the word stays, the number goes
    (IIN, "040540001230"),  # a BIN (registered April 2004, a legal entity)
    # Kazakhstan landlines, 4- and 3-digit area codes.
    (PHONE, "+7 (7172) 55-66-77"),
    (PHONE, "8 7272 55 66 77"),
    (PHONE, "8 (727) 255-66-77"),
    (PHONE, "+7 727 255 66 77"),
    (PHONE, "8(7172)556677"),
    (PHONE, "(7172) 55-66-77"),
    (PHONE, "7172 55 66 77"),
    (PHONE, "255-66-77"),
    # Mobiles, every common spelling.
    (PHONE, "+7 701 234 56 78"),
    (PHONE, "+77012345678"),
    (PHONE, "+7-701-234-5678"),
    (PHONE, "+7 (701) 234-56-78"),
    (PHONE, "8(701)2345678"),
    (PHONE, "8 (701) 234-56-78"),
    (PHONE, "8-701-234-56-78"),
    (PHONE, "8 701 234 5678"),
    (PHONE, "87012345678"),
    (PHONE, "7 701 234 56 78"),
    (PHONE, "701 234 56 78"),
    (PHONE, "701-234-56-78"),
    (PHONE, "7012345678"),
    (PHONE, "8 800 080 77 77"),
    # International numbers.
    (PHONE, "+996 555 123 456"),
    (PHONE, "+998 90 123 45 67"),
    (PHONE, "+7 916 123-45-67"),
    (PHONE, "8 916 123 45 67"),
    (PHONE, "+44 20 7946 0958"),
    (PHONE, "+1 (202) 555-0143"),
    (PHONE, "00996 555 123456"),
    # Emails, also written to slip past a filter.
    (EMAIL, "aigerim.a+kz@mail.example.kz"),
    (EMAIL, "Aigerim_85@Mail.RU"),
    (EMAIL, "aigerim @ mail . kz"),
    (EMAIL, "aigerim@ mail.kz"),
    (EMAIL, "aigerim @mail.kz"),
    (EMAIL, "aigerim at mail dot kz"),
    (EMAIL, "aigerim(at)mail(dot)kz"),
    (EMAIL, "Aigerim [at] Mail [dot] KZ"),
    (EMAIL, "aigerim собака mail точка ru"),
    (EMAIL, "aigerim (собака) mail (точка) ru"),
    (EMAIL, "aigerim собака mail нүкте kz"),
    (EMAIL, "почта@домен.рф"),
]

VISIBLE = [
    # Years and dates, times.
    "2024",
    "1991–2025",
    "2023-2024-2025",
    "15.07.2025",
    "2025-07-15",
    "15/07/2025",
    "15.07.2025 10.30",
    "12.03.2025 в 15:00",
    "10:00–12:00",
    # Money and shares.
    "9 820 000 ₸",
    "700 млн",
    "700 млн теңге",
    "1 250 000 000 тенге",
    "12 500 000 000 ₸",
    "7 000 000 000 теңге",
    "125 000 000 000",
    "2 500 000",
    "+15 000 ₸",
    "45 %",
    "12,5%",
    "0,5 %",
    # Codes and counts.
    "751110000",  # KATO
    "050000",  # postal code
    "договор 123456789012",  # 12 digits, wrong check digit
    "880101300110",  # the same
    "20-321-005-123",  # cadastral number
    "4400 4301 2345 6789",
    "KZ86125KZT5004100100",
    "1 250 человек",
    "3 200 орындық",
    "31 жоба",
    "үй 12, пәтер 45",
    "тел. 109",
    "7 701",
    # Words that look like an obfuscated email but are a sentence.
    "Look at this. Then go.",
    "встреча в 10 у школы",
]


def _kinds(text: str) -> list[str]:
    by_marker = {marker: kind for kind, marker in MARKERS.items()}
    return [by_marker[char] for char in text if char in by_marker]


@pytest.mark.parametrize(("kind", "written"), HIDDEN, ids=[written for _kind, written in HIDDEN])
def test_personal_data_in_the_ways_people_write_it_is_hidden(kind, written):
    text = f"Менің деректерім: {written}, рақмет."
    masked = mask_personal_data(text)
    prefix = "ЖСН" if written.startswith("ЖСН") else ""
    assert masked == f"Менің деректерім: {prefix}{MARKERS[kind]}, рақмет."
    assert _kinds(masked) == [kind]


@pytest.mark.parametrize("written", VISIBLE)
def test_years_dates_money_codes_and_counts_stay_visible(written):
    text = f"Деректер: {written}, рақмет."
    assert mask_personal_data(text) == text


def test_several_values_in_one_text_are_each_hidden_and_the_rest_stays():
    text = "Тел: 8 701 234 56 78, 8 702 345 67 89; кв. 5 87012345678 ЖСН 850715 304274 (2024 жылы), a@b.kz"
    masked = mask_personal_data(text)
    assert _kinds(masked) == [PHONE, PHONE, PHONE, IIN, EMAIL]
    assert "кв. 5 " in masked and "(2024 жылы)" in masked


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "ЖСН [ЖСН жасырылған], тел. [нөмір жасырылған], [пошта жасырылған]"),
        ("ru", "ЖСН [ИИН скрыт], тел. [номер скрыт], [почта скрыта]"),
    ],
)
def test_markers_are_rendered_in_the_readers_language(language, expected):
    masked = mask_personal_data("ЖСН 850715304274, тел. +7 701 234 56 78, a.b@mail.kz")
    with translation.override(language):
        assert render_masked(masked) == expected


def test_the_stored_copy_holds_no_words_of_any_language():
    masked = mask_personal_data("ЖСН 850715304274, тел. +7 701 234 56 78, a.b@mail.kz")
    assert masked == f"ЖСН {MARKERS[IIN]}, тел. {MARKERS[PHONE]}, {MARKERS[EMAIL]}"
    assert has_markers(masked) and not has_markers("ЖСН")


def test_masking_is_idempotent_and_a_rendered_label_masks_back():
    original = "ЖСН 850715 304274, +7 (7172) 55-66-77, aigerim собака mail точка ru"
    masked = mask_personal_data(original)
    assert mask_personal_data(masked) == masked
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert mask_personal_data(render_masked(masked)) == masked


def test_a_label_is_escaped_where_the_text_is_already_html():
    with translation.override("ru"):
        assert render_masked(f"<p>{MARKERS[PHONE]}</p>", escape=escape) == "<p>[номер скрыт]</p>"


def test_empty_and_plain_texts_pass_through():
    assert mask_personal_data("") == ""
    assert render_masked("") == ""
    assert render_masked("Су жоқ") == "Су жоқ"
