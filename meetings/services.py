"""Every write to meetings: plain functions, keyword-only, one transaction each, rules inside.

Bad input raises django.core.exceptions.ValidationError; a broken business rule raises
core.errors.ApplicationError; an actor acting outside the territory they cover raises
PermissionDenied (pages and the API answer 404 before reaching that point).
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import PersonalDataAccess, User
from accounts.services import personal_data_access_record
from core.errors import ApplicationError
from core.events import named_ref
from core.phones import normalize_kz_phone
from districts.models import AdministrativeUnit, Akim
from meetings.models import (
    AgendaItem,
    MandateRuleSet,
    Meeting,
    MeetingEvent,
    PlanItem,
    ReceptionBooking,
    ReceptionSlot,
    Registration,
    Speaker,
    Venue,
)
from meetings.permissions import can_manage_meetings, can_see_registrations
from notifications.services import notification_cancel, notification_enqueue_many

Status = Meeting.Status
EDITABLE = {Status.DRAFT, Status.SCHEDULED}


# --- Helpers ---------------------------------------------------------------------------------


def _require_manager(actor: User | None, unit: AdministrativeUnit) -> None:
    if actor is None or not can_manage_meetings(actor, unit):
        raise PermissionDenied(_("You do not manage meetings in this territory."))


def _local(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _event(
    *,
    meeting: Meeting,
    actor: User | None,
    kind: str,
    from_status: str = "",
    from_starts_at: datetime | None = None,
    from_ends_at: datetime | None = None,
    changes: dict | None = None,
    note: str = "",
) -> MeetingEvent:
    return MeetingEvent.objects.create(
        meeting=meeting,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=meeting.status,
        from_starts_at=from_starts_at,
        from_ends_at=from_ends_at,
        to_starts_at=meeting.starts_at,
        to_ends_at=meeting.ends_at,
        changes=changes or {},
        note=note,
    )


def _check_times(*, starts_at: datetime, ends_at: datetime) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError(_("Give the start and the end of the meeting."))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A meeting cannot be scheduled in the past.")})


def _check_host(*, host: Akim | None, unit: AdministrativeUnit, starts_at: datetime) -> None:
    if host is None:
        return
    if host.unit_id != unit.pk and host.unit_id not in unit.ancestor_ids:
        raise ValidationError(
            {"host": _("The host akim must be the akim of this territory or of a territory above it.")}
        )
    if not host.is_current_on(timezone.localtime(starts_at).date()):
        raise ValidationError({"host": _("The host akim is not in office on the day of the meeting.")})


def _check_venue_free(*, venue: Venue | None, starts_at: datetime, ends_at: datetime, exclude_pk: int | None) -> None:
    """No two meetings in one venue at overlapping times; the message names the other one."""
    if venue is None:
        return
    # Lock the venue row so that two schedulers for one venue queue up instead of both passing.
    Venue.objects.select_for_update().filter(pk=venue.pk).first()
    other = (
        Meeting.objects.filter(venue=venue, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=Status.CANCELLED)
        .exclude(pk=exclude_pk)
        .order_by("starts_at")
        .first()
    )
    if other is not None:
        raise ApplicationError(
            _("%(venue)s is taken at that time by “%(title)s” (%(start)s – %(end)s).")
            % {
                "venue": venue,
                "title": other.title,
                "start": _local(other.starts_at),
                "end": formats.time_format(timezone.localtime(other.ends_at), "TIME_FORMAT"),
            }
        )


def _settle_capacity(meeting: Meeting) -> None:
    if meeting.venue is not None:
        if meeting.capacity is None:
            meeting.capacity = meeting.venue.capacity
        elif meeting.capacity > meeting.venue.capacity:
            raise ValidationError(
                {
                    "capacity": _("The capacity cannot exceed the venue's %(seats)s seats.")
                    % {"seats": meeting.venue.capacity}
                }
            )
    if meeting.capacity is not None and meeting.capacity < 1:
        raise ValidationError({"capacity": _("The capacity must be at least one seat.")})


def _check_questions_close(meeting: Meeting) -> None:
    if meeting.questions_close_at is None:
        meeting.questions_close_at = meeting.default_questions_close_at
    if meeting.questions_close_at > meeting.starts_at:
        raise ValidationError({"questions_close_at": _("Questions must close no later than the meeting starts.")})


def _validate(meeting: Meeting) -> None:
    _check_host(host=meeting.host, unit=meeting.unit, starts_at=meeting.starts_at)
    _settle_capacity(meeting)
    _check_questions_close(meeting)
    meeting.full_clean(exclude=["plan_item"])
    _check_venue_free(venue=meeting.venue, starts_at=meeting.starts_at, ends_at=meeting.ends_at, exclude_pk=meeting.pk)


# --- Meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    unit: AdministrativeUnit,
    kind: str,
    title_kk: str,
    title_ru: str = "",
    description_kk: str = "",
    description_ru: str = "",
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    host: Akim | None = None,
    capacity: int | None = None,
    registration_open: bool = True,
    questions_close_at: datetime | None = None,
    livestream_url: str = "",
    plan_item: PlanItem | None = None,
    publish: bool = True,
    is_demo: bool = False,
) -> Meeting:
    """Create a meeting: announced at once (scheduled), or kept as a draft with publish=False."""
    _require_manager(actor, unit)
    _check_times(starts_at=starts_at, ends_at=ends_at)
    if plan_item is not None:
        if not plan_item.unit.path.startswith(unit.path) and not unit.path.startswith(plan_item.unit.path):
            raise ValidationError({"plan_item": _("The plan item belongs to another territory.")})
        if Meeting.objects.filter(plan_item=plan_item).exists():
            raise ApplicationError(_("A meeting has already been scheduled for this plan item."))
    meeting = Meeting(
        unit=unit,
        kind=kind,
        title_kk=title_kk,
        title_ru=title_ru,
        description_kk=description_kk,
        description_ru=description_ru,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        host=host,
        capacity=capacity,
        registration_open=registration_open,
        questions_close_at=questions_close_at,
        livestream_url=livestream_url,
        plan_item=plan_item,
        status=Status.SCHEDULED if publish else Status.DRAFT,
        created_by=actor,
        is_demo=is_demo,
    )
    _validate(meeting)
    meeting.save()
    _event(meeting=meeting, actor=actor, kind=MeetingEvent.Kind.SCHEDULED if publish else MeetingEvent.Kind.CREATED)
    return meeting


@transaction.atomic
def meeting_publish(*, meeting: Meeting, actor: User) -> Meeting:
    """A draft becomes a scheduled, announced meeting."""
    _require_manager(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.DRAFT:
        raise ApplicationError(_("Only a draft can be published."))
    _check_times(starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    _validate(meeting)
    meeting.status = Status.SCHEDULED
    meeting.save(update_fields=["status", "updated_at"])
    _event(meeting=meeting, actor=actor, kind=MeetingEvent.Kind.SCHEDULED, from_status=Status.DRAFT)
    return meeting


UPDATABLE_FIELDS = {
    "kind",
    "title_kk",
    "title_ru",
    "description_kk",
    "description_ru",
    "venue",
    "host",
    "capacity",
    "registration_open",
    "questions_close_at",
    "livestream_url",
    "recording_url",
}


def _as_text(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Venue):
        return named_ref(value)
    if isinstance(value, Akim):
        return named_ref(value, "full_name")
    return str(value)


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: User, **fields: Any) -> Meeting:
    """Change what a meeting is about and where; times change only through meeting_reschedule."""
    _require_manager(actor, meeting.unit)
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in EDITABLE and set(fields) - {"recording_url"}:
        raise ApplicationError(_("A held or cancelled meeting cannot be edited, except for its recording link."))
    changes = {}
    for name, value in fields.items():
        before = getattr(meeting, name)
        if before != value:
            changes[name] = [_as_text(before), _as_text(value)]
            setattr(meeting, name, value)
    if not changes:
        return meeting
    if "venue" in changes and "capacity" not in fields and meeting.venue is not None:
        meeting.capacity = None  # follow the new venue's capacity
    if meeting.status in EDITABLE:
        _validate(meeting)
    else:
        meeting.full_clean(exclude=["plan_item"])
    registered = meeting.registrations.filter(status=Registration.Status.REGISTERED).count()
    if meeting.capacity is not None and meeting.capacity < registered:
        raise ValidationError(
            {
                "capacity": _("%(count)s residents are already registered; the capacity cannot be lower.")
                % {"count": registered}
            }
        )
    meeting.save()
    _notify_promoted(_promote_waitlist(meeting))
    _event(meeting=meeting, actor=actor, kind=MeetingEvent.Kind.UPDATED, from_status=meeting.status, changes=changes)
    return meeting


@transaction.atomic
def meeting_reschedule(
    *, meeting: Meeting, actor: User, starts_at: datetime, ends_at: datetime, note: str = ""
) -> Meeting:
    """New times; the earlier ones stay in the event history and calendars get a new SEQUENCE."""
    _require_manager(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in EDITABLE:
        raise ApplicationError(_("Only a draft or scheduled meeting can be rescheduled."))
    _check_times(starts_at=starts_at, ends_at=ends_at)
    if starts_at == meeting.starts_at and ends_at == meeting.ends_at:
        raise ValidationError({"starts_at": _("The new times are the same as the current ones.")})
    old_starts, old_ends = meeting.starts_at, meeting.ends_at
    if meeting.questions_close_at is not None:
        meeting.questions_close_at += starts_at - old_starts  # keep the same lead time
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    _validate(meeting)
    meeting.sequence += 1
    meeting.save()
    _event(
        meeting=meeting,
        actor=actor,
        kind=MeetingEvent.Kind.RESCHEDULED,
        from_status=meeting.status,
        from_starts_at=old_starts,
        from_ends_at=old_ends,
        note=note,
    )
    _notify_change(meeting, kind="meetings.rescheduled", old_sequence=meeting.sequence - 1, reason=note)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, reason: str) -> Meeting:
    _require_manager(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in EDITABLE:
        raise ApplicationError(_("Only a draft or scheduled meeting can be cancelled."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Tell residents why the meeting is cancelled.")})
    before = meeting.status
    meeting.status, meeting.cancel_reason = Status.CANCELLED, reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    _event(meeting=meeting, actor=actor, kind=MeetingEvent.Kind.CANCELLED, from_status=before, note=reason)
    _notify_change(meeting, kind="meetings.cancelled", old_sequence=meeting.sequence - 1, reason=reason)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor: User, attendance: int | None, recording_url: str = "") -> Meeting:
    _require_manager(actor, meeting.unit)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Status.SCHEDULED:
        raise ApplicationError(_("Only a scheduled meeting can be marked held."))
    if meeting.starts_at > timezone.now():
        raise ApplicationError(_("A meeting cannot be marked held before it starts."))
    if attendance is None or attendance < 1:
        raise ValidationError({"attendance": _("Give the number of residents who attended.")})
    meeting.status, meeting.attendance = Status.HELD, attendance
    if recording_url:
        meeting.recording_url = recording_url
    meeting.full_clean(exclude=["plan_item"])
    meeting.save(update_fields=["status", "attendance", "recording_url", "updated_at"])
    _event(
        meeting=meeting,
        actor=actor,
        kind=MeetingEvent.Kind.HELD,
        from_status=Status.SCHEDULED,
        changes={"attendance": [None, attendance]},
    )
    return meeting


# --- Speakers and agenda ---------------------------------------------------------------------


def _require_editable(meeting: Meeting, actor: User) -> None:
    _require_manager(actor, meeting.unit)
    if meeting.status not in EDITABLE:
        raise ApplicationError(_("A held or cancelled meeting cannot be edited, except for its recording link."))


@transaction.atomic
def speaker_add(
    *, meeting: Meeting, actor: User, name_kk: str, name_ru: str = "", position_kk: str = "", position_ru: str = ""
) -> Speaker:
    _require_editable(meeting, actor)
    order = meeting.speakers.count() + 1
    speaker = Speaker(
        meeting=meeting, name_kk=name_kk, name_ru=name_ru, position_kk=position_kk, position_ru=position_ru, order=order
    )
    speaker.full_clean()
    speaker.save()
    return speaker


@transaction.atomic
def speaker_remove(*, speaker: Speaker, actor: User) -> None:
    _require_editable(speaker.meeting, actor)
    speaker.delete()


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    actor: User,
    title_kk: str,
    title_ru: str = "",
    minutes: int,
    is_akim_report: bool = False,
) -> AgendaItem:
    _require_editable(meeting, actor)
    if minutes is None or minutes < 1:
        raise ValidationError({"minutes": _("An agenda item lasts at least one minute.")})
    planned = sum(meeting.agenda.values_list("minutes", flat=True))
    if planned + minutes > meeting.duration_minutes:
        raise ValidationError(
            {
                "minutes": _("The agenda would run to %(total)s minutes; the meeting lasts %(duration)s.")
                % {"total": planned + minutes, "duration": meeting.duration_minutes}
            }
        )
    item = AgendaItem(
        meeting=meeting,
        title_kk=title_kk,
        title_ru=title_ru,
        minutes=minutes,
        is_akim_report=is_akim_report,
        order=meeting.agenda.count() + 1,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: User) -> None:
    _require_editable(item.meeting, actor)
    item.delete()


# --- Registrations ---------------------------------------------------------------------------


def _clean_contact(*, name: str, email: str, phone: str) -> tuple[str, str, str]:
    name, email, phone = (name or "").strip(), (email or "").strip().lower(), (phone or "").strip()
    errors: dict[str, Any] = {}
    if not name:
        errors["name"] = _("Give your name.")
    if not email and not phone:
        errors["email"] = _("Give an email or a phone number so that we can reach you.")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if phone:
        try:
            phone = normalize_kz_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    return name, email, phone


@transaction.atomic
def registration_create(
    *,
    meeting: Meeting,
    name: str,
    email: str = "",
    phone: str = "",
    user: User | None = None,
    language: str | None = None,
) -> Registration:
    """A seat if one is left, else a place on the waiting list: decided under a lock on the meeting."""
    name, email, phone = _clean_contact(name=name, email=email, phone=phone)
    # The lock serialises registrations for one meeting, so the seat count below cannot race.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.accepts_registrations:
        raise ApplicationError(_("Registration for this meeting is closed."))
    active = meeting.registrations.exclude(status=Registration.Status.CANCELLED)
    if (email and active.filter(email=email).exists()) or (phone and active.filter(phone=phone).exists()):
        raise ApplicationError(_("You are already registered for this meeting."))
    registered = active.filter(status=Registration.Status.REGISTERED).count()
    full = meeting.capacity is not None and registered >= meeting.capacity
    registration = Registration.objects.create(
        meeting=meeting,
        name=name,
        email=email,
        phone=phone,
        user=user if user is not None and user.is_authenticated else None,
        language=(language or translation.get_language() or "kk")[:2],
        status=Registration.Status.WAITLISTED if full else Registration.Status.REGISTERED,
    )
    registration_confirmation_send(registration=registration)
    return registration


def _promote_waitlist(meeting: Meeting) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (caller holds the lock)."""
    if meeting.capacity is None:
        free = None
    else:
        registered = meeting.registrations.filter(status=Registration.Status.REGISTERED).count()
        free = max(meeting.capacity - registered, 0)
    waiting = meeting.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    now = timezone.now()
    for registration in promoted:
        registration.status, registration.promoted_at = Registration.Status.REGISTERED, now
        registration.save(update_fields=["status", "promoted_at"])
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration:
    """The resident gives up the seat (through the signed link); the first in line takes it."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ApplicationError(_("This registration is already cancelled."))
    if meeting.starts_at <= timezone.now():
        raise ApplicationError(_("The meeting has already started; the registration can no longer be cancelled."))
    was_registered = registration.status == Registration.Status.REGISTERED
    registration.status, registration.cancelled_at = Registration.Status.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_registered:
        _notify_promoted(_promote_waitlist(meeting))
    return registration


def _notice(registration: Registration, *, kind: str, key: str, due_at: datetime | None = None, **extra: Any) -> dict:
    """One outbox message for a registrant, its texts prepared in the registrant's language."""
    from meetings.calendars import calendar_build
    from meetings.tokens import registration_manage_url

    meeting = registration.meeting
    with translation.override(registration.language):
        venue = meeting.venue
        context = {
            "name": registration.name,
            "title": str(meeting.title),
            "when": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
            "where": f"{venue.name}, {venue.address}" if venue else "",
            "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
            "ics_url": settings.SITE_URL + meeting_ics_path(meeting),
            "manage_url": settings.SITE_URL + registration_manage_url(registration),
            "livestream_url": meeting.livestream_url,
            "status": registration.status,
            **extra,
        }
    if kind in {"meetings.registration_confirmed", "meetings.reminder", "meetings.rescheduled", "meetings.cancelled"}:
        context["attachments"] = [
            {
                "filename": "kezdesu-meeting.ics",
                "content": calendar_build([meeting], name=str(meeting.title)).decode(),
                "mimetype": "text/calendar",
            }
        ]
    return {
        "kind": kind,
        "language": registration.language,
        "dedupe_key": key,
        "context": context,
        "email": registration.email,
        "phone": "" if registration.email else registration.phone,
        "user": registration.user,
        "due_at": due_at,
    }


