from datetime import date

import pytest

from core.working_days import is_working_day, next_working_day, working_days_after, working_days_between


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 20), True),  # Friday before Nauryz
        (date(2026, 3, 23), False),  # Nauryz
        (date(2026, 3, 25), False),  # Nauryz day off moved from the weekend
        (date(2026, 3, 26), True),
        (date(2026, 1, 2), False),  # New Year
        (date(2026, 1, 7), False),  # Orthodox Christmas
        (date(2026, 11, 21), False),  # an ordinary Saturday
        (date(2025, 1, 3), False),  # a day off transferred from Sunday 5 January 2025
        (date(2025, 1, 5), True),  # ... which became a working Sunday
    ],
)
def test_kazakhstan_calendar_knows_holidays_weekends_and_transfers(day, expected):
    assert is_working_day(day) is expected


def test_fifteen_working_days_skip_the_whole_nauryz_week():
    # Thursday 19 March 2026: 20 March; 23–25 March (Mon–Wed) are Nauryz days off; then
    # 26–27 March, 30 March – 3 April, 6–10 April and 13–14 April make fifteen.
    assert working_days_after(date(2026, 3, 19), 15) == date(2026, 4, 14)
    assert working_days_between(date(2026, 3, 19), date(2026, 4, 14)) == 15
    # Without Nauryz it would have been Thursday 9 April.
    assert working_days_between(date(2026, 3, 19), date(2026, 4, 9)) == 12


def test_fifteen_working_days_across_the_new_year_holidays():
    # Friday 26 December 2025; 1–2 and 7 January 2026 are days off.
    assert working_days_after(date(2025, 12, 26), 15) == date(2026, 1, 21)


def test_a_question_arriving_on_a_day_off_counts_from_the_next_working_day():
    saturday, monday = date(2026, 3, 21), date(2026, 3, 26)  # Saturday of Nauryz; Thursday after
    assert next_working_day(saturday) == monday
    assert working_days_after(saturday, 15) == working_days_after(monday, 15) == date(2026, 4, 16)
    assert working_days_after(date(2026, 1, 1), 0) == date(2026, 1, 5)  # 2 January is off too


def test_zero_days_after_a_working_day_is_that_day_and_negative_is_refused():
    assert working_days_after(date(2026, 4, 1), 0) == date(2026, 4, 1)
    with pytest.raises(ValueError):
        working_days_after(date(2026, 4, 1), -1)


def test_working_days_between_counts_backwards_as_negative():
    assert working_days_between(date(2026, 4, 10), date(2026, 4, 8)) == -2
