"""Every write to cycles: one keyword-only function per step, one transaction, rules inside.

    cycle_create            the cycle and, in the same transaction, a meeting per child territory
                            (meetings.services.meeting_schedule: its rules and events apply)
    cycle_meeting_add       a meeting scheduled later joins the cycle, or moves from another cycle
    cycle_meeting_remove    a meeting leaves the cycle (the meeting itself stays)

Times of a cycle's meeting change through meetings.services.meeting_reschedule like any other
meeting's. Bad input raises ValidationError with every refusal named by its territory, and
nothing is written: one refused meeting leaves no cycle and no other meeting behind.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import ApplicationError
from cycles.models import Cycle, CycleMeeting
from cycles.permissions import can_manage_cycles
from districts.models import AdministrativeUnit, Akim
from meetings.models import Meeting, Venue
from meetings.services import meeting_schedule

# The kind of each meeting a cycle schedules.
MEETING_KIND = {
    Cycle.Kind.REPORTING: Meeting.Kind.REPORTING,
    Cycle.Kind.PROGRAMME_1: Meeting.Kind.PROGRAMME_1,
    Cycle.Kind.PROGRAMME_2: Meeting.Kind.PROGRAMME_2,
    Cycle.Kind.PROGRAMME_3: Meeting.Kind.PROGRAMME_3,
    Cycle.Kind.FORUM: Meeting.Kind.FORUM,
}


@dataclass(frozen=True)
class Slot:
    """One meeting of a new cycle: where (a child territory and a venue) and when."""

    unit: AdministrativeUnit
    starts_at: datetime
    ends_at: datetime
    venue: Venue | None = None


def _require_manager(actor: User | None, unit: AdministrativeUnit) -> None:
    if actor is None or not can_manage_cycles(actor, unit):
        raise PermissionDenied(_("You do not manage meetings in this territory."))


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ApplicationError):
        return [str(error.message)]
    return [str(message) for message in error.messages]


def _free_slug(base: str) -> str:
    base = slugify(base)[:100] or "cycle"
    slug, n = base, 1
    while Cycle.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _meeting_title(cycle: Cycle, unit: AdministrativeUnit, language: str) -> str:
    title = getattr(cycle, f"title_{language}") or cycle.title_kk
    name = getattr(unit, f"name_{language}") or unit.name_kk
    return f"{title}: {name}"[:300]


@transaction.atomic
def cycle_create(
    *,
    actor: User,
    unit: AdministrativeUnit,
    kind: str,
    number: int,
    title_kk: str,
    title_ru: str = "",
    host: Akim | None = None,
    slots: list[Slot],
    publish: bool = True,
    is_demo: bool = False,
) -> Cycle:
    """A cycle over `unit` and its meetings, one per slot, all or nothing."""
    _require_manager(actor, unit)
    if not slots:
        raise ValidationError(_("Schedule at least one meeting of the cycle."))
    errors: list[str] = []
    seen: set[int] = set()
    for slot in slots:
        if slot.unit.parent_id != unit.pk:
            errors.append(
                _("%(territory)s is not a subdivision of %(parent)s.") % {"territory": slot.unit, "parent": unit}
            )
        elif slot.unit.pk in seen:
            errors.append(_("%(territory)s has two meetings in the form.") % {"territory": slot.unit})
        seen.add(slot.unit.pk)
    if errors:
        raise ValidationError(errors)
    first = min(timezone.localdate(slot.starts_at) for slot in slots)
    last = max(timezone.localdate(slot.ends_at) for slot in slots)
    cycle = Cycle(
        unit=unit,
        host=host,
        kind=kind,
        number=number,
        title_kk=title_kk,
        title_ru=title_ru,
        starts_on=first,
        ends_on=last,
        slug=_free_slug(f"{unit.slug}-{first.year}-{kind}-{number}"),
        created_by=actor,
        is_demo=is_demo,
    )
    cycle.full_clean(exclude=["slug"])
    cycle.save()
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.unit.path)):
        try:
            meeting = meeting_schedule(
                actor=actor,
                unit=slot.unit,
                kind=MEETING_KIND[kind],
                title_kk=_meeting_title(cycle, slot.unit, "kk"),
                title_ru=_meeting_title(cycle, slot.unit, "ru"),
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                venue=slot.venue,
                host=host,
                publish=publish,
                is_demo=is_demo,
            )
        except (ValidationError, ApplicationError) as error:
            errors.extend(f"{slot.unit}: {message}" for message in _messages(error))
            continue
        CycleMeeting.objects.create(cycle=cycle, meeting=meeting)
    if errors:
        # The transaction rolls back: no cycle and none of its meetings are kept.
        raise ValidationError(errors)
    return cycle


def _stretch(cycle: Cycle) -> None:
    """The cycle's dates cover its meetings."""
    days = [timezone.localdate(start) for start in cycle.links.values_list("meeting__starts_at", flat=True)]
    if days:
        cycle.starts_on, cycle.ends_on = min(days), max(days)
        cycle.save(update_fields=["starts_on", "ends_on"])


@transaction.atomic
def cycle_meeting_add(*, cycle: Cycle, meeting: Meeting, actor: User) -> CycleMeeting:
    """Add a meeting of the cycle's territory; a meeting of another cycle moves to this one."""
    _require_manager(actor, cycle.unit)
    _require_manager(actor, meeting.unit)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not meeting.unit.path.startswith(cycle.unit.path):
        raise ValidationError({"meeting": _("The meeting is for a territory outside the cycle's.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError(_("A cancelled meeting cannot join a cycle."))
    link, _created = CycleMeeting.objects.update_or_create(meeting=meeting, defaults={"cycle": cycle})
    _stretch(cycle)
    return link


@transaction.atomic
def cycle_meeting_remove(*, cycle: Cycle, meeting: Meeting, actor: User) -> None:
    _require_manager(actor, cycle.unit)
    deleted, _rows = CycleMeeting.objects.filter(cycle=cycle, meeting=meeting).delete()
    if not deleted:
        raise ApplicationError(_("The meeting is not part of this cycle."))
    _stretch(cycle)