def _registrants(meeting: Meeting, *statuses: str):
    return meeting.registrations.filter(status__in=statuses).select_related("meeting__venue", "user")


def registration_confirmation_send(*, registration: Registration) -> None:
    """Queue the confirmation (seat or waiting list) in the caller's transaction."""
    notification_enqueue_many(
        messages=[
            _notice(
                registration,
                kind="meetings.registration_confirmed",
                key=f"meetings:registration:{registration.pk}:confirmed",
            )
        ]
    )


def _notify_promoted(promoted: list[Registration]) -> None:
    notification_enqueue_many(
        messages=[
            _notice(
                registration, kind="meetings.waitlist_promoted", key=f"meetings:registration:{registration.pk}:promoted"
            )
            for registration in promoted
        ]
    )


def _notify_change(meeting: Meeting, *, kind: str, old_sequence: int, reason: str = "") -> None:
    """Tell every registrant at once, and drop the reminders queued for the old times."""
    notification_cancel(dedupe_key_prefix=f"meetings:{meeting.pk}:seq{old_sequence}:")
    notification_enqueue_many(
        messages=[
            _notice(
                registration,
                kind=kind,
                key=f"meetings:{meeting.pk}:seq{meeting.sequence}:{kind}:{registration.pk}",
                reason=reason,
            )
            for registration in _registrants(meeting, Registration.Status.REGISTERED, Registration.Status.WAITLISTED)
        ]
    )


