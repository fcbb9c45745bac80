"""The audit trail for administrators: who changed what, and when, across six event streams
(meetings, questions, reports, action items, staff roles, and personal data shown to staff),
merged newest first.

Imports flow districts ← accounts ← meetings ← questions ← reports, and this page reads the
event tables of every app above accounts: it names their models by label and their staff pages
by URL name, and imports none of them.

Paging is keyset: a page asks each stream for at most `limit + 1` rows older than the cursor,
ordered by (at, pk) descending, and merges them in Python — one query per stream, whatever the
size of the tables. The merged order is (at, stream, pk) descending; the cursor is the last
shown row's key.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import PersonalDataAccess, StaffRole, StaffRoleEvent
from core.events import ref_name
from core.masking import mask_personal_data, render_masked

PAGE_SIZE = 50
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_VALUE_LENGTH = 120


@dataclass(frozen=True)
class Stream:
    key: str
    label: Any  # a lazy translation
    event_model: str  # app_label.ModelName
    subject_model: str  # the model whose changes the events record (field names in `changes`)
    related: tuple[str, ...]

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.event_model)

    @property
    def subject(self) -> type[models.Model]:
        return apps.get_model(self.subject_model)


STREAMS: tuple[Stream, ...] = (
    Stream("meeting", _("Meeting"), "meetings.MeetingEvent", "meetings.Meeting", ("actor", "meeting")),
    # The question itself is not joined: the page names it by number and never reads its author.
    Stream("question", _("Question"), "questions.QuestionEvent", "questions.Question", ("actor",)),
    Stream("report", _("Report"), "reports.ReportEvent", "reports.Report", ("actor", "report")),
    Stream("action_item", _("Action item"), "reports.ActionItemEvent", "reports.ActionItem", ("actor", "item")),
    Stream(
        "staff_role",
        _("Staff role"),
        "accounts.StaffRoleEvent",
        "accounts.StaffRole",
        ("actor", "unit", "department"),
    ),
    # Who was shown a resident's contact, IIN or address, or downloaded registrants' contacts.
    Stream(
        "personal_data",
        _("Personal data"),
        "accounts.PersonalDataAccess",
        "accounts.PersonalDataAccess",
        ("actor",),
    ),
)
STREAM_KEYS = tuple(stream.key for stream in STREAMS)
_RANK = {stream.key: rank for rank, stream in enumerate(STREAMS)}


@dataclass(frozen=True)
class Cursor:
    """The key of the last row shown: the next page holds the rows strictly older than it."""

    at: datetime
    stream: str
    pk: int

    def __str__(self) -> str:
        return f"{(self.at - _EPOCH) // timedelta(microseconds=1)}.{self.stream}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """Raises ValueError for anything that is not a cursor this page made."""
        micros, stream, pk = text.split(".")
        if stream not in _RANK or not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            raise ValueError(text)
        try:
            at = _EPOCH + timedelta(microseconds=int(micros))
        except OverflowError as error:
            raise ValueError(text) from error
        return cls(at=at, stream=stream, pk=int(pk))

    def older_q(self, stream: str) -> Q:
        """Rows of `stream` that come after this cursor in the merged newest-first order."""
        if _RANK[stream] < _RANK[self.stream]:
            return Q(at__lte=self.at)
        if _RANK[stream] == _RANK[self.stream]:
            return Q(at__lt=self.at) | Q(at=self.at, pk__lt=self.pk)
        return Q(at__lt=self.at)


@dataclass
class AuditEntry:
    at: datetime
    stream: Stream
    pk: int
    actor: str
    kind: str
    object_label: str
    object_url: str
    details: list[str] = field(default_factory=list)
    # What people typed (a reason, a changed title, a comment): shown as written, in any language.
    typed: list[str] = field(default_factory=list)

    @property
    def cursor(self) -> Cursor:
        return Cursor(at=self.at, stream=self.stream.key, pk=self.pk)


def audit_trail(
    *,
    streams: Iterable[str] | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: Cursor | None = None,
    limit: int | None = None,
) -> tuple[list[AuditEntry], Cursor | None]:
    """One page of the merged trail, newest first, and the cursor of the next page (or None).

    `since` is inclusive, `until` exclusive. One query per stream asked for.
    """
    limit = limit or PAGE_SIZE
    wanted = set(streams) if streams else set(STREAM_KEYS)
    rows: list[tuple[datetime, int, int, Stream, models.Model]] = []
    for rank, stream in enumerate(STREAMS):
        if stream.key not in wanted:
            continue
        queryset = stream.model._default_manager.select_related(*stream.related)
        if actor_id is not None:
            queryset = queryset.filter(actor_id=actor_id)
        if since is not None:
            queryset = queryset.filter(at__gte=since)
        if until is not None:
            queryset = queryset.filter(at__lt=until)
        if before is not None:
            queryset = queryset.filter(before.older_q(stream.key))
        rows.extend((event.at, rank, event.pk, stream, event) for event in queryset.order_by("-at", "-pk")[: limit + 1])
    rows.sort(key=lambda row: row[:3], reverse=True)
    entries = [_entry(stream, event) for _at, _rank, _pk, stream, event in rows[:limit]]
    return entries, (entries[-1].cursor if len(rows) > limit else None)


# --- Presenting one event -----------------------------------------------------------------------


def _entry(stream: Stream, event: models.Model) -> AuditEntry:
    label, url = _OBJECTS[stream.key](event)
    actor = event.actor.username if event.actor_id and event.actor else ""
    return AuditEntry(
        at=event.at,
        stream=stream,
        pk=event.pk,
        actor=actor,
        kind=capfirst(event.get_kind_display()),
        object_label=label,
        object_url=url,
        details=_details(stream, event),
        typed=_typed(stream, event),
    )


def _meeting(event) -> tuple[str, str]:
    return event.meeting.title, reverse("meetings:staff-detail", kwargs={"pk": event.meeting_id})


def _question(event) -> tuple[str, str]:
    label = gettext("Question No. %(number)s") % {"number": event.question_id}
    return label, reverse("questions:staff_detail", kwargs={"pk": event.question_id})


def _report(event) -> tuple[str, str]:
    return render_masked(event.report.title), reverse("reports:staff-edit", kwargs={"pk": event.report_id})


def _action_item(event) -> tuple[str, str]:
    return event.item.title, reverse("reports:staff-item", kwargs={"pk": event.item_id})


def _staff_role(event: StaffRoleEvent) -> tuple[str, str]:
    parts = [event.username]
    if event.role:
        parts.append(str(StaffRole.Role(event.role).label))
    unit = event.unit.name if event.unit_id else event.unit_name
    department = event.department.name if event.department_id else event.department_name
    parts.extend(name for name in (unit, department) if name)
    url = reverse("admin:accounts_user_change", args=[event.user_id]) if event.user_id else ""
    return " · ".join(parts), url


@dataclass(frozen=True)
class Subject:
    """A record whose personal data staff are shown: its label, its staff page, and the model
    whose fields were shown (a meeting's registrants are Registration rows)."""

    label: Any
    url_name: str
    fields_model: str
    labels: dict[str, Any] = field(default_factory=dict)  # where the field's own name says too little


_SUBJECTS = {
    "questions.question": Subject(_("Question No. %(number)s"), "questions:staff_detail", "questions.Question"),
    "meetings.meeting": Subject(
        _("Meeting No. %(number)s"), "meetings:staff-detail", "meetings.Registration", {"name": _("Name")}
    ),
}


def _personal_data(event: PersonalDataAccess) -> tuple[str, str]:
    subject = _SUBJECTS.get(event.subject_model)
    if subject is None:
        return f"{event.subject_model} {event.subject_id}", ""
    label = str(subject.label) % {"number": event.subject_id}
    return label, reverse(subject.url_name, kwargs={"pk": event.subject_id})


_OBJECTS = {
    "meeting": _meeting,
    "question": _question,
    "report": _report,
    "action_item": _action_item,
    "staff_role": _staff_role,
    "personal_data": _personal_data,
}


def _details(stream: Stream, event: models.Model) -> list[str]:
    lines = []
    status_choices = getattr(stream.subject, "Status", None)
    statuses = dict(status_choices.choices) if status_choices is not None else {}
    from_status, to_status = getattr(event, "from_status", ""), getattr(event, "to_status", "")
    if (from_status or to_status) and from_status != to_status:
        lines.append(f"{statuses.get(from_status, from_status) or '—'} → {statuses.get(to_status, to_status) or '—'}")
    from_starts, to_starts = getattr(event, "from_starts_at", None), getattr(event, "to_starts_at", None)
    if from_starts and to_starts and from_starts != to_starts:
        lines.append(f"{_when(from_starts)} → {_when(to_starts)}")
    from_progress, to_progress = getattr(event, "from_progress", None), getattr(event, "to_progress", None)
    if to_progress is not None and from_progress != to_progress:
        lines.append(f"{'—' if from_progress is None else f'{from_progress}%'} → {to_progress}%")
    changes = getattr(event, "changes", None)
    if isinstance(changes, dict):
        lines.extend(_change(stream, name, values) for name, values in changes.items() if not _is_text(stream, name))
    elif isinstance(changes, list) and changes:
        names = ", ".join(_field_label(stream, str(name)) for name in changes)
        lines.append(gettext("Changed: %(fields)s") % {"fields": names})
    if getattr(event, "data", None) and event.summary:
        lines.append(event.summary)  # what the event's data says (core.events)
    if isinstance(event, PersonalDataAccess):
        names = ", ".join(_shown_label(event.subject_model, str(name)) for name in event.shown_fields or [])
        lines.append(gettext("Shown: %(fields)s") % {"fields": names or "—"})
    return lines


def _is_text(stream: Stream, name: str) -> bool:
    """A field that holds what someone typed (a title, a description, a link)."""
    try:
        return isinstance(stream.subject._meta.get_field(name), models.CharField | models.TextField)
    except FieldDoesNotExist:
        return False


def _typed(stream: Stream, event: models.Model) -> list[str]:
    # A question's notes may quote a resident (a rating's comment): the page reads their public
    # copy, where a phone, an email or an IIN is a marker. Other words typed by staff are masked
    # here too: no phone, email or IIN on this page.
    lines = []
    changes = getattr(event, "changes", None)
    if isinstance(changes, dict):
        lines.extend(_change(stream, name, values) for name, values in changes.items() if _is_text(stream, name))
    data = getattr(event, "data", None) or {}
    lines.extend(render_masked(mask_personal_data(data[key])) for key in ("to", "officer") if data.get(key))
    if stream.key == "question":
        note = render_masked(getattr(event, "note_public", ""))
    else:
        note = render_masked(mask_personal_data(getattr(event, "note", "")))
    if note:
        lines.append(Truncator(note).chars(300))
    return lines


def _shown_label(subject_model: str, name: str) -> str:
    subject = _SUBJECTS.get(subject_model)
    if subject is None:
        return name
    if name in subject.labels:
        return str(subject.labels[name])
    try:
        return str(capfirst(apps.get_model(subject.fields_model)._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _field_label(stream: Stream, name: str) -> str:
    model = stream.subject
    if stream.key == "staff_role" and name in ("is_active", "is_staff", "is_superuser"):
        model = apps.get_model("accounts.User")
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


def _value(stream: Stream, name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if stream.key == "staff_role" and name == "role" and value in StaffRole.Role.values:
        return str(StaffRole.Role(value).label)
    if isinstance(value, dict):  # a venue or a host: its name in the reader's language
        return ref_name(value)
    return Truncator(render_masked(mask_personal_data(str(value)))).chars(_VALUE_LENGTH)


def _change(stream: Stream, name: str, values: Any) -> str:
    label = _field_label(stream, name)
    if isinstance(values, list | tuple) and len(values) == 2:
        return f"{label}: {_value(stream, name, values[0])} → {_value(stream, name, values[1])}"
    return f"{label}: {_value(stream, name, values)}"
