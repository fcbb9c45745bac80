"""Meetings test data. Rows are created directly so that tests can set any state (a held meeting
in the past, a full one); the services are exercised by the tests that are about them."""

from datetime import datetime, timedelta
from itertools import count

from django.utils import timezone

from districts.models import AdministrativeUnit
from meetings.models import Meeting, ReceptionSlot, Registration, Venue

_n = count(1)


def in_days(days: float, hour: int = 11) -> datetime:
    """Local time `days` from today at `hour`:00, aware."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_venue(unit: AdministrativeUnit, *, capacity: int = 100, name: str | None = None, **fields) -> Venue:
    n = next(_n)
    return Venue.objects.create(
        unit=unit,
        name_kk=name or f"Мектеп № {n}",
        name_ru=name or f"Школа № {n}",
        address_kk=f"Абай даңғылы, {n}",
        address_ru=f"проспект Абая, {n}",
        capacity=capacity,
        **fields,
    )


def make_meeting(
    unit: AdministrativeUnit,
    *,
    starts_at: datetime | None = None,
    hours: float = 2,
    status: str = Meeting.Status.SCHEDULED,
    kind: str = Meeting.Kind.REPORTING,
    **fields,
) -> Meeting:
    n = next(_n)
    starts_at = starts_at or in_days(7)
    fields.setdefault("title_kk", f"Әкімнің есебі {n}")
    fields.setdefault("title_ru", f"Отчёт акима {n}")
    if status == Meeting.Status.HELD:
        fields.setdefault("attendance", 120)
    venue = fields.get("venue")
    if venue is not None and "capacity" not in fields:
        fields["capacity"] = venue.capacity
    return Meeting.objects.create(
        unit=unit, kind=kind, status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **fields
    )


def make_registration(meeting: Meeting, *, status: str = Registration.Status.REGISTERED, **fields) -> Registration:
    n = next(_n)
    fields.setdefault("name", f"Тұрғын {n}")
    fields.setdefault("email", f"resident{n}@example.kz")
    return Registration.objects.create(meeting=meeting, status=status, **fields)


def make_slot(meeting: Meeting, *, starts_at: datetime | None = None, minutes: int = 15) -> ReceptionSlot:
    return ReceptionSlot.objects.create(
        meeting=meeting,
        official_kk="Бөлім басшысы",
        official_ru="Руководитель отдела",
        starts_at=starts_at or meeting.starts_at,
        minutes=minutes,
    )