# Reminders: (label, how long before the start, the next reminder's offset).
REMINDERS = (("24h", timedelta(hours=24), timedelta(hours=2)), ("2h", timedelta(hours=2), timedelta(0)))
# The job runs every few minutes and queues reminders this far ahead; the outbox sends each at its time.
REMINDER_LOOKAHEAD = timedelta(hours=1)


def meeting_reminders_enqueue(*, now: datetime) -> int:
    """Queue the 24 h and 2 h reminders that fall due within the lookahead; returns how many are new.

    Safe to run any number of times, on any number of workers: every reminder has a dedupe key
    naming the meeting, its schedule version and the registration. A reminder whose moment
    has passed before the next one is due is skipped, and so is one for a registration made
    after that moment (the confirmation has just told the resident everything).
    """
    created = 0
    for label, offset, next_offset in REMINDERS:
        meetings = Meeting.objects.filter(
            status=Status.SCHEDULED, starts_at__gt=now + next_offset, starts_at__lte=now + offset + REMINDER_LOOKAHEAD
        )
        for meeting in meetings.select_related("venue"):
            due_at = meeting.starts_at - offset
            with transaction.atomic():
                created += notification_enqueue_many(
                    messages=[
                        _notice(
                            registration,
                            kind="meetings.reminder",
                            key=f"meetings:{meeting.pk}:seq{meeting.sequence}:reminder:{label}:{registration.pk}",
                            due_at=due_at,
                            label=label,
                        )
                        for registration in _registrants(meeting, Registration.Status.REGISTERED).filter(
                            created_at__lt=due_at
                        )
                    ]
                )
    return created


