"""Reads shared by pages, feeds, exports and the API: reports, the figures of a meeting, action
plan summaries, territory scorecards and search. Each runs a fixed number of queries whatever
the amount of data; the figures are cached under a key that changes with the data."""

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.search import pg_document as _pg_document
from core.search import pg_query as _pg_query
from core.search import unindexed_desc as _unindexed_desc
from core.search import words as _words
from core.working_days import working_days_between
from districts.models import AdministrativeUnit, Akim
from meetings.models import Meeting, MeetingEvent
from meetings.periods import Period, period_of
from meetings.selectors import mandate_report, mandate_ruleset_active
from questions.models import Question, QuestionEvent
from reports.models import (
    ActionItem,
    ActionItemEvent,
    ActionPlan,
    Report,
    ReportEvent,
    TerritoryFigures,
    at_risk_q,
)

QS = Question.Status
# Questions that count as received: registered and not turned away (spam, withdrawn, unconfirmed).
COUNTED_STATUSES = (QS.NEW, QS.ACCEPTED, QS.ASSIGNED, QS.ANSWERED, QS.FORWARDED)
TOP_CATEGORIES = 5


# --- Caching --------------------------------------------------------------------------------


def data_version() -> str:
    """Changes whenever a question, meeting, report or action item changes.

    Every service of those apps records an event, so the newest event id of each history is
    a version read from the state itself: no app has to remember to invalidate reports' cache.
    One query.
    """
    tables = [model._meta.db_table for model in (QuestionEvent, MeetingEvent, ReportEvent, ActionItemEvent)]
    # Table names come from the models, never from input.
    sql = "SELECT " + ", ".join(f"(SELECT MAX(id) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def report_list_version() -> str:
    """Changes with any report or meeting (whose kind, date and host the list shows). One query."""
    sql = "SELECT (SELECT MAX(id) FROM reports_reportevent), (SELECT MAX(id) FROM meetings_meetingevent)"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def _cached(key: str, compute):
    full_key = f"reports:{key}:{timezone.localdate().isoformat()}:{data_version()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, settings.REPORTS_CACHE_SECONDS)
    return value


# --- Rates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A share with its base: never a percentage without the number of cases behind it."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        # Half up, as a reader rounds: 1 of 8 is 13 %, not Python's banker's 12 %.
        if not self.total:
            return None
        return int((Decimal(100 * self.count) / self.total).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def few(self) -> bool:
        """Too few cases for the percentage to mean much (it is shown with a warning)."""
        return self.total < settings.REPORTS_MIN_CASES_FOR_RATE


def _money(value) -> Decimal:
    """Tenge with two decimals (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def _names(kk: str, ru: str) -> dict[str, str]:
    return {"kk": kk or ru, "ru": ru or kk}


def _localized(names: dict[str, str]) -> str:
    return names.get((get_language() or "kk")[:2]) or names.get("kk", "")


# --- The figures of a meeting ---------------------------------------------------------------


@dataclass
class CategoryCount:
    slug: str
    names: dict[str, str]
    count: int

    @property
    def name(self) -> str:
        return _localized(self.names)


@dataclass
class MeetingFigures:
    meeting_id: int
    as_of: date
    attendance: int | None = None
    capacity: int | None = None
    received: int = 0
    online: int = 0
    at_meeting: int = 0
    at_reception: int = 0
    on_the_spot: int = 0
    needing_action: int = 0
    resolved: int = 0
    explained: int = 0
    planned: int = 0
    forwarded: int = 0
    still_open: int = 0
    overdue: int = 0
    answer_days: list[int] = field(default_factory=list)
    top_categories: list[CategoryCount] = field(default_factory=list)

    def _of_action(self, count: int) -> Rate:
        return Rate(count, self.needing_action)

    @property
    def resolved_rate(self) -> Rate:
        return self._of_action(self.resolved)

    @property
    def explained_rate(self) -> Rate:
        return self._of_action(self.explained)

    @property
    def planned_rate(self) -> Rate:
        return self._of_action(self.planned)

    @property
    def forwarded_rate(self) -> Rate:
        return self._of_action(self.forwarded)

    @property
    def open_rate(self) -> Rate:
        return self._of_action(self.still_open)

    @property
    def overdue_rate(self) -> Rate:
        return self._of_action(self.overdue)

    @property
    def on_the_spot_rate(self) -> Rate:
        return Rate(self.on_the_spot, self.received)

    @property
    def median_working_days(self) -> float | None:
        return _median(self.answer_days)

    @property
    def attendance_rate(self) -> Rate | None:
        return Rate(self.attendance, self.capacity) if self.attendance is not None and self.capacity else None

    @property
    def chart_rows(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for the outcomes chart; labels translated when shown."""
        return [
            ("spot", _("answered on the spot"), self.on_the_spot),
            ("resolved", _("resolved"), self.resolved),
            ("explained", _("explained"), self.explained),
            ("planned", _("planned"), self.planned),
            ("forwarded", _("forwarded"), self.forwarded),
            ("open", _("still open"), self.still_open),
        ]

    @property
    def outcome_rows(self) -> list[tuple[str, int, Rate]]:
        """(key, count, rate) of the questions needing action, in the order the page shows them."""
        return [
            ("resolved", self.resolved, self.resolved_rate),
            ("explained", self.explained, self.explained_rate),
            ("planned", self.planned, self.planned_rate),
            ("forwarded", self.forwarded, self.forwarded_rate),
            ("open", self.still_open, self.open_rate),
        ]


def _add_group(figures: MeetingFigures, spot_id, source, status, outcome, late: bool, count: int) -> None:
    figures.received += count
    if source == Question.Source.ONLINE:
        figures.online += count
    elif source == Question.Source.RECEPTION:
        figures.at_reception += count
    else:  # aloud or on paper at the meeting
        figures.at_meeting += count
    if status == QS.ANSWERED and spot_id == figures.meeting_id:
        figures.on_the_spot += count
        return
    figures.needing_action += count
    if status == QS.ANSWERED:
        if outcome == Question.Outcome.RESOLVED:
            figures.resolved += count
        elif outcome == Question.Outcome.EXPLAINED:
            figures.explained += count
        else:
            figures.planned += count
    elif status == QS.FORWARDED:
        figures.forwarded += count
    else:
        figures.still_open += count
        if late:
            figures.overdue += count


def figures_for_meetings(*, meetings: list[Meeting], today: date | None = None) -> dict[int, MeetingFigures]:
    """The figures of many meetings from three grouped queries over their questions (pages,
    open data, API): the database counts, Python only shares each group out to its meetings."""
    today = today or timezone.localdate()
    result = {
        meeting.pk: MeetingFigures(
            meeting_id=meeting.pk, as_of=today, attendance=meeting.attendance, capacity=meeting.capacity
        )
        for meeting in meetings
    }
    if not result:
        return result
    ids = list(result)
    # A question asked for one meeting and answered on the spot at another counts for both:
    # every group keeps both meetings and is added to each of them that was asked for.
    questions = (
        Question.objects.filter(Q(meeting_id__in=ids) | Q(answered_at_meeting_id__in=ids))
        .filter(status__in=COUNTED_STATUSES)
        .order_by()
    )
    late = Case(When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
    groups = (
        questions.values("meeting_id", "answered_at_meeting_id", "source", "status", "outcome", late=late)
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "answered_at_meeting_id", "source", "status", "outcome", "late", "n")
    )
    for meeting_id, spot_id, source, status, outcome, is_late, count in groups:
        for key in {meeting_id, spot_id} & result.keys():
            _add_group(result[key], spot_id, source, status, outcome, is_late, count)

    days = (
        questions.filter(status=QS.ANSWERED, registered_on__isnull=False, answered_at__isnull=False)
        .values("meeting_id", "answered_at_meeting_id", "registered_on", answered_on=TruncDate("answered_at"))
        .annotate(n=Count("pk"))
        .values_list("meeting_id", "answered_at_meeting_id", "registered_on", "answered_on", "n")
    )
    for meeting_id, spot_id, registered_on, answered_on, count in days:
        working_days = max(working_days_between(registered_on, answered_on), 0)
        for key in {meeting_id, spot_id} & result.keys():
            if spot_id != key:  # answered on the spot: no waiting to count
                result[key].answer_days.extend([working_days] * count)

    categories: dict[int, Counter] = defaultdict(Counter)
    names: dict[str, dict[str, str]] = {}
    columns = ("meeting_id", "answered_at_meeting_id", "category__slug", "category__name_kk", "category__name_ru")
    rows = questions.values(*columns).annotate(n=Count("pk")).values_list(*columns, "n")
    for meeting_id, spot_id, slug, name_kk, name_ru, count in rows:
        names[slug] = _names(name_kk, name_ru)
        for key in {meeting_id, spot_id} & result.keys():
            categories[key][slug] += count
    for meeting_id, figures in result.items():
        figures.answer_days.sort()
        figures.top_categories = [
            CategoryCount(slug=slug, names=names[slug], count=count)
            for slug, count in sorted(categories[meeting_id].items(), key=lambda pair: (-pair[1], pair[0]))[
                :TOP_CATEGORIES
            ]
        ]
    return result


def _compute_figures(meeting: Meeting, today: date) -> MeetingFigures:
    return figures_for_meetings(meetings=[meeting], today=today)[meeting.pk]


def meeting_figures(*, meeting: Meeting) -> MeetingFigures:
    """The meeting's questions and outcomes as of today (one query when cached, four when not)."""
    today = timezone.localdate()
    return _cached(f"figures:{meeting.pk}", lambda: _compute_figures(meeting, today))


# --- Reports --------------------------------------------------------------------------------


def _listed(queryset: QuerySet[Report]) -> QuerySet[Report]:
    return queryset.select_related("unit", "meeting", "meeting__host", "meeting__unit")


def _period_q(period: Period) -> Q:
    """A report belongs to the period of its meeting, else of its own period, else of its publication."""
    return (
        Q(meeting__starts_at__gte=period.starts_at, meeting__starts_at__lt=period.ends_at)
        | Q(meeting__isnull=True, period_start__lt=period.next_first_day, period_end__gte=period.first_day)
        | Q(
            meeting__isnull=True,
            period_start__isnull=True,
            published_at__gte=period.starts_at,
            published_at__lt=period.ends_at,
        )
    )


def reports_public(
    *,
    unit: AdministrativeUnit | None = None,
    akim: Akim | None = None,
    kind: str = "",
    period: Period | None = None,
    search: str = "",
) -> QuerySet[Report]:
    """Published reports, newest first, filtered by territory subtree, host akim, meeting kind,
    period and a full-text search (ranked when a search is given)."""
    queryset = Report.objects.published()
    if unit is not None:
        queryset = queryset.within(unit)
    if akim is not None:
        queryset = queryset.filter(meeting__host=akim)
    if kind:
        queryset = queryset.filter(meeting__kind=kind)
    if period is not None:
        queryset = queryset.filter(_period_q(period))
    queryset = _listed(queryset)
    search = (search or "").strip()
    if search:
        return _search_reports(queryset, search)
    return queryset.order_by("-published_at", "-pk")


def report_public_detail(*, slug: str) -> Report:
    return _listed(Report.objects.published()).get(slug=slug)


def report_timeline(*, report: Report) -> list[dict]:
    """What happened, in order: the meeting announced and held, the report published and edited."""
    entries = []
    if report.meeting_id:
        for event in report.meeting.events.filter(
            kind__in=[MeetingEvent.Kind.SCHEDULED, MeetingEvent.Kind.RESCHEDULED, MeetingEvent.Kind.HELD]
        ).order_by("at", "pk"):
            entries.append({"at": event.at, "label": event.get_kind_display(), "kind": f"meeting-{event.kind}"})
    public_kinds = [ReportEvent.Kind.PUBLISHED, ReportEvent.Kind.UPDATED, ReportEvent.Kind.UNPUBLISHED]
    for event in report.events.filter(kind__in=public_kinds).order_by("at", "pk"):
        if event.kind == ReportEvent.Kind.UPDATED and (report.published_at is None or event.at < report.published_at):
            continue  # edits of the draft are not news
        entries.append({"at": event.at, "label": event.get_kind_display(), "kind": f"report-{event.kind}"})
    return sorted(entries, key=lambda entry: entry["at"])


def report_action_items(*, report: Report) -> QuerySet[ActionItem]:
    """Items of plans made from the report's meeting, or linked to the meeting's questions."""
    if not report.meeting_id:
        return ActionItem.objects.none()
    # The ids first, in one small indexed query: as subqueries under an OR, PostgreSQL walked
    # all 50,000 items at national scale (90 ms) to test each against both.
    from_plans = (
        ActionItem.objects.filter(plan__source_meetings=report.meeting_id).order_by().values_list("pk", flat=True)
    )
    from_questions = (
        ActionItem.questions.through.objects.filter(question__meeting=report.meeting_id)
        .order_by()
        .values_list("actionitem_id", flat=True)
    )
    ids = list(from_plans.union(from_questions))
    return _items_listed(ActionItem.objects.filter(pk__in=ids))


def reports_for_staff(*, user) -> QuerySet[Report]:
    from reports.permissions import managed_q

    return _listed(Report.objects.filter(managed_q(user))).order_by("-updated_at", "-pk")


def reports_workspace_counts(*, user) -> dict[str, int]:
    """The staff workspace's figures for the territories the user writes reports for, in two
    queries: report drafts, and live action items at risk and overdue."""
    from reports.permissions import managed_q

    today = timezone.localdate()
    counts = Report.objects.filter(managed_q(user)).aggregate(drafts=Count("pk", filter=Q(status=Report.Status.DRAFT)))
    counts.update(
        ActionItem.objects.filter(managed_q(user, prefix="plan__unit__")).aggregate(
            at_risk=Count("pk", filter=at_risk_q(today)),
            overdue=Count("pk", filter=~Q(status__in=ActionItem.CLOSED_STATUSES) & Q(due_on__lt=today)),
        )
    )
    return counts


def report_events(*, report: Report) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor").order_by("at", "pk")


def reports_for_feed(*, unit: AdministrativeUnit | None = None, limit: int = 30) -> QuerySet[Report]:
    queryset = Report.objects.published()
    if unit is not None:
        queryset = queryset.within(unit)
    return _listed(queryset).order_by("-published_at", "-pk")[:limit]


# --- Action plans ---------------------------------------------------------------------------


def _items_listed(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    # The number of linked questions as a correlated subquery: computed for the page's rows
    # only, where a GROUP BY over the join would aggregate all 50,000 items before the LIMIT.
    links = (
        ActionItem.questions.through.objects.filter(actionitem_id=OuterRef("pk"))
        .order_by()
        .values("actionitem_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        queryset.select_related("plan", "plan__unit", "department")
        .annotate(questions_count=Coalesce(Subquery(links), 0))
        .order_by("due_on", "pk")
    )


def plans_public(*, unit: AdministrativeUnit | None = None, year: int | None = None) -> QuerySet[ActionPlan]:
    """Plans with their summary in the same query: items, done, at risk, budget."""
    today = timezone.localdate()
    queryset = ActionPlan.objects.all()
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if year is not None:
        queryset = queryset.filter(period_start__year__lte=year, period_end__year__gte=year)
    return (
        queryset.select_related("unit")
        .annotate(
            items_count=Count("items", filter=~Q(items__status=ActionItem.Status.CANCELLED)),
            done_count=Count("items", filter=Q(items__status=ActionItem.Status.DONE)),
            at_risk_count=Count("items", filter=at_risk_q(today, prefix="items__")),
            budget_total=Sum("items__budget", filter=~Q(items__status=ActionItem.Status.CANCELLED)),
        )
        .order_by("-period_start", "pk")
    )


def plan_detail(*, pk: int) -> ActionPlan:
    return (
        ActionPlan.objects.select_related("unit")
        .prefetch_related(
            Prefetch("items", queryset=_items_listed(ActionItem.objects.all())),
            Prefetch("source_meetings", queryset=Meeting.objects.select_related("unit").order_by("starts_at")),
        )
        .get(pk=pk)
    )


def items_public(
    *, unit: AdministrativeUnit | None = None, status: str = "", at_risk: bool = False
) -> QuerySet[ActionItem]:
    queryset = ActionItem.objects.all()
    if unit is not None:
        queryset = queryset.within(unit)
    if status:
        queryset = queryset.filter(status=status)
    if at_risk:
        queryset = queryset.at_risk()
    return _items_listed(queryset)


def item_detail(*, pk: int) -> ActionItem:
    return (
        _items_listed(ActionItem.objects.all())
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.public().select_related("unit", "category")),
            Prefetch("events", queryset=ActionItemEvent.objects.order_by("at", "pk")),
        )
        .get(pk=pk)
    )


@dataclass
class PlanSummary:
    items: int = 0
    done: int = 0
    in_progress: int = 0
    planned: int = 0
    at_risk: int = 0
    overdue: int = 0
    budget: Decimal = Decimal(0)
    budget_done: Decimal = Decimal(0)
    average_progress: int = 0

    @property
    def done_rate(self) -> Rate:
        return Rate(self.done, self.items)

    @property
    def at_risk_rate(self) -> Rate:
        return Rate(self.at_risk, self.items)


def _summary_aggregates(today: date, prefix: str = "") -> dict:
    live = ~Q(**{f"{prefix}status": ActionItem.Status.CANCELLED})
    status = f"{prefix}status"
    return {
        "items": Count("pk", filter=live),
        "done": Count("pk", filter=Q(**{status: ActionItem.Status.DONE})),
        "in_progress": Count("pk", filter=Q(**{status: ActionItem.Status.IN_PROGRESS})),
        "planned": Count("pk", filter=Q(**{status: ActionItem.Status.PLANNED})),
        "at_risk": Count("pk", filter=at_risk_q(today, prefix=prefix)),
        "overdue": Count(
            "pk", filter=~Q(**{f"{status}__in": ActionItem.CLOSED_STATUSES}) & Q(**{f"{prefix}due_on__lt": today})
        ),
        "budget_total": Sum(f"{prefix}budget", filter=live),
        "budget_done_total": Sum(f"{prefix}budget", filter=Q(**{status: ActionItem.Status.DONE})),
        "progress_sum": Sum(f"{prefix}progress", filter=live),
    }


def _summary_from(row: dict) -> PlanSummary:
    items = row["items"] or 0
    return PlanSummary(
        items=items,
        done=row["done"] or 0,
        in_progress=row["in_progress"] or 0,
        planned=row["planned"] or 0,
        at_risk=row["at_risk"] or 0,
        overdue=row["overdue"] or 0,
        budget=_money(row["budget_total"]),
        budget_done=_money(row["budget_done_total"]),
        average_progress=round((row["progress_sum"] or 0) / items) if items else 0,
    )


def items_summary(*, unit: AdministrativeUnit | None, year: int | None = None) -> PlanSummary:
    """ "93 items planned for 2025, 12 at risk" for a territory's subtree (items due that year)."""
    queryset = ActionItem.objects.within(unit) if unit is not None else ActionItem.objects.all()
    if year is not None:
        queryset = queryset.filter(due_on__year=year)
    return _summary_from(queryset.aggregate(**_summary_aggregates(timezone.localdate())))


def items_summary_of_plan(*, plan: ActionPlan) -> PlanSummary:
    return _summary_from(plan.items.aggregate(**_summary_aggregates(timezone.localdate())))


def budgets_by_territory(*, unit: AdministrativeUnit, year: int | None = None) -> list[dict]:
    """Budgets of live items summed per territory that owns a plan, in the subtree."""
    queryset = ActionItem.objects.within(unit).exclude(status=ActionItem.Status.CANCELLED)
    if year is not None:
        queryset = queryset.filter(due_on__year=year)
    rows = (
        queryset.values("plan__unit_id", "plan__unit__name_kk", "plan__unit__name_ru", "plan__unit__slug")
        .annotate(budget=Sum("budget"), items=Count("pk"))
        .order_by("plan__unit__path")
    )
    return [
        {
            "slug": row["plan__unit__slug"],
            "names": _names(row["plan__unit__name_kk"], row["plan__unit__name_ru"]),
            "budget": _money(row["budget"]),
            "items": row["items"],
        }
        for row in rows
    ]


# --- Territory scorecard --------------------------------------------------------------------


@dataclass
class MandateQuarter:
    year: int
    index: int
    held: int
    scheduled: int
    missing: int

    @property
    def total(self) -> int:
        return self.held + self.scheduled + self.missing

    @property
    def label(self) -> str:
        # Translated when shown, not when cached.
        return Period("quarter", self.year, self.index).label


@dataclass
class DayCounts:
    """Working days to an answer, as how many answers took each number of days: the median of
    tens of thousands of answers without keeping a list of them. `len()` is the number of answers."""

    counts: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(self.counts.values())

    def add(self, days: int, count: int = 1) -> None:
        self.counts[days] = self.counts.get(days, 0) + count

    @property
    def median(self) -> int | float | None:
        """As statistics.median of the expanded list: the middle value, or the mean of the two."""
        total = len(self)
        if not total:
            return None
        wanted, values, seen = sorted({(total - 1) // 2, total // 2}), [], 0
        for days in sorted(self.counts):
            seen += self.counts[days]
            while wanted and wanted[0] < seen:
                values.append(days)
                wanted.pop(0)
            if not wanted:
                break
        return values[0] if len(values) == 1 else (values[0] + values[1]) / 2


@dataclass
class CategoryRow:
    names: dict[str, str]
    received: int = 0
    on_the_spot: int = 0
    resolved: int = 0
    explained: int = 0
    planned: int = 0
    forwarded: int = 0
    still_open: int = 0

    @property
    def name(self) -> str:
        return _localized(self.names)

    @property
    def needing_action(self) -> int:
        return self.received - self.on_the_spot

    @property
    def resolved_rate(self) -> Rate:
        return Rate(self.resolved, self.needing_action)


@dataclass
class SiblingRow:
    slug: str
    names: dict[str, str]
    is_self: bool
    received: int = 0
    needing_action: int = 0
    resolved: int = 0
    answer_days: DayCounts = field(default_factory=DayCounts)
    items: int = 0
    at_risk: int = 0
    budget: Decimal = Decimal(0)

    @property
    def name(self) -> str:
        return _localized(self.names)

    @property
    def resolved_rate(self) -> Rate:
        return Rate(self.resolved, self.needing_action)

    @property
    def median_working_days(self) -> float | None:
        return self.answer_days.median


@dataclass
class Scorecard:
    unit_id: int
    period_code: str
    as_of: date
    mandate: list[MandateQuarter]
    categories: list[CategoryRow]
    totals: CategoryRow
    answer_days: DayCounts
    plans: PlanSummary
    budgets: list[dict]
    siblings: list[SiblingRow]
    computed_at: datetime | None = None  # when the figures were read: the bound of staleness

    @property
    def median_working_days(self) -> float | None:
        return self.answer_days.median

    @property
    def siblings_median_received(self) -> float | None:
        return _median([row.received for row in self.siblings])

    @property
    def siblings_median_days(self) -> float | None:
        return _median([row.median_working_days for row in self.siblings if row.median_working_days is not None])


def _siblings(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    if unit.parent_id is None:
        return list(AdministrativeUnit.objects.top_level().filter(kind=unit.kind).order_by("name"))
    return list(AdministrativeUnit.objects.filter(parent_id=unit.parent_id, kind=unit.kind).order_by("name"))


# A question answered at a meeting counts as answered on the spot, not as needing action.
_SPOT = Q(status=QS.ANSWERED, answered_at_meeting_id__isnull=False)
_ANSWERED_LATER = Q(status=QS.ANSWERED, answered_at_meeting_id__isnull=True)


_CATEGORY_NUMBERS = ("received", "on_the_spot", "resolved", "explained", "planned", "forwarded", "still_open")


def _in_period(period: Period) -> Q:
    return Q(created_at__gte=period.starts_at, created_at__lt=period.ends_at, status__in=COUNTED_STATUSES)


def _subtrees(units: list[AdministrativeUnit]) -> dict[int, list[int]]:
    """The ids of the territories under each of `units` (siblings: their subtrees never overlap).

    Rows are then grouped by their territory id (`unit_id IN (…)`): matching each row's path
    against every sibling's prefix cost a join and twenty LIKEs per question over a country."""
    within = Q()
    for unit in units:
        within |= Q(path__startswith=unit.path)
    by_path = sorted(units, key=lambda unit: len(unit.path), reverse=True)
    subtrees: dict[int, list[int]] = {unit.pk: [] for unit in units}
    for pk, path in AdministrativeUnit.objects.filter(within).order_by().values_list("pk", "path"):
        owner = next(unit for unit in by_path if path.startswith(unit.path))
        subtrees[owner.pk].append(pk)
    return subtrees


def _grouped_by(subtrees: dict[int, list[int]], field: str) -> tuple[Q, Case]:
    """Rows whose `field` lies in one of the subtrees, and which one."""
    ids = [pk for members in subtrees.values() for pk in members]
    which = Case(
        *(When(**{f"{field}__in": members}, then=Value(owner)) for owner, members in subtrees.items() if members),
        output_field=IntegerField(),
    )
    return Q(**{f"{field}__in": ids}), which


def _answer_day_counts(questions: QuerySet[Question], group: str) -> dict[int, DayCounts]:
    """{group value: DayCounts} of the questions answered after their meeting: one GROUP BY by
    registration day and local answer day, then the working days between each distinct pair."""
    rows = (
        questions.filter(_ANSWERED_LATER, registered_on__isnull=False, answered_at__isnull=False)
        .order_by()
        .values(group, "registered_on", answered_on=TruncDate("answered_at"))
        .annotate(n=Count("pk"))
        .values_list(group, "registered_on", "answered_on", "n")
    )
    result: dict[int, DayCounts] = defaultdict(DayCounts)
    for key, registered_on, answered_on, count in rows:
        result[key].add(max(working_days_between(registered_on, answered_on), 0), count)
    return result


def _territory_figures_compute(units: list[AdministrativeUnit], period: Period, today: date) -> dict[int, dict]:
    """Each unit's figures over its own subtree, in three grouped queries: its questions by
    category, its answers' working days, its action items."""
    if not units:
        return {}
    subtrees = _subtrees(units)
    within, which = _grouped_by(subtrees, "unit_id")
    questions = Question.objects.filter(_in_period(period), within).annotate(territory=which)
    figures = {
        unit.pk: {
            "received": 0,
            "needing_action": 0,
            "resolved": 0,
            "categories": [],
            "days": {},
            "items": 0,
            "at_risk": 0,
            "budget": "0.00",
        }
        for unit in units
    }
    later = _ANSWERED_LATER
    by_category = (
        questions.order_by()
        .values("territory", "category__slug", "category__name_kk", "category__name_ru")
        .annotate(
            received=Count("pk"),
            on_the_spot=Count("pk", filter=_SPOT),
            resolved=Count("pk", filter=later & Q(outcome=Question.Outcome.RESOLVED)),
            explained=Count("pk", filter=later & Q(outcome=Question.Outcome.EXPLAINED)),
            planned=Count("pk", filter=later & ~Q(outcome__in=[Question.Outcome.RESOLVED, Question.Outcome.EXPLAINED])),
            forwarded=Count("pk", filter=Q(status=QS.FORWARDED)),
            still_open=Count("pk", filter=Q(status__in=[QS.NEW, QS.ACCEPTED, QS.ASSIGNED])),
        )
    )
    for row in by_category:
        target = figures[row["territory"]]
        target["received"] += row["received"]
        target["needing_action"] += row["received"] - row["on_the_spot"]
        target["resolved"] += row["resolved"]
        names = _names(row["category__name_kk"], row["category__name_ru"])
        target["categories"].append({"names": names, **{name: row[name] for name in _CATEGORY_NUMBERS}})
    for territory, days in _answer_day_counts(questions, "territory").items():
        figures[territory]["days"] = {str(key): value for key, value in days.counts.items()}
    items_within, items_which = _grouped_by(subtrees, "plan__unit_id")
    live = ~Q(status=ActionItem.Status.CANCELLED)
    items = (
        ActionItem.objects.filter(items_within, due_on__year=period.year)
        .annotate(territory=items_which)
        .order_by()
        .values("territory")
        .annotate(
            items=Count("pk", filter=live),
            at_risk=Count("pk", filter=at_risk_q(today)),
            budget=Sum("budget", filter=live),
        )
    )
    for row in items:
        figures[row["territory"]].update(items=row["items"], at_risk=row["at_risk"], budget=str(_money(row["budget"])))
    return figures


def _figures_fresh(row: TerritoryFigures, today: date, version: str) -> bool:
    if row.as_of != today:
        return False
    if row.data_version == version:
        return True
    stale_seconds = settings.REPORTS_SCORECARD_STALE_SECONDS
    return bool(stale_seconds) and (timezone.now() - row.computed_at).total_seconds() < stale_seconds


def territory_figures(
    *, units: list[AdministrativeUnit], period: Period, today: date, recompute: Iterable[int] = ()
) -> dict[int, dict]:
    """The units' summary rows for the period, recomputing (and storing) the missing or stale ones
    and those in `recompute`. Two queries when the rows are fresh, five more when some are not."""
    version = data_version()
    recompute = set(recompute)
    stored = {row.unit_id: row for row in TerritoryFigures.objects.filter(unit__in=units, period_code=period.code)}
    result, missing = {}, []
    for unit in units:
        row = stored.get(unit.pk)
        if unit.pk not in recompute and row is not None and _figures_fresh(row, today, version):
            result[unit.pk] = row.figures
        else:
            missing.append(unit)
    computed = _territory_figures_compute(missing, period, today)
    if computed:
        now = timezone.now()
        TerritoryFigures.objects.bulk_create(
            [
                TerritoryFigures(
                    unit_id=pk,
                    period_code=period.code,
                    as_of=today,
                    computed_at=now,
                    data_version=version,
                    figures=values,
                )
                for pk, values in computed.items()
            ],
            update_conflicts=True,
            unique_fields=["unit", "period_code"],
            update_fields=["as_of", "computed_at", "data_version", "figures"],
        )
        result.update(computed)
    return result


def _sibling_row(sibling: AdministrativeUnit, unit: AdministrativeUnit, figures: dict) -> SiblingRow:
    return SiblingRow(
        slug=sibling.slug,
        names=_names(sibling.name_kk, sibling.name_ru),
        is_self=sibling.pk == unit.pk,
        received=figures["received"],
        needing_action=figures["needing_action"],
        resolved=figures["resolved"],
        answer_days=DayCounts({int(days): count for days, count in figures["days"].items()}),
        items=figures["items"],
        at_risk=figures["at_risk"],
        budget=_money(figures["budget"]),
    )


def _category_rows(figures: dict) -> tuple[list[CategoryRow], CategoryRow]:
    categories = [CategoryRow(**row) for row in figures["categories"]]
    totals = CategoryRow(names={"kk": "", "ru": ""})
    for row in categories:
        for name in _CATEGORY_NUMBERS:
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    categories.sort(key=lambda row: (-row.received, row.names["kk"]))
    return categories, totals


def _compute_scorecard(unit: AdministrativeUnit, period: Period, today: date) -> Scorecard:
    """The card from the summary rows of the unit and its siblings, each over its own subtree
    (recomputed when stale): no territory reads another's questions, and a fresh row is read
    instead of the questions themselves."""
    # The reporting duty, quarter by quarter up to today (the rules once, three queries a quarter).
    mandate = []
    ruleset = mandate_ruleset_active()
    quarter = period_of(period.first_day, "quarter")
    while quarter.first_day < period.next_first_day and quarter.first_day <= today:
        report = mandate_report(unit=unit, quarter=quarter, ruleset=ruleset)
        rows = report.child_rows or report.rows
        mandate.append(
            MandateQuarter(
                year=quarter.year,
                index=quarter.index,
                held=sum(1 for row in rows if row.status == "held"),
                scheduled=sum(1 for row in rows if row.status == "scheduled"),
                missing=sum(1 for row in rows if row.status == "missing"),
            )
        )
        quarter = quarter.next()

    siblings = _siblings(unit)
    figures = territory_figures(units=siblings, period=period, today=today)
    sibling_rows = [_sibling_row(sibling, unit, figures[sibling.pk]) for sibling in siblings]
    own = next(row for row in sibling_rows if row.is_self)
    categories, totals = _category_rows(figures[unit.pk])
    return Scorecard(
        unit_id=unit.pk,
        period_code=period.code,
        as_of=today,
        computed_at=timezone.now(),
        mandate=mandate,
        categories=categories,
        totals=totals,
        answer_days=own.answer_days,
        plans=items_summary(unit=unit, year=period.year),
        budgets=budgets_by_territory(unit=unit, year=period.year),
        siblings=sibling_rows,
    )


def scorecard_first_year() -> int:
    """The first year of the portal's data (its earliest meeting or question): a scorecard of an
    earlier period, or of one not begun, is not a page (404), so no one can ask for hundreds of
    empty periods to keep the server busy. Two indexed queries, cached for a day."""
    key = "reports:scorecard-first-year"
    year = cache.get(key)
    if year is None:
        firsts = [
            Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True).first(),
            Question.objects.order_by("created_at").values_list("created_at", flat=True).first(),
        ]
        year = min((timezone.localtime(moment).year for moment in firsts if moment), default=None)
        year = year or timezone.localdate().year
        cache.set(key, year, 24 * 3600)
    return year


def scorecard_period_known(*, period: Period) -> bool:
    return scorecard_first_year() <= period.year and period.first_day <= timezone.localdate()


def _scorecard_key(unit: AdministrativeUnit, period: Period) -> str:
    # "v2": cards cached before their answer days became DayCounts (lists) must not be read.
    return f"scorecard:v2:{unit.pk}:{period.code}"


def territory_scorecard(*, unit: AdministrativeUnit, period: Period) -> Scorecard:
    """The scorecard, cached under the data version, or the latest one if it is recent enough.

    The card reads the summary rows of the unit and its siblings (TerritoryFigures), which are
    recomputed when older than REPORTS_SCORECARD_STALE_SECONDS and the data moved on.
    A card computed less than that ago is served even when the data moved on since, and the
    beat job `reports.refresh_scorecards` recomputes the top-level cards and rows before they
    get that old.
    """
    today = timezone.localdate()
    key = _scorecard_key(unit, period)
    latest_key = f"reports:{key}:latest"
    stale_seconds = settings.REPORTS_SCORECARD_STALE_SECONDS
    if stale_seconds:
        latest = cache.get(latest_key)
        if latest is not None and latest.as_of == today:
            age = (timezone.now() - latest.computed_at).total_seconds()
            if age < stale_seconds:
                return latest
    card = _cached(key, lambda: _compute_scorecard(unit, period, today))
    if stale_seconds and card.computed_at is not None:
        cache.set(latest_key, card, stale_seconds * 2)
    return card


def scorecards_refresh(*, units: Iterable[AdministrativeUnit], period: Period) -> int:
    """Recompute the cards of `units` and their summary rows now (the beat job); returns how many.

    The rows of all `units` are recomputed first in one pass, so the cards that compare them
    with each other read them instead of recomputing each."""
    today = timezone.localdate()
    units = list(units)
    territory_figures(units=units, period=period, today=today, recompute=[unit.pk for unit in units])
    count = 0
    for unit in units:
        card = _compute_scorecard(unit, period, today)
        cache.set(f"reports:{_scorecard_key(unit, period)}:latest", card, settings.REPORTS_SCORECARD_STALE_SECONDS * 2)
        count += 1
    return count


# --- Search ---------------------------------------------------------------------------------

REPORT_SEARCH_FIELDS = ("title_kk", "title_ru", "lead_kk", "lead_ru", "body_kk", "body_ru")
# The public copies: search must not match what the pages hide (questions/migrations/0009).
QUESTION_SEARCH_FIELDS = ("text_public", "answer_public")
TRIGRAM_THRESHOLD = 0.5
FALLBACK_SCAN_LIMIT = 5000
# Newest first is answered from the last days' matches when they fill the page.
SEARCH_RECENT_DAYS = 7


def _newest(queryset: QuerySet, field: str, limit: int, *, recent_form: QuerySet | None = None) -> list:
    """The first `limit` rows of a newest-first search (`queryset` is ordered by _unindexed_desc),
    in two bounded steps, with no planner setting forced:

    1. the last SEARCH_RECENT_DAYS, newest first by the date's index: a walk of at most a week
       of rows (a few thousand at national scale). A common word fills the page here, and then
       nothing older can be among the newest `limit`;
    2. otherwise the word is rare, and all its matches come from the search index (the
       unindexed order leaves the planner no date index to walk), sorted by date.

    `recent_form`: the same search written for step 1, when it differs (reports: see
    _search_reports). A single "ORDER BY date LIMIT n" would be planned from an estimate of how many rows match;
    PostgreSQL cannot know that for a word outside its statistics, guesses thousands, walks the
    date index, and for a word that matches nothing reads a million rows (10 s).
    """
    since = timezone.now() - timedelta(days=SEARCH_RECENT_DAYS)
    recent_form = queryset if recent_form is None else recent_form
    recent = list(recent_form.filter(**{f"{field}__gte": since}).order_by(f"-{field}", "-pk")[:limit])
    if len(recent) == limit:
        return recent
    # The ids first, from the search index alone (no joins for thousands of matches), then
    # the page's rows with their joins.
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    found = {row.pk: row for row in queryset.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _stem(word: str) -> str:
    # The fallback's stand-in for a stemmer: Kazakh and Russian endings are dropped roughly.
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def _fallback_match(texts: Iterable[str], stems: list[str]) -> bool:
    haystack = " ".join(text or "" for text in texts).lower()
    return all(stem in haystack for stem in stems)


def _search_reports(queryset: QuerySet[Report], query: str, *, united: bool = True) -> QuerySet[Report]:
    if connection.vendor == "postgresql":
        # Every condition has its index: the document its GIN index, the trigram operator (%>)
        # the titles' trigram indexes. `united`: they are asked one by one and their ids
        # united, for all matches of a rare word; joined with OR in one WHERE the planner reads
        # all 10,000 reports and computes the word similarity of each title (a third of a
        # second). The OR form serves a walk of the recent reports (see _newest), which stops
        # as soon as the page is full. Newest first, like questions.
        if not united:
            return (
                queryset.annotate(document=_pg_document(Report))
                .filter(
                    Q(document=_pg_query(query))
                    | Q(title_kk__trigram_word_similar=query)
                    | Q(title_ru__trigram_word_similar=query)
                )
                .order_by(_unindexed_desc("published_at"), "-pk")
            )
        matching = (
            Report.objects.annotate(document=_pg_document(Report, qualified=False))
            .filter(document=_pg_query(query))
            .order_by()
            .values("pk")
            .union(
                Report.objects.filter(title_kk__trigram_word_similar=query).order_by().values("pk"),
                Report.objects.filter(title_ru__trigram_word_similar=query).order_by().values("pk"),
            )
        )
        return queryset.filter(pk__in=matching).order_by(_unindexed_desc("published_at"), "-pk")
    stems = [_stem(word) for word in _words(query)]
    if not stems:
        return queryset.none()
    ids = [
        row[0]
        for row in queryset.order_by("-published_at").values_list("pk", *REPORT_SEARCH_FIELDS)[:FALLBACK_SCAN_LIMIT]
        if _fallback_match(row[1:], stems)
    ]
    return queryset.filter(pk__in=ids).order_by("-published_at", "-pk")


def _search_questions(queryset: QuerySet[Question], query: str) -> QuerySet[Question]:
    """Questions matching every word, newest first.

    A common word matches tens of thousands of the million questions: ranking them would read
    every match's document (a third of a second at national scale); newest first needs only
    the matching rows' dates.
    """
    if connection.vendor == "postgresql":
        return (
            queryset.annotate(document=_pg_document(Question))
            .filter(document=_pg_query(query))
            .order_by(_unindexed_desc("created_at"), "-pk")
        )
    stems = [_stem(word) for word in _words(query)]
    if not stems:
        return queryset.none()
    ids = [
        row[0]
        for row in queryset.order_by("-created_at").values_list("pk", *QUESTION_SEARCH_FIELDS)[:FALLBACK_SCAN_LIMIT]
        if _fallback_match(row[1:], stems)
    ]
    return queryset.filter(pk__in=ids).order_by("-created_at", "-pk")


@dataclass
class SearchResults:
    query: str
    reports: list[Report]
    questions: list[Question]
    reports_count: int
    questions_count: int
    # Nothing counts every match: a page shows `limit` of each and says "20+" when more match.
    reports_more: bool = False
    questions_more: bool = False


def search(*, query: str, unit: AdministrativeUnit | None = None, limit: int = 20) -> SearchResults:
    """Published reports and public questions, in both languages whatever the page's language.

    PostgreSQL: full-text search with the "russian" and "simple" configurations over stored,
    indexed documents, plus trigram similarity on report titles; newest first, without counting
    all matches (see _newest). Elsewhere a scan of the latest rows with rough stems.
    """
    query = (query or "").strip()[:200]
    if not _words(query):
        return SearchResults(query=query, reports=[], questions=[], reports_count=0, questions_count=0)
    reports = reports_public(unit=unit, search=query)
    recent_reports = _search_reports(reports_public(unit=unit), query, united=False)
    questions = Question.objects.public()
    if unit is not None:
        questions = questions.within(unit)
    questions = _search_questions(questions.select_related("unit", "category"), query)
    report_list = _newest(reports, "published_at", limit + 1, recent_form=recent_reports)
    question_list = _newest(questions, "created_at", limit + 1)
    return SearchResults(
        query=query,
        reports=report_list[:limit],
        questions=question_list[:limit],
        reports_count=min(len(report_list), limit),
        questions_count=min(len(question_list), limit),
        reports_more=len(report_list) > limit,
        questions_more=len(question_list) > limit,
    )
