"""Reporting periods (quarter, half-year, year) as local-time (Asia/Almaty) intervals."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[QH])(?P<index>\d))?$")
_MONTHS_PER = {"quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class Period:
    kind: str  # "quarter", "half_year" or "year" (MandateRule.Period values)
    year: int
    index: int = 1  # 1–4 for quarters, 1–2 for half-years, 1 for a year

    @property
    def first_day(self) -> date:
        return date(self.year, (self.index - 1) * _MONTHS_PER[self.kind] + 1, 1)

    @property
    def next_first_day(self) -> date:
        month = self.index * _MONTHS_PER[self.kind] + 1
        return date(self.year + 1, 1, 1) if month > 12 else date(self.year, month, 1)

    @property
    def starts_at(self) -> datetime:
        """Local midnight of the first day, as an aware datetime."""
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def ends_at(self) -> datetime:
        """Local midnight after the last day (exclusive)."""
        return timezone.make_aware(datetime.combine(self.next_first_day, time.min))

    @property
    def code(self) -> str:
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        if self.kind == "half_year":
            return f"{self.year}-H{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return str(_("Q%(index)s %(year)s") % {"index": self.index, "year": self.year})
        if self.kind == "half_year":
            return str(_("H%(index)s %(year)s") % {"index": self.index, "year": self.year})
        return str(_("year %(year)s") % {"year": self.year})

    def containing(self, kind: str) -> "Period":
        """The period of another length that holds this one's first day."""
        return period_of(self.first_day, kind)

    def previous(self) -> "Period":
        return period_of(date.fromordinal(self.first_day.toordinal() - 1), self.kind)

    def next(self) -> "Period":
        return period_of(self.next_first_day, self.kind)

    def contains(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


def period_of(day: date, kind: str) -> Period:
    return Period(kind, day.year, (day.month - 1) // _MONTHS_PER[kind] + 1)


def period_parse(value: str | None, *, default: Period) -> Period:
    """ "2025-Q3", "2025-H2" or "2025"; anything else gives the default."""
    match = _PATTERN.match((value or "").strip())
    if not match:
        return default
    year = int(match["year"])
    if match["kind"] is None:
        return Period("year", year) if 2000 <= year <= 2100 else default
    kind = "quarter" if match["kind"] == "Q" else "half_year"
    index = int(match["index"])
    if not (2000 <= year <= 2100 and 1 <= index <= (4 if kind == "quarter" else 2)):
        return default
    return Period(kind, year, index)


def current_quarter() -> Period:
    return period_of(timezone.localdate(), "quarter")