def meeting_ics_path(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meetings:ics", kwargs={"pk": meeting.pk})


# --- Receptions ------------------------------------------------------------------------------


@transaction.atomic
def reception_slot_add(
    *,
    meeting: Meeting,
    actor: User,
    official_kk: str,
    official_ru: str = "",
    position_kk: str = "",
    position_ru: str = "",
    starts_at: datetime,
    minutes: int = 15,
) -> ReceptionSlot:
    _require_editable(meeting, actor)
    if meeting.kind != Meeting.Kind.RECEPTION:
        raise ApplicationError(_("Slots can be added only to a citizens' reception."))
    if minutes is None or minutes < 1:
        raise ValidationError({"minutes": _("A slot lasts at least one minute.")})
    if starts_at < meeting.starts_at or starts_at + timedelta(minutes=minutes) > meeting.ends_at:
        raise ValidationError({"starts_at": _("The slot must fit within the reception's hours.")})
    clash = meeting.reception_slots.filter(
        official_kk=official_kk, starts_at__lt=starts_at + timedelta(minutes=minutes)
    )
    if any(slot.ends_at > starts_at for slot in clash):
        raise ValidationError({"starts_at": _("This official already has a slot at that time.")})
    slot = ReceptionSlot(
        meeting=meeting,
        official_kk=official_kk,
        official_ru=official_ru,
        position_kk=position_kk,
        position_ru=position_ru,
        starts_at=starts_at,
        minutes=minutes,
    )
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def reception_slot_book(
    *,
    slot: ReceptionSlot,
    name: str,
    email: str = "",
    phone: str = "",
    topic: str = "",
    user: User | None = None,
    language: str | None = None,
) -> ReceptionBooking:
    """One resident per slot: the slot row is locked, and a partial unique index backs it up.
    The confirmation, with the link to cancel, goes out through the outbox."""
    name, email, phone = _clean_contact(name=name, email=email, phone=phone)
    slot = (
        ReceptionSlot.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__venue")
        .get(pk=slot.pk)
    )
    meeting = slot.meeting
    if meeting.status != Status.SCHEDULED or slot.starts_at <= timezone.now():
        raise ApplicationError(_("This slot can no longer be booked."))
    if slot.bookings.filter(cancelled_at__isnull=True).exists():
        raise ApplicationError(_("This slot is already booked; please choose another one."))
    mine = ReceptionBooking.objects.filter(slot__meeting=meeting, cancelled_at__isnull=True)
    if (email and mine.filter(email=email).exists()) or (phone and mine.filter(phone=phone).exists()):
        raise ApplicationError(_("You already have a slot at this reception."))
    booking = ReceptionBooking.objects.create(
        slot=slot,
        name=name,
        email=email,
        phone=phone,
        topic=(topic or "").strip(),
        user=user if user is not None and user.is_authenticated else None,
        language=(language or translation.get_language() or "kk")[:2],
    )
    notification_enqueue_many(messages=[_booking_notice(booking, kind="meetings.booking_confirmed")])
    return booking


def _booking_notice(booking: ReceptionBooking, *, kind: str) -> dict:
    """One outbox message about a reception booking, in the resident's language."""
    from meetings.tokens import booking_manage_url

    slot, meeting = booking.slot, booking.slot.meeting
    with translation.override(booking.language):
        venue = meeting.venue
        context = {
            "name": booking.name,
            "title": str(meeting.title),
            "official": str(slot.official),
            "position": str(slot.position or ""),
            "when": _local(slot.starts_at),
            "minutes": slot.minutes,
            "where": f"{venue.name}, {venue.address}" if venue else "",
            "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
            "manage_url": settings.SITE_URL + booking_manage_url(booking),
        }
    return {
        "kind": kind,
        "language": booking.language,
        "dedupe_key": f"meetings:booking:{booking.pk}:{kind}",
        "context": context,
        "email": booking.email,
        "phone": "" if booking.email else booking.phone,
        "user": booking.user,
    }


@transaction.atomic
def reception_booking_cancel(*, booking: ReceptionBooking) -> ReceptionBooking:
    booking = ReceptionBooking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if booking.cancelled_at is not None:
        raise ApplicationError(_("This booking is already cancelled."))
    if booking.slot.starts_at <= timezone.now():
        raise ApplicationError(_("The slot has already started; the booking can no longer be cancelled."))
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["cancelled_at"])
    return booking


