"""Every write to reports and action plans: one function per step, each recording its event.

Reports: draft ──publish──▶ published ◀──publish── unpublished
                                 └──────unpublish──────▲
Action items: planned → in progress → done (their linked "planned" questions become resolved
and their authors are told), or cancelled.
"""

import hashlib
import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import ImageOps

from accounts.models import User
from core.errors import ApplicationError
from core.events import named_ref
from core.images import open_photo
from core.masking import mask_personal_data
from core.remask import RemaskCount, remask_table
from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from questions.models import Question
from questions.services import question_resolve_by_plan
from reports.imports import decode, parse_press_release
from reports.models import ActionItem, ActionItemEvent, ActionPlan, Report, ReportEvent
from reports.permissions import can_manage_reports

RS = Report.Status
IS = ActionItem.Status
LANGUAGES = ("kk", "ru")
REPORT_TEXT_FIELDS = [f"{name}_{lang}" for name in ("title", "lead", "body", "cover_alt") for lang in LANGUAGES]
REPORT_FIELDS = [*REPORT_TEXT_FIELDS, "author_name", "meeting", "period_start", "period_end"]
ITEM_FIELDS = ["title_kk", "title_ru", "department", "responsible", "due_on", "budget", "funding"]
PLAN_FIELDS = ["title_kk", "title_ru", "period_start", "period_end"]
COVER_MIN_SIZE = (600, 300)
COVER_MAX_PIXELS = 40_000_000

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "iu",
            "ia",
            "a",
            "g",
            "q",
            "n",
            "o",
            "u",
            "u",
            "h",
            "i",
        ],
        strict=True,
    )
)


def _require(allowed: bool) -> None:
    # Pages and the API look rows up through the user's scope first (a 404); this is the rule
    # itself, so no other caller can get round it.
    if not allowed:
        raise PermissionDenied


# Paths under /reports/ that a report's address must not shadow.
RESERVED_SLUGS = {"staff", "search", "plans", "items", "territories", "open-data", "feed", "feeds"}


def _slug_taken(slug: str) -> bool:
    return slug in RESERVED_SLUGS or Report.objects.filter(slug=slug).exists()


def slug_for(text: str, *, prefix: str = "") -> str:
    """A Latin slug from a Kazakh or Russian title, unique among reports."""
    latin = "".join(_TRANSLIT.get(char, char) for char in (text or "").lower()).replace("_", "")
    base = slugify(f"{prefix} {latin}")[:90].strip("-") or "report"
    slug, n = base, 1
    while _slug_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def report_event_record(
    *, report: Report, kind: str, actor: User | None, from_status: str = "", changes: list | None = None, note=""
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=report.status,
        changes=changes or [],
        note=str(note),
    )


def _clean_report(fields: dict[str, Any], *, unit: AdministrativeUnit) -> dict[str, Any]:
    """Checked, and masked: a report is public by nature, so its text is stored as readers see
    it, with personal data replaced by markers (core/masking.py says why there is no copy)."""
    text_fields = {*REPORT_TEXT_FIELDS, "author_name"}
    cleaned = {key: (value or "").strip() if key in text_fields else value for key, value in fields.items()}
    cleaned.update({key: mask_personal_data(cleaned[key]) for key in REPORT_TEXT_FIELDS if key in cleaned})
    errors: dict[str, Any] = {}
    has_title_field = "title_kk" in cleaned or "title_ru" in cleaned
    if has_title_field and not cleaned.get("title_kk") and not cleaned.get("title_ru"):
        errors["title_kk"] = _("Give the title in Kazakh or in Russian.")
    meeting = cleaned.get("meeting")
    if meeting is not None and not meeting.unit.path.startswith(unit.path):
        errors["meeting"] = _("Choose a meeting of this territory.")
    if meeting is not None and meeting.status == Meeting.Status.DRAFT:
        errors["meeting"] = _("Choose a meeting that has been announced.")
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if start and end and end < start:
        errors["period_end"] = _("The end date is before the start date.")
    for key, limit in (("title_kk", 300), ("title_ru", 300), ("lead_kk", 1000), ("lead_ru", 1000)):
        if len(cleaned.get(key) or "") > limit:
            errors[key] = _("Write at most %(max)d characters.") % {"max": limit}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def report_create(*, actor: User, unit: AdministrativeUnit, slug: str = "", **fields) -> Report:
    """A new draft. `fields`: title_kk/ru, lead_kk/ru, body_kk/ru, cover_alt_kk/ru, author_name,
    meeting, period_start, period_end."""
    _require(can_manage_reports(actor, unit))
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    fields.setdefault("title_kk", "")
    fields.setdefault("title_ru", "")
    cleaned = _clean_report(fields, unit=unit)
    if slug:
        slug = slugify(slug)[:120]
        if not slug or _slug_taken(slug):
            raise ValidationError({"slug": _("This address is taken; choose another one.")})
    else:
        slug = slug_for(cleaned.get("title_ru") or cleaned.get("title_kk"))
    report = Report(unit=unit, author=actor, slug=slug, status=RS.DRAFT, **cleaned)
    if not report.author_name:
        report.author_name = actor.get_full_name()
    report.save()
    report_event_record(report=report, kind=ReportEvent.Kind.CREATED, actor=actor)
    return report


