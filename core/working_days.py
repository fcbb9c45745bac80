"""Kazakhstan's working-day calendar: weekends, public holidays and transferred days off.

The `holidays` package (country KZ) knows Nauryz, the New Year holidays, days off moved by
government decree and the Saturdays or Sundays that become working days in exchange.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


def is_working_day(day: date) -> bool:
    return _calendar(day.year).is_working_day(day)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_after(day: date, n: int) -> date:
    """The n-th working day after `day`.

    A day off is treated as if the thing arrived on the next working day (art. 76 counts the
    term from registration, and nothing is registered on a day off): a question sent on
    Saturday counts as sent on Monday, and its 15th working day is counted from Monday.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    current = next_working_day(day)
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@lru_cache(maxsize=128)
def _running_counts(year: int) -> tuple[int, ...]:
    """For each day of `year` (by day of the year), its working days up to and including it."""
    counts, total, day = [], 0, date(year, 1, 1)
    while day.year == year:
        total += is_working_day(day)
        counts.append(total)
        day += timedelta(days=1)
    return tuple(counts)


def _working_days_through(day: date) -> int:
    return _running_counts(day.year)[day.timetuple().tm_yday - 1]


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when end is earlier).

    A difference of running counts: figures over a year of questions ask this tens of thousands
    of times, and walking each interval day by day cost seconds.
    """
    if end < start:
        return -working_days_between(end, start)
    return (
        _working_days_through(end)
        - _working_days_through(start)
        + sum(_running_counts(year)[-1] for year in range(start.year, end.year))
    )
