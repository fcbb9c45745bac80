"""Dates, times and numbers follow each language's conventions (config/formats): day before month,
a 24-hour clock, a decimal comma, thousands and money grouped with a narrow no-break space."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.utils import formats, translation

ALMATY = ZoneInfo("Asia/Almaty")
# Day 19 cannot be a month: whichever of 19 and 12 comes first tells the order.
EVENING = datetime(2026, 12, 19, 17, 0, tzinfo=ALMATY)
MORNING = datetime(2026, 12, 19, 9, 5, tzinfo=ALMATY)
NNBSP, NBSP = "\u202f", "\u00a0"

NAMED_FORMATS = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
)
# The marks of a 12-hour clock in every catalogue that could reach a page (Django's kk and ru
# included: "Т.Қ." is its kk "p.m.") and the words Django's "P" format puts for 0:00 and 12:00.
TWELVE_HOUR_MARKS = ("Т.Қ.", "Т.Ж.", "ТҚ", "ТЖ", "AM", "PM", "a.m.", "p.m.", "д.п.", "п.п.", "ДП", "ПП")
TWELVE_HOUR_WORDS = ("midnight", "noon", "түнжарым", "түсқайта", "полночь", "полдень")
MONTH_WORDS = {
    "kk": ("желтоқсан", "Желтоқсан", "Жел", "жел"),
    "ru": ("декабр", "Декабр", "Дек", "дек"),
}
EXPECTED = {
    "kk": {
        "DATE_FORMAT": "2026 жылғы 19 желтоқсан",
        "DATETIME_FORMAT": "2026 жылғы 19 желтоқсан, 17:00",
        "SHORT_DATE_FORMAT": "19.12.2026",
        "SHORT_DATETIME_FORMAT": "19.12.2026 17:00",
        "MONTH_DAY_FORMAT": "19 желтоқсан",
        "YEAR_MONTH_FORMAT": "2026 жылғы желтоқсан",
        "TIME_FORMAT": "17:00",
    },
    "ru": {
        "DATE_FORMAT": "19 декабря 2026",
        "DATETIME_FORMAT": "19 декабря 2026, 17:00",
        "SHORT_DATE_FORMAT": "19.12.2026",
        "SHORT_DATETIME_FORMAT": "19.12.2026 17:00",
        "MONTH_DAY_FORMAT": "19 декабря",
        "YEAR_MONTH_FORMAT": "Декабрь 2026",
        "TIME_FORMAT": "17:00",
    },
}


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def assert_local_convention(text: str, language: str) -> None:
    for mark in (*TWELVE_HOUR_MARKS, *TWELVE_HOUR_WORDS):
        assert mark not in text, f"{mark!r} (a 12-hour clock) in {text!r}"
    month_at = [text.find(word) for word in MONTH_WORDS[language] if word in text]
    month_at += [match.start() for match in re.finditer(r"(?<!\d)12(?!\d)", text)]
    day_at = text.find("19")
    if month_at and day_at >= 0:
        assert day_at < min(month_at), f"the month comes before the day (US order) in {text!r}"
    assert "/" not in text, f"a US-style slash date in {text!r}"


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("name", NAMED_FORMATS)
def test_every_date_format_puts_the_day_first_on_a_24_hour_clock(language, name):
    with translation.override(language):
        evening = render('{{ moment|date:"' + name + '" }}', moment=EVENING)
        morning = render('{{ moment|date:"' + name + '" }}', moment=MORNING)
    assert evening == EXPECTED[language][name]
    assert_local_convention(evening, language)
    assert_local_convention(morning, language)
    if "DATETIME" in name:
        assert evening.endswith("17:00")
        assert morning.endswith("09:05")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_times_and_plain_dates_use_the_same_conventions(language):
    with translation.override(language):
        assert render('{{ moment|time:"TIME_FORMAT" }}', moment=EVENING) == "17:00"
        assert render('{{ moment|time:"TIME_FORMAT" }}', moment=MORNING) == "09:05"
        # A datetime or a date printed without a filter falls back to the long formats.
        assert render("{{ moment }}", moment=EVENING) == EXPECTED[language]["DATETIME_FORMAT"]
        assert render("{{ day }}", day=date(2026, 12, 19)) == EXPECTED[language]["DATE_FORMAT"]
        assert formats.date_format(EVENING, "DATETIME_FORMAT") == EXPECTED[language]["DATETIME_FORMAT"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_numbers_group_thousands_with_a_narrow_no_break_space_and_use_a_decimal_comma(language):
    with translation.override(language):
        assert render("{% load kezdesu %}{{ value|number }}", value=3200) == f"3{NNBSP}200"
        assert render("{% load kezdesu %}{{ value|number }}", value=9820000) == f"9{NNBSP}820{NNBSP}000"
        assert render("{% load kezdesu %}{{ value|number:1 }}", value=4.5) == "4,5"
        assert render('{{ value|floatformat:"-1" }}', value=4.5) == "4,5"
        # Years and ids are not amounts: printed plainly they are never grouped.
        assert render("{{ year }}", year=2026) == "2026"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_money_is_grouped_with_the_tenge_sign_after_a_no_break_space(language):
    with translation.override(language):
        money = "{% load kezdesu %}{{ value|tenge }}"
        assert render(money, value=Decimal("9820000")) == f"9{NNBSP}820{NNBSP}000{NBSP}₸"
        assert render(money, value=Decimal("1250.50")) == f"1{NNBSP}250,50{NBSP}₸"
        assert render("{% load reports %}{{ value|tenge }}", value=None) == "—"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_dates_typed_in_the_local_short_form_or_iso_are_understood(language):
    from django import forms

    with translation.override(language):
        assert forms.DateField().clean("19.12.2026") == date(2026, 12, 19)
        assert forms.DateField().clean("2026-12-19") == date(2026, 12, 19)
        assert forms.DateTimeField().clean("2026-12-19T17:00").hour == 17


def test_no_template_hard_codes_a_date_format():
    """Named formats only (DATE_FORMAT, SHORT_DATE_FORMAT…): a literal "d.m.Y" or "N j, Y" in one
    template is how a page ends up in another convention than the rest. Allowed: "c" (machine
    time for <time datetime>), "Y" (a year) and "D" (a weekday's abbreviation)."""
    pattern = re.compile(r"""\|\s*(?:date|time)\s*:\s*["']([^"']+)["']""")
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.*"):
        if not path.is_file():
            continue
        for literal in pattern.findall(path.read_text()):
            if not (literal.endswith("_FORMAT") or literal in {"c", "Y", "D"}):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {literal}")
    assert offenders == []