def _lock_report(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    report.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return report


@transaction.atomic
def report_update(*, report: Report, actor: User, **fields) -> Report:
    """Change the text or the links of a report in any status; every change is recorded."""
    _lock_report(report)
    _require(can_manage_reports(actor, report.unit))
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    # The period is checked whole: a new end against the stored start too (the database's
    # constraint would otherwise refuse it with an error, not a message).
    current = ("title_kk", "title_ru", "period_start", "period_end")
    merged = {**{key: getattr(report, key) for key in current}, **fields}
    cleaned = _clean_report(merged, unit=report.unit)
    changed = [key for key in fields if getattr(report, key) != cleaned[key]]
    if not changed:
        return report
    for key in changed:
        setattr(report, key, cleaned[key])
    report.save()
    report_event_record(report=report, kind=ReportEvent.Kind.UPDATED, actor=actor, from_status=report.status,
                        changes=sorted(changed))  # fmt: skip
    return report


def cover_renditions(upload) -> dict[str, ContentFile]:
    """Validate an uploaded cover (type, bytes, pixels) and make its renditions as JPEG.

    Re-encoding also drops the EXIF block, where a phone's photo keeps the place it was taken.
    """
    image = open_photo(upload, field="cover", max_bytes=settings.REPORTS_COVER_MAX_BYTES, max_pixels=COVER_MAX_PIXELS)
    if image.width < COVER_MIN_SIZE[0] or image.height < COVER_MIN_SIZE[1]:
        raise ValidationError(
            {
                "cover": _("The image is too small: at least %(w)d × %(h)d pixels.")
                % dict(zip("wh", COVER_MIN_SIZE, strict=True))
            }
        )
    image = ImageOps.exif_transpose(image).convert("RGB")
    renditions = {}
    for field, width in settings.REPORTS_COVER_WIDTHS.items():
        copy = image.copy()
        copy.thumbnail((width, width * 3))
        buffer = io.BytesIO()
        copy.save(buffer, format="JPEG", quality=85, optimize=True)
        renditions[field] = ContentFile(buffer.getvalue())
    return renditions


@transaction.atomic
def report_set_cover(*, report: Report, actor: User, upload, alt_kk: str = "", alt_ru: str = "") -> Report:
    _lock_report(report)
    _require(can_manage_reports(actor, report.unit))
    alt_kk, alt_ru = mask_personal_data((alt_kk or "").strip()), mask_personal_data((alt_ru or "").strip())
    if not (alt_kk or alt_ru or report.cover_alt_kk or report.cover_alt_ru):
        raise ValidationError({"cover_alt_kk": _("Describe the photo for readers who cannot see it.")})
    renditions = cover_renditions(upload)
    old = [report.cover.name, report.cover_small.name]
    for field, content in renditions.items():
        getattr(report, field).save(f"{report.slug}-{field}.jpg", content, save=False)
    report.cover_alt_kk = alt_kk or report.cover_alt_kk
    report.cover_alt_ru = alt_ru or report.cover_alt_ru
    report.save()
    report_event_record(report=report, kind=ReportEvent.Kind.COVER, actor=actor, from_status=report.status)
    storage = report.cover.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old if name])
    return report


