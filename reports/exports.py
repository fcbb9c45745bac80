"""Open data: meetings, public questions (masked), outcomes and action items as CSV, JSON, XLSX.

The columns below are a published contract (README, API schema): add new ones at the end,
never rename or reorder. Nothing personal leaves here: no author, contact, IIN or address,
and question texts are their public copies, masked when written (core/masking.py), with the
markers written out in the language of the request.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.masking import render_masked
from districts.models import AdministrativeUnit
from meetings.models import Meeting
from meetings.periods import Period
from questions.models import Question
from reports import selectors
from reports.models import ActionItem, Report

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


def _day(moment: datetime | None) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _report_url(slug: str | None) -> str:
    if not slug:
        return ""
    with translation.override("kk"):
        return _url(reverse("reports:detail", kwargs={"slug": slug}))


BOOLEAN = ("true", "false")
PUBLIC_MEETING_STATUSES = (Meeting.Status.SCHEDULED, Meeting.Status.HELD, Meeting.Status.CANCELLED)


@dataclass(frozen=True)
class Column:
    name: str
    description: Any  # a lazy translation: the open data page and the JSON speak the reader's language
    get: Callable
    values: tuple[str, ...] = ()  # the codes a column of codes holds, the same in every language

    @property
    def full_description(self) -> str:
        """The description with the codes listed, for the JSON and the API."""
        if not self.values:
            return str(self.description)
        return f"{self.description} {', '.join(self.values)}"


def _territory_columns(prefix: str) -> list[Column]:
    def unit_of(row):
        obj = row
        for part in prefix.split("."):
            obj = obj[int(part)] if part.isdigit() else getattr(obj, part)
        return obj

    return [
        Column("territory_slug", _("Territory's slug (stable identifier on the portal)."), lambda r: unit_of(r).slug),
        Column(
            "territory_kato", _("Territory's official 9-digit KATO code, empty if none."), lambda r: unit_of(r).kato
        ),
        Column("territory_name_kk", _("Territory's name in Kazakh."), lambda r: unit_of(r).name_kk),
        Column("territory_name_ru", _("Territory's name in Russian."), lambda r: unit_of(r).name_ru),
    ]


MEETING_COLUMNS = [
    Column("id", _("Meeting id."), lambda m: m.pk),
    Column("url", _("Meeting page."), lambda m: _url(m.get_absolute_url())),
    *_territory_columns("unit"),
    Column("kind", _("Kind of meeting."), lambda m: m.kind, Meeting.Kind.values),
    Column("status", _("Status of the meeting."), lambda m: m.status, PUBLIC_MEETING_STATUSES),
    Column("title_kk", _("Title in Kazakh."), lambda m: m.title_kk),
    Column("title_ru", _("Title in Russian."), lambda m: m.title_ru),
    Column("starts_at", _("Start, local time (UTC+5), ISO 8601."), lambda m: _local(m.starts_at)),
    Column("ends_at", _("End, local time (UTC+5), ISO 8601."), lambda m: _local(m.ends_at)),
    Column("host_akim", _("The akim who hosts it."), lambda m: m.host.full_name if m.host else ""),
    Column("venue", _("Venue's name."), lambda m: m.venue.name if m.venue else ""),
    Column("capacity", _("Seats for residents, empty if unlimited."), lambda m: m.capacity),
    Column("attendance", _("Residents who came (held meetings)."), lambda m: m.attendance),
    Column("report_url", _("The published report (Kazakh page), if any."), lambda m: _report_url(m.report_slug)),
]

QUESTION_COLUMNS = [
    Column("id", _("Question id."), lambda q: q.pk),
    Column("url", _("Public page of the question."), lambda q: _url(q.get_absolute_url())),
    *_territory_columns("unit"),
    Column("category", _("Category slug."), lambda q: q.category.slug),
    Column("language", _("Language the resident wrote in."), lambda q: q.language, Question.Language.values),
    Column("source", _("How the question arrived."), lambda q: q.source, Question.Source.values),
    Column("status", _("Status of the question."), lambda q: q.status, Question.PUBLIC_STATUSES),
    Column(
        "outcome",
        _("Outcome of an answered question (planned: needs more time)."),
        lambda q: q.outcome,
        Question.Outcome.values,
    ),
    Column("created_on", _("Date received (local)."), lambda q: _day(q.created_at)),
    Column("due_on", _("Answer due on."), lambda q: q.due_on.isoformat() if q.due_on else ""),
    Column("answered_on", _("Date answered (local)."), lambda q: _day(q.answered_at)),
    Column(
        "answered_on_the_spot", _("Answered at a meeting."), lambda q: q.answered_at_meeting_id is not None, BOOLEAN
    ),
    Column("meeting_id", _("The meeting the question was for."), lambda q: q.meeting_id),
    Column("support_count", _("Residents with the same question."), lambda q: q.support_count),
    Column("text", _("The question, personal data masked."), lambda q: render_masked(q.text_public)),
    Column("answer", _("The answer, personal data masked."), lambda q: render_masked(q.answer_public)),
]

OUTCOME_COLUMNS = [
    Column("meeting_id", _("Meeting id."), lambda r: r[0].pk),
    Column("meeting_url", _("Meeting page."), lambda r: _url(r[0].get_absolute_url())),
    *_territory_columns("0.unit"),
    Column("kind", _("Kind of meeting."), lambda r: r[0].kind, Meeting.Kind.values),
    Column("held_on", _("Date of the meeting (local)."), lambda r: _day(r[0].starts_at)),
    Column("attendance", _("Residents who came."), lambda r: r[0].attendance),
    Column("as_of", _("Date the figures were computed."), lambda r: r[1].as_of.isoformat()),
    Column("received", _("Questions received (registered, not rejected)."), lambda r: r[1].received),
    Column("online", _("Received online."), lambda r: r[1].online),
    Column("at_meeting", _("Received at the meeting (aloud or on paper)."), lambda r: r[1].at_meeting),
    Column("at_reception", _("Received at citizens' receptions."), lambda r: r[1].at_reception),
    Column("answered_on_the_spot", _("Answered at the meeting itself."), lambda r: r[1].on_the_spot),
    Column("needing_action", _("Received minus answered on the spot."), lambda r: r[1].needing_action),
    Column("resolved", _("Of those needing action: resolved."), lambda r: r[1].resolved),
    Column("explained", _("Of those needing action: explained."), lambda r: r[1].explained),
    Column("planned", _("Of those needing action: planned (needs more time)."), lambda r: r[1].planned),
    Column("forwarded", _("Of those needing action: forwarded to another body."), lambda r: r[1].forwarded),
    Column("still_open", _("Of those needing action: not answered yet."), lambda r: r[1].still_open),
    Column("overdue", _("Of the open ones: past the answer's due date."), lambda r: r[1].overdue),
    Column(
        "median_working_days",
        _("Median working days from registration to answer."),
        lambda r: r[1].median_working_days,
    ),
]

ITEM_COLUMNS = [
    Column("id", _("Action item id."), lambda i: i.pk),
    Column("url", _("Public page of the item."), lambda i: _url(i.get_absolute_url())),
    Column("plan_id", _("Action plan id."), lambda i: i.plan_id),
    Column("plan_title_kk", _("Plan title in Kazakh."), lambda i: i.plan.title_kk),
    Column("plan_title_ru", _("Plan title in Russian."), lambda i: i.plan.title_ru),
    *_territory_columns("plan.unit"),
    Column("title_kk", _("Item title in Kazakh."), lambda i: i.title_kk),
    Column("title_ru", _("Item title in Russian."), lambda i: i.title_ru),
    Column("department", _("Responsible department."), lambda i: i.department.name if i.department else ""),
    Column("responsible", _("Responsible official."), lambda i: i.responsible),
    Column("due_on", _("Deadline."), lambda i: i.due_on.isoformat()),
    Column("budget_kzt", _("Budget in tenge (two decimals), empty if none."), lambda i: i.budget),
    Column("funding", _("Source of funding."), lambda i: i.funding, ActionItem.Funding.values),
    Column("status", _("Status of the item."), lambda i: i.status, ActionItem.Status.values),
    Column("progress_percent", _("Progress, 0–100."), lambda i: i.progress),
    Column("completed_on", _("Date done."), lambda i: i.completed_on.isoformat() if i.completed_on else ""),
    Column(
        "at_risk", _("At risk: not done and overdue, or due soon with little progress."), lambda i: i.at_risk, BOOLEAN
    ),
    Column("question_ids", _("Linked question ids, space-separated."), lambda i: " ".join(map(str, i.question_ids))),
]


def _meetings(unit: AdministrativeUnit | None, period: Period | None) -> QuerySet[Meeting]:
    report = Report.objects.published().filter(meeting=OuterRef("pk")).order_by("published_at")
    queryset = Meeting.objects.public().select_related("unit", "host", "venue")
    if unit is not None:
        queryset = queryset.within(unit)
    if period is not None:
        queryset = queryset.filter(starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
    return queryset.annotate(report_slug=Subquery(report.values("slug")[:1])).order_by("starts_at", "pk")


def _meeting_rows(unit, period) -> Iterable:
    return _meetings(unit, period)[: settings.REPORTS_EXPORT_MAX_ROWS]


def _question_rows(unit, period) -> Iterable:
    queryset = Question.objects.public().select_related("unit", "category")
    if unit is not None:
        queryset = queryset.within(unit)
    if period is not None:
        queryset = queryset.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_at)
    return queryset.order_by("created_at", "pk")[: settings.REPORTS_EXPORT_MAX_ROWS].iterator(chunk_size=2000)


def _outcome_rows(unit, period) -> Iterable:
    meetings = list(_meetings(unit, period).filter(status=Meeting.Status.HELD)[: settings.REPORTS_EXPORT_MAX_ROWS])
    figures = selectors.figures_for_meetings(meetings=meetings)
    return [(meeting, figures[meeting.pk]) for meeting in meetings]


def _item_rows(unit, period) -> Iterable:
    today = timezone.localdate()
    queryset = ActionItem.objects.select_related("plan", "plan__unit", "department").prefetch_related("questions")
    if unit is not None:
        queryset = queryset.within(unit)
    if period is not None:
        queryset = queryset.filter(due_on__gte=period.first_day, due_on__lt=period.next_first_day)
    for item in queryset.order_by("due_on", "pk")[: settings.REPORTS_EXPORT_MAX_ROWS]:
        item.at_risk = item.is_at_risk_on(today)
        item.question_ids = sorted(question.pk for question in item.questions.all())
        yield item


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Any
    columns: list[Column]
    rows: Callable


DATASETS = {
    "meetings": Dataset("meetings", _("Meetings"), MEETING_COLUMNS, _meeting_rows),
    "questions": Dataset("questions", _("Public questions (masked)"), QUESTION_COLUMNS, _question_rows),
    "outcomes": Dataset("outcomes", _("Outcomes of held meetings"), OUTCOME_COLUMNS, _outcome_rows),
    "action-items": Dataset("action-items", _("Action plan items"), ITEM_COLUMNS, _item_rows),
}


def register(dataset: Dataset) -> None:
    """A dataset of an app that builds on reports (cycles): imports flow one way, so such an
    app adds its own dataset from its AppConfig.ready() and the page, API and exports list it."""
    DATASETS[dataset.name] = dataset


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _cell(value):
    """A spreadsheet must not run a formula a resident typed (=HYPERLINK(…))."""
    value = _plain(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def records(dataset: Dataset, *, unit=None, period=None) -> Iterator[list]:
    for row in dataset.rows(unit, period):
        yield [column.get(row) for column in dataset.columns]


def to_csv(dataset: Dataset, *, unit=None, period=None) -> Iterator[str]:
    """Rows as they are written (a streaming response); UTF-8 with a BOM so Excel reads Cyrillic."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([column.name for column in dataset.columns])
    for record in records(dataset, unit=unit, period=period):
        writer.writerow([_cell(value) for value in record])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_value(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def to_json(dataset: Dataset, *, unit=None, period=None) -> bytes:
    rows = [
        {column.name: _json_value(value) for column, value in zip(dataset.columns, record, strict=True)}
        for record in records(dataset, unit=unit, period=period)
    ]
    body = {
        "dataset": dataset.name,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "territory": unit.slug if unit else None,
        "period": period.code if period else None,
        "columns": [{"name": column.name, "description": column.full_description} for column in dataset.columns],
        "rows": rows,
    }
    return json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def to_xlsx(dataset: Dataset, *, unit=None, period=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(dataset.name)
    sheet.append([column.name for column in dataset.columns])
    for record in records(dataset, unit=unit, period=period):
        row = []
        for value in record:
            if isinstance(value, Decimal):
                row.append(float(value))
            elif isinstance(value, bool) or value is None:
                row.append(_plain(value))
            elif isinstance(value, str):
                row.append(_cell(value))
            else:
                row.append(value)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