# --- The annual calendar plan ----------------------------------------------------------------


@transaction.atomic
def plan_item_create(
    *, actor: User, unit: AdministrativeUnit, planned_on: date, kind: str, title_kk: str, title_ru: str = ""
) -> PlanItem:
    _require_manager(actor, unit)
    item = PlanItem(
        unit=unit,
        year=planned_on.year,
        planned_on=planned_on,
        kind=kind,
        title_kk=title_kk,
        title_ru=title_ru,
        created_by=actor,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_item_remove(*, item: PlanItem, actor: User) -> None:
    _require_manager(actor, item.unit)
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    if item.published_at is not None:
        raise ApplicationError(_("A published plan item cannot be removed; schedule or cancel its meeting instead."))
    item.delete()


@transaction.atomic
def plan_publish(*, actor: User, unit: AdministrativeUnit, year: int) -> int:
    """Publish the territory's draft plan items for the year; returns how many were published."""
    _require_manager(actor, unit)
    return PlanItem.objects.filter(unit=unit, year=year, published_at__isnull=True).update(published_at=timezone.now())


# --- The mandate -----------------------------------------------------------------------------


@transaction.atomic
def mandate_ruleset_activate(*, ruleset: MandateRuleSet, actor: User) -> MandateRuleSet:
    """Put a rule set in force (administrators only: it changes the duty for the whole country)."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied(_("Only an administrator can change the reporting rules in force."))
    MandateRuleSet.objects.filter(is_active=True).exclude(pk=ruleset.pk).update(is_active=False)
    ruleset.is_active = True
    ruleset.save(update_fields=["is_active"])
    return ruleset


# --- The quarterly mandate: nudges to staff ---------------------------------------------------

# Days before the end of a period at which staff are nudged, largest first.
MANDATE_NUDGE_DAYS = (30, 7)


def mandate_nudges_enqueue(*, today: date) -> int:
    """Nudge the akimat staff of every office whose akim has no reporting meeting held or
    scheduled in the current period, 30 and then 7 days before it ends (local dates).

    A run that was missed catches up the next day; a second run on the same day, or on two
    workers, sends nothing twice (the dedupe key names the office, period, stage and person).
    """
    from django.urls import reverse

    from accounts.models import StaffRole
    from meetings.periods import period_of
    from meetings.selectors import mandate_report

    quarter = period_of(today, "quarter")
    messages = []
    for root in AdministrativeUnit.objects.top_level():
        report = mandate_report(unit=root, quarter=quarter)
        lagging = {}
        for row in report.rows:
            days_left = (row.period.next_first_day - today).days
            stage = next((days for days in reversed(MANDATE_NUDGE_DAYS) if days_left <= days), None)
            if stage is not None and row.missing:
                lagging[row.office.pk] = (row, stage, days_left)
        if not lagging:
            continue
        roles = StaffRole.objects.filter(
            role=StaffRole.Role.AKIMAT_STAFF, unit_id__in=lagging, user__is_active=True
        ).select_related("user", "unit")
        for role in roles:
            user = role.user
            if not user.email:
                continue
            row, stage, days_left = lagging[role.unit_id]
            with translation.override(user.preferred_language):
                context = {
                    "territory": str(role.unit.name),
                    "period": row.period.label,
                    "days_left": days_left,
                    "schedule_url": settings.SITE_URL + reverse("meetings:staff-create"),
                    "mandate_url": settings.SITE_URL + reverse("meetings:staff-mandate"),
                }
            messages.append(
                {
                    "kind": "meetings.mandate_nudge",
                    "language": user.preferred_language,
                    "dedupe_key": f"meetings:mandate-nudge:{role.unit_id}:{row.period.code}:{stage}:{user.pk}",
                    "context": context,
                    "email": user.email,
                    "user": user,
                }
            )
    with transaction.atomic():
        return notification_enqueue_many(messages=messages)


# --- Registrants' contacts shown to staff ------------------------------------------------------

# What each way of reading the registrants shows, for the audit trail.
REGISTRANT_FIELDS = {
    PersonalDataAccess.Kind.REGISTRATIONS_CSV: ["name", "email", "phone"],
    PersonalDataAccess.Kind.REGISTRATIONS_API: ["name", "email", "phone"],
    PersonalDataAccess.Kind.ATTENDANCE_SHEET: ["name", "phone"],
}


@transaction.atomic
def meeting_registrants_shown(*, meeting: Meeting, actor: User, kind: str) -> None:
    """Staff downloaded or printed the registrants' names and contacts: recorded for the
    administrators' audit trail (who, when, which meeting, which fields)."""
    if not can_see_registrations(actor, meeting):
        raise PermissionDenied
    personal_data_access_record(actor=actor, kind=kind, subject=meeting, fields=REGISTRANT_FIELDS[kind])


# --- Personal data retention --------------------------------------------------------------


def registrations_delete_expired(*, now: datetime) -> int:
    """Delete registrations (names and contacts) of meetings that ended longer ago than the
    retention period. A meeting keeps its attendance count; registrations were only logistics."""
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    with transaction.atomic():
        ReceptionBooking.objects.filter(slot__meeting__ends_at__lt=cutoff).delete()
        deleted, _by_model = Registration.objects.filter(meeting__ends_at__lt=cutoff).delete()
    return deleted