@transaction.atomic
def report_publish(*, report: Report, actor: User) -> Report:
    _lock_report(report)
    _require(can_manage_reports(actor, report.unit))
    if report.status == RS.PUBLISHED:
        raise ApplicationError(_("The report is already published."))
    missing = [lang for lang in LANGUAGES if not getattr(report, f"title_{lang}")]
    if len(missing) == len(LANGUAGES) or not (report.body_kk or report.body_ru or report.lead_kk or report.lead_ru):
        raise ApplicationError(_("Write the title and the text before publishing."))
    if report.meeting_id and report.meeting.status != Meeting.Status.HELD:
        raise ApplicationError(_("Publish the report after the meeting is marked held."))
    from_status = report.status
    report.status = RS.PUBLISHED
    # Republishing keeps the first publication time: feeds and links must not jump.
    report.published_at = report.published_at or timezone.now()
    report.save(update_fields=["status", "published_at", "updated_at"])
    report_event_record(report=report, kind=ReportEvent.Kind.PUBLISHED, actor=actor, from_status=from_status)
    return report


@transaction.atomic
def report_unpublish(*, report: Report, actor: User, reason: str) -> Report:
    _lock_report(report)
    _require(can_manage_reports(actor, report.unit))
    if report.status != RS.PUBLISHED:
        raise ApplicationError(_("Only a published report can be unpublished."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why the report is taken down.")})
    report.status = RS.UNPUBLISHED
    report.save(update_fields=["status", "updated_at"])
    report_event_record(
        report=report, kind=ReportEvent.Kind.UNPUBLISHED, actor=actor, from_status=RS.PUBLISHED, note=reason
    )
    return report


def report_import_release(
    *,
    raw: bytes,
    source_name: str,
    actor: User | None,
    unit: AdministrativeUnit | None = None,
    slug: str = "",
    meeting: Meeting | None = None,
    cover=None,
    find_cover: Callable[[str], Any] | None = None,
) -> Report:
    """A press-release file (reports.imports) as a draft: the one behaviour of the staff import
    page and of `manage.py import_report`.

    - The territory is the one chosen (page, --territory), else the front matter's `territory`.
    - A cover the front matter names must come with the file: uploaded beside it on the page,
      or found next to it (`find_cover(name)`) on the command line. Missing, nothing is written.
    - Importing again updates the draft made the first time: the one with the same address
      (`slug`, the option or the front matter's), or else the one made from the same file (its
      SHA-256 is kept on the report). A published report is never overwritten.
    - A malformed file changes nothing; every error says what to fix, in the active language.
    """
    text = decode(raw)
    document = parse_press_release(text, source_name=source_name)
    if unit is None:
        if not document.territory:
            message = _("Name the territory: choose it, or add “territory:” to the front matter.")
            raise ValidationError({"unit": message})
        unit = AdministrativeUnit.objects.filter(slug=document.territory).first()
        if unit is None:
            raise ValidationError(
                {"unit": _("There is no territory with the address “%(slug)s”.") % {"slug": document.territory}}
            )
    if document.cover and cover is None:
        cover = find_cover(document.cover) if find_cover is not None else None
        if cover is None:
            raise ValidationError(
                {
                    "cover": _("The release names the cover “%(name)s”: add that photo beside the file.")
                    % {"name": document.cover}
                }
            )
    digest = hashlib.sha256(text.replace("\r\n", "\n").strip().encode()).hexdigest()
    return report_import(
        actor=actor,
        unit=unit,
        document=document,
        slug=slug or document.slug,
        meeting=meeting,
        cover=cover,
        import_hash=digest,
    )


@transaction.atomic
def report_import(
    *,
    actor: User | None,
    unit: AdministrativeUnit,
    document,
    slug: str = "",
    meeting: Meeting | None = None,
    cover=None,
    import_hash: str = "",
) -> Report:
    """A parsed press release (reports.imports.ImportedDocument) as a draft with both languages.

    An existing report with the same address — or, without an address, made from the same file
    (`import_hash`) — is updated only while it is not published: a published report is never
    overwritten by an import.
    """
    if actor is not None:
        _require(can_manage_reports(actor, unit))
    fields = {
        "title_kk": document.title_kk,
        "title_ru": document.title_ru,
        "lead_kk": document.lead_kk,
        "lead_ru": document.lead_ru,
        "body_kk": document.body_kk,
        "body_ru": document.body_ru,
        "author_name": document.author_name,
        "meeting": meeting,
        "period_start": document.date,
        "period_end": document.date,
    }
    cleaned = _clean_report(fields, unit=unit)
    renditions = cover_renditions(cover) if cover is not None else None
    slug = slugify(slug or "")[:120]
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address is taken; choose another one.")})
    if slug:
        existing = Report.objects.select_for_update().filter(slug=slug).first()
    elif import_hash:
        existing = Report.objects.select_for_update().filter(import_hash=import_hash).order_by("-pk").first()
    else:
        existing = None
    if existing is not None:
        if existing.status == RS.PUBLISHED:
            raise ApplicationError(
                _("The report “%(slug)s” is published: unpublish it first or import under another address.")
                % {"slug": existing.slug}
            )
        if existing.unit_id != unit.pk:
            raise ApplicationError(_("The report “%(slug)s” belongs to another territory.") % {"slug": existing.slug})
        report = existing
        for key, value in cleaned.items():
            setattr(report, key, value)
    else:
        report = Report(unit=unit, author=actor, status=RS.DRAFT, **cleaned)
        report.slug = slug or slug_for(document.title_ru or document.title_kk, prefix=document.date.isoformat())
    report.import_hash = import_hash or report.import_hash
    report.save()
    if renditions:
        for field, content in renditions.items():
            getattr(report, field).save(f"{report.slug}-{field}.jpg", content, save=False)
        report.cover_alt_kk = report.cover_alt_kk or report.title_kk
        report.cover_alt_ru = report.cover_alt_ru or report.title_ru
        report.save()
    report_event_record(
        report=report,
        kind=ReportEvent.Kind.IMPORTED,
        actor=actor,
        from_status=existing.status if existing else "",
        note=document.source_name,
    )
    return report


def reports_remask_text(*, batch_size: int = 1000) -> RemaskCount:
    """Mask every report's text again with the current rules (manage.py remask_public_text).
    modeltranslation's untranslated columns follow the kk ones on the next save; nothing reads
    them (the search document and the pages read the kk and ru columns)."""
    return remask_table(Report, {key: key for key in REPORT_TEXT_FIELDS}, batch_size=batch_size)


# --- Action plans -------------------------------------------------------------------------


def action_item_event_record(*, item: ActionItem, kind: str, actor: User | None, **fields) -> ActionItemEvent:
    return ActionItemEvent.objects.create(
        item=item,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        to_status=item.status,
        to_progress=item.progress,
        **fields,
    )


def _clean_plan(fields: dict[str, Any], *, unit: AdministrativeUnit) -> dict[str, Any]:
    cleaned = dict(fields)
    for key in ("title_kk", "title_ru"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    errors = {}
    if not cleaned.get("title_kk") and not cleaned.get("title_ru"):
        errors["title_kk"] = _("Give the title in Kazakh or in Russian.")
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if not start or not end:
        errors["period_start"] = _("Give the plan's period.")
    elif end < start:
        errors["period_end"] = _("The end date is before the start date.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_meetings(meetings, unit: AdministrativeUnit) -> list[Meeting]:
    meetings = list(meetings or [])
    if any(not meeting.unit.path.startswith(unit.path) for meeting in meetings):
        raise ValidationError({"source_meetings": _("Choose meetings of this territory.")})
    return meetings


@transaction.atomic
def action_plan_create(
    *,
    actor: User,
    unit: AdministrativeUnit,
    title_kk: str,
    title_ru: str = "",
    period_start: date,
    period_end: date,
    source_meetings=(),
) -> ActionPlan:
    _require(can_manage_reports(actor, unit))
    cleaned = _clean_plan(
        {"title_kk": title_kk, "title_ru": title_ru, "period_start": period_start, "period_end": period_end}, unit=unit
    )
    meetings = _check_meetings(source_meetings, unit)
    plan = ActionPlan.objects.create(unit=unit, created_by=actor, **cleaned)
    plan.source_meetings.set(meetings)
    return plan


@transaction.atomic
def action_plan_update(*, plan: ActionPlan, actor: User, source_meetings=None, **fields) -> ActionPlan:
    _require(can_manage_reports(actor, plan.unit))
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    merged = {key: getattr(plan, key) for key in PLAN_FIELDS} | fields
    cleaned = _clean_plan(merged, unit=plan.unit)
    for key, value in cleaned.items():
        setattr(plan, key, value)
    plan.save()
    if source_meetings is not None:
        plan.source_meetings.set(_check_meetings(source_meetings, plan.unit))
    return plan


def _clean_item(fields: dict[str, Any], *, plan: ActionPlan) -> dict[str, Any]:
    cleaned = dict(fields)
    for key in ("title_kk", "title_ru", "responsible"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    errors = {}
    if not cleaned.get("title_kk") and not cleaned.get("title_ru"):
        errors["title_kk"] = _("Give the title in Kazakh or in Russian.")
    if not cleaned.get("due_on"):
        errors["due_on"] = _("Give the deadline.")
    budget = cleaned.get("budget")
    if budget not in (None, ""):
        try:
            budget = Decimal(str(budget)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["budget"] = _("Give the budget in tenge, for example 12500000.")
        else:
            if budget < 0 or budget >= Decimal(10) ** 14:
                errors["budget"] = _("Give the budget in tenge, for example 12500000.")
            cleaned["budget"] = budget
    else:
        cleaned["budget"] = None
    if cleaned.get("funding") and cleaned["funding"] not in ActionItem.Funding.values:
        errors["funding"] = _("Choose the funding source.")
    department: Department | None = cleaned.get("department")
    if department is not None and not (
        plan.unit.path.startswith(department.unit.path) or department.unit.path.startswith(plan.unit.path)
    ):
        errors["department"] = _("Choose a department of this territory.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def action_item_create(*, actor: User, plan: ActionPlan, **fields) -> ActionItem:
    """`fields`: title_kk/ru, department, responsible, due_on, budget (tenge), funding."""
    _require(can_manage_reports(actor, plan.unit))
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    cleaned = _clean_item({"funding": ActionItem.Funding.LOCAL, **fields}, plan=plan)
    item = ActionItem.objects.create(plan=plan, **cleaned)
    action_item_event_record(item=item, kind=ActionItemEvent.Kind.CREATED, actor=actor)
    return item


def _lock_item(item: ActionItem) -> ActionItem:
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    item.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return item


@transaction.atomic
def action_item_update(*, item: ActionItem, actor: User, **fields) -> ActionItem:
    _lock_item(item)
    _require(can_manage_reports(actor, item.plan.unit))
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    merged = {key: getattr(item, key) for key in ITEM_FIELDS} | fields
    cleaned = _clean_item(merged, plan=item.plan)
    changed = [key for key in fields if getattr(item, key) != cleaned[key]]
    if not changed:
        return item
    for key in changed:
        setattr(item, key, cleaned[key])
    item.save()
    action_item_event_record(item=item, kind=ActionItemEvent.Kind.UPDATED, actor=actor, from_status=item.status,
                             changes=sorted(changed))  # fmt: skip
    return item


@transaction.atomic
def action_item_progress(*, item: ActionItem, actor: User, progress: int, note: str = "") -> ActionItem:
    """Record progress (0–99 %); a planned item starts with its first progress. 100 % is `complete`."""
    _lock_item(item)
    _require(can_manage_reports(actor, item.plan.unit))
    if item.status in ActionItem.CLOSED_STATUSES:
        raise ApplicationError(_("The item is closed; its progress no longer changes."))
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 99:
        raise ValidationError(
            {"progress": _("Give the progress as a number from 0 to 99; mark the item done when the work is finished.")}
        )
    from_status, from_progress = item.status, item.progress
    item.progress = progress
    if item.status == IS.PLANNED and progress > 0:
        item.status = IS.IN_PROGRESS
    item.save(update_fields=["progress", "status", "updated_at"])
    action_item_event_record(
        item=item,
        kind=ActionItemEvent.Kind.PROGRESS,
        actor=actor,
        from_status=from_status,
        from_progress=from_progress,
        note=(note or "").strip(),
    )
    return item


@transaction.atomic
def action_item_complete(*, item: ActionItem, actor: User, note: str = "") -> ActionItem:
    """Done: 100 %, today's date; each linked question still "planned" becomes resolved."""
    _lock_item(item)
    _require(can_manage_reports(actor, item.plan.unit))
    if item.status in ActionItem.CLOSED_STATUSES:
        raise ApplicationError(_("The item is already closed."))
    from_status, from_progress = item.status, item.progress
    item.status, item.progress, item.completed_on = IS.DONE, 100, timezone.localdate()
    item.save(update_fields=["status", "progress", "completed_on", "updated_at"])
    action_item_event_record(
        item=item,
        kind=ActionItemEvent.Kind.DONE,
        actor=actor,
        from_status=from_status,
        from_progress=from_progress,
        note=(note or "").strip(),
    )
    waiting = item.questions.filter(status=Question.Status.ANSWERED, outcome=Question.Outcome.PLANNED)
    for question in waiting.select_related("unit").order_by("pk"):
        question_resolve_by_plan(question=question, actor=actor, item=named_ref(item, "title"))
    return item


@transaction.atomic
def action_item_cancel(*, item: ActionItem, actor: User, reason: str) -> ActionItem:
    _lock_item(item)
    _require(can_manage_reports(actor, item.plan.unit))
    if item.status in ActionItem.CLOSED_STATUSES:
        raise ApplicationError(_("The item is already closed."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Say why the item is cancelled.")})
    from_status = item.status
    item.status = IS.CANCELLED
    item.save(update_fields=["status", "updated_at"])
    action_item_event_record(
        item=item, kind=ActionItemEvent.Kind.CANCELLED, actor=actor, from_status=from_status, note=reason
    )
    return item


_QUESTION_REF = re.compile(r"#?(\d+)")


def parse_question_ids(text: str) -> list[int]:
    """ "#12, 15 #30" → [12, 15, 30]."""
    return sorted({int(number) for number in _QUESTION_REF.findall(text or "")})


@transaction.atomic
def action_item_link_questions(*, item: ActionItem, actor: User, question_ids: list[int]) -> list[Question]:
    """Link answered questions with the outcome "planned" of the plan's territory to the item."""
    _lock_item(item)
    _require(can_manage_reports(actor, item.plan.unit))
    if not question_ids:
        raise ValidationError({"questions": _("Give the numbers of the questions, for example #120, #121.")})
    found = {q.pk: q for q in Question.objects.within(item.plan.unit).filter(pk__in=question_ids)}
    missing = [pk for pk in question_ids if pk not in found]
    if missing:
        raise ValidationError(
            {"questions": _("No such questions in this territory: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    not_planned = [pk for pk, q in found.items() if q.outcome != Question.Outcome.PLANNED]
    if not_planned:
        raise ValidationError(
            {
                "questions": _("Only questions answered as “planned” can be linked: %(ids)s.")
                % {"ids": ", ".join(f"#{pk}" for pk in sorted(not_planned))}
            }
        )
    already = set(item.questions.filter(pk__in=question_ids).values_list("pk", flat=True))
    added = [found[pk] for pk in question_ids if pk not in already]
    item.questions.add(*added)
    for question in added:
        action_item_event_record(
            item=item, kind=ActionItemEvent.Kind.LINKED, actor=actor, data={"question": question.pk}
        )
    return added


@transaction.atomic
def action_item_unlink_question(*, item: ActionItem, actor: User, question: Question) -> None:
    _lock_item(item)
    _require(can_manage_reports(actor, item.plan.unit))
    if not item.questions.filter(pk=question.pk).exists():
        raise ApplicationError(_("The question is not linked to this item."))
    item.questions.remove(question)
    action_item_event_record(item=item, kind=ActionItemEvent.Kind.UNLINKED, actor=actor, data={"question": question.pk})
