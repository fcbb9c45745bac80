"""Reads of meetings shared by pages, the API, calendars and later apps (questions, reports)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import Count, F, Func, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.permissions import covered_unit_ids_q
from districts.models import AdministrativeUnit, Akim
from districts.selectors import akims_current
from meetings.models import (
    AgendaItem,
    MandateRule,
    MandateRuleSet,
    Meeting,
    MeetingEvent,
    PlanItem,
    ReceptionBooking,
    ReceptionSlot,
    Registration,
)
from meetings.periods import Period
from meetings.permissions import managed_units_q


def _registered_count() -> Subquery:
    """Seats taken, as a correlated subquery rather than a JOIN + GROUP BY over registrations.

    PostgreSQL evaluates it after ORDER BY … LIMIT, so a page of 20 counts 20 meetings' seats
    (through the registration_queue index), and COUNT(*) for the paginator leaves it out.
    """
    seats = (
        Registration.objects.filter(meeting=OuterRef("pk"), status=Registration.Status.REGISTERED)
        .order_by()
        .annotate(taken=Func("pk", function="COUNT"))
        .values("taken")
    )
    return Subquery(seats)


def _listed(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """What every list of meetings shows: territory, host, venue and seats taken, in one query."""
    return queryset.select_related("unit", "host", "venue").annotate(registered_count=_registered_count())


def meetings_public(
    *,
    unit: AdministrativeUnit | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Meeting]:
    queryset = Meeting.objects.public()
    if unit is not None:
        queryset = queryset.within(unit)
    if kind:
        queryset = queryset.filter(kind=kind)
    if date_from:
        queryset = queryset.filter(starts_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(starts_at__date__lte=date_to)
    return _listed(queryset)


def meetings_upcoming(
    *,
    unit: AdministrativeUnit | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Meeting]:
    """Scheduled meetings that have not started yet, soonest first (the territory's subtree)."""
    return (
        meetings_public(unit=unit, kind=kind, date_from=date_from, date_to=date_to)
        .filter(status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at", "pk")
    )


ASK_MEETINGS_NATIONWIDE = 30
ASK_MEETINGS_FOR_TERRITORY = 200


def meetings_for_asking(*, unit: AdministrativeUnit | None, meeting_id: int | None = None) -> QuerySet[Meeting]:
    """The upcoming meetings a question form offers: for a chosen territory, those held there,
    under it, or by an akim above it; with no territory chosen yet, the soonest few in the
    country. A bounded list (not every meeting in the country on a cheap phone), plus the one a
    link or a sent form chose, if it is still upcoming."""
    upcoming = meetings_upcoming()
    if unit is not None:
        upcoming = upcoming.filter(Q(unit_id__in=[*unit.ancestor_ids, unit.pk]) | Q(unit__path__startswith=unit.path))
    limit = ASK_MEETINGS_NATIONWIDE if unit is None else ASK_MEETINGS_FOR_TERRITORY
    ids = list(upcoming.values_list("pk", flat=True)[:limit])
    if meeting_id is not None:
        ids.append(meeting_id)
    return meetings_upcoming().filter(pk__in=ids).select_related("unit")


def meetings_past(
    *,
    unit: AdministrativeUnit | None = None,
    kind: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Meeting]:
    """Meetings that have started (held, cancelled, or not yet marked), latest first."""
    return (
        meetings_public(unit=unit, kind=kind, date_from=date_from, date_to=date_to)
        .filter(starts_at__lt=timezone.now())
        .order_by("-starts_at", "-pk")
    )


def meetings_between(*, start: datetime, end: datetime, unit: AdministrativeUnit | None = None) -> QuerySet[Meeting]:
    """Public meetings starting in [start, end): the month calendar and the feeds."""
    return meetings_public(unit=unit).filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk")


def meetings_for_feed(*, unit: AdministrativeUnit) -> QuerySet[Meeting]:
    """A territory subtree's calendar: a year back and everything ahead, cancelled included."""
    since = timezone.now() - timezone.timedelta(days=365)
    return (
        Meeting.objects.public()
        .within(unit)
        .filter(starts_at__gte=since)
        .select_related("unit", "venue", "host")
        .order_by("starts_at", "pk")
    )


def meeting_detail_queryset() -> QuerySet[Meeting]:
    """One meeting with everything its page shows, in a fixed number of queries."""
    slots = ReceptionSlot.objects.annotate(
        active_bookings=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True))
    ).order_by("starts_at", "official")
    return _listed(Meeting.objects.all()).prefetch_related(
        "speakers",
        Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
        Prefetch("reception_slots", queryset=slots),
    )


def meeting_public_detail(*, pk: int) -> Meeting:
    return meeting_detail_queryset().exclude(status=Meeting.Status.DRAFT).get(pk=pk)


def meetings_for_staff(*, user: User) -> QuerySet[Meeting]:
    """Meetings of every status in the territories the user's akimat role covers."""
    return _listed(Meeting.objects.filter(covered_unit_ids_q(user, roles=["akimat_staff"])))


def meetings_workspace_counts(*, user: User, now: datetime | None = None) -> dict[str, int]:
    """The staff workspace's figures for the territories the user schedules for, in one query:
    meetings this week (Monday to Sunday, local time), drafts, and meetings that have started
    but are not yet marked held."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = timezone.make_aware(datetime.combine(today - timedelta(days=today.weekday()), time.min))
    week_end = timezone.make_aware(datetime.combine(today + timedelta(days=7 - today.weekday()), time.min))
    S = Meeting.Status
    return Meeting.objects.filter(managed_units_q(user)).aggregate(
        this_week=Count(
            "pk", filter=Q(status__in=[S.SCHEDULED, S.HELD], starts_at__gte=week_start, starts_at__lt=week_end)
        ),
        drafts=Count("pk", filter=Q(status=S.DRAFT)),
        to_mark_held=Count("pk", filter=Q(status=S.SCHEDULED, starts_at__lt=now)),
    )


def meeting_events(*, meeting: Meeting) -> QuerySet[MeetingEvent]:
    return meeting.events.select_related("actor").order_by("at", "pk")


def meeting_registrations(*, meeting: Meeting) -> QuerySet[Registration]:
    return meeting.registrations.select_related("user").order_by("status", "created_at", "pk")


def meeting_agenda_split(*, meeting: Meeting) -> dict:
    """The akim's presentation against questions and answers, as the decree asks (≤ a quarter)."""
    items = list(meeting.agenda.all())
    report = sum(item.minutes for item in items if item.is_akim_report)
    duration = max(meeting.duration_minutes, 1)
    share = report / duration
    return {
        "report_minutes": report,
        "other_minutes": max(duration - report, 0),
        "duration_minutes": duration,
        "report_percent": round(share * 100),
        "too_long": share > 0.25,
    }


def reception_slot_is_free(slot: ReceptionSlot) -> bool:
    if hasattr(slot, "active_bookings"):
        return slot.active_bookings == 0
    return not ReceptionBooking.objects.filter(slot=slot, cancelled_at__isnull=True).exists()


# --- The mandate --------------------------------------------------------------------------

HELD, SCHEDULED, MISSING = "held", "scheduled", "missing"


@dataclass
class MandateTarget:
    """Where one meeting is due: the akim's own territory, or one of its subdivisions."""

    unit: AdministrativeUnit
    status: str = MISSING
    meeting: Meeting | None = None


@dataclass
class MandateRow:
    """One akim's office. The counts are read once the report is complete, and then kept:
    a page of a region's ~130 rows reads each several times."""

    office: AdministrativeUnit
    akim: Akim | None
    rule: MandateRule
    period: Period
    targets: list[MandateTarget] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for target in self.targets if target.status == status)

    @cached_property
    def due(self) -> int:
        return len(self.targets)

    @cached_property
    def held(self) -> int:
        return self._count(HELD)

    @cached_property
    def scheduled(self) -> int:
        return self._count(SCHEDULED)

    @cached_property
    def missing(self) -> int:
        return self._count(MISSING)

    @cached_property
    def status(self) -> str:
        if not self.targets or self.held == len(self.targets):
            return HELD
        return MISSING if self.missing else SCHEDULED


@dataclass
class MandateReport:
    unit: AdministrativeUnit
    quarter: Period
    ruleset: MandateRuleSet | None
    rows: list[MandateRow]

    @cached_property
    def held(self) -> int:
        return sum(1 for row in self.rows if row.status == HELD)

    @cached_property
    def scheduled(self) -> int:
        return sum(1 for row in self.rows if row.status == SCHEDULED)

    @cached_property
    def missing(self) -> int:
        return sum(1 for row in self.rows if row.status == MISSING)

    @property
    def child_rows(self) -> list[MandateRow]:
        """The rows one level below the territory: the headline's "8 of 8 districts"."""
        return [row for row in self.rows if row.office.parent_id == self.unit.pk]


def mandate_ruleset_active() -> MandateRuleSet | None:
    return MandateRuleSet.objects.filter(is_active=True).prefetch_related("rules").first()


def mandate_version() -> str:
    """Changes whenever a meeting changes (every service records an event), an akim is added
    or removed, or the rules change; with today's date, since "missing" depends on it. One query.

    An edit of an existing akim's name or term does not change it: pages cached under it say so
    within MANDATE_CACHE_SECONDS.
    """
    sql = (
        "SELECT (SELECT MAX(id) FROM meetings_meetingevent), (SELECT MAX(id) FROM districts_akim),"
        " (SELECT COUNT(*) FROM districts_akim), (SELECT MAX(id) FROM meetings_mandaterule)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return "-".join([timezone.localdate().isoformat(), *(str(value or 0) for value in row)])


def mandate_report(
    *, unit: AdministrativeUnit, quarter: Period, ruleset: MandateRuleSet | None = None
) -> MandateReport:
    """For each akim's office in the subtree: held, scheduled or missing in the rule's period.

    A reporting meeting belongs to the office of its host akim (or to its own territory when it
    has no host) and counts for the subdivision it took place in. Periods are local
    (Asia/Almaty) calendar quarters, half-years or years around the chosen quarter. Five queries
    whatever the size of the subtree.
    """
    ruleset = ruleset or mandate_ruleset_active()
    if ruleset is None:
        return MandateReport(unit=unit, quarter=quarter, ruleset=None, rows=[])
    rules = {rule.unit_kind: rule for rule in ruleset.rules.all()}
    offices = list(
        AdministrativeUnit.objects.within(unit)
        .filter(kind__in=rules)
        .prefetch_related(Prefetch("akims", queryset=akims_current(day=quarter.first_day), to_attr="current_akims"))
        .order_by("depth", "name")
    )
    rows = _mandate_rows(offices=offices, rules=rules, quarter=quarter, scope=Q(unit__path__startswith=unit.path))
    return MandateReport(unit=unit, quarter=quarter, ruleset=ruleset, rows=rows)


def mandate_status(*, unit: AdministrativeUnit, quarter: Period) -> MandateRow | None:
    """The territory's own akim only (the home page): held, scheduled or missing in the rule's
    period around the quarter; None when no rule in force covers its kind. At most five queries."""
    ruleset = mandate_ruleset_active()
    rules = {rule.unit_kind: rule for rule in ruleset.rules.all()} if ruleset else {}
    if unit.kind not in rules:
        return None
    office = (
        AdministrativeUnit.objects.filter(pk=unit.pk)
        .prefetch_related(Prefetch("akims", queryset=akims_current(day=quarter.first_day), to_attr="current_akims"))
        .get()
    )
    rows = _mandate_rows(offices=[office], rules=rules, quarter=quarter, scope=Q(unit__path__startswith=unit.path))
    return rows[0]


def mandate_missing_count(*, user: User, quarter: Period) -> int:
    """How many akims' offices in the territories the user schedules meetings for have no
    reporting meeting held or scheduled in the rule's period (the staff workspace). Four queries
    whatever the number of territories, roles or meetings."""
    ruleset = mandate_ruleset_active()
    if ruleset is None:
        return 0
    rules = {rule.unit_kind: rule for rule in ruleset.rules.all()}
    offices = list(
        AdministrativeUnit.objects.filter(managed_units_q(user, prefix=""), kind__in=rules).only("pk", "kind", "path")
    )
    for office in offices:
        office.current_akims = []
    rows = _mandate_rows(offices=offices, rules=rules, quarter=quarter, scope=managed_units_q(user))
    return sum(1 for row in rows if row.status == MISSING)


def _mandate_rows(
    *, offices: list[AdministrativeUnit], rules: dict[str, MandateRule], quarter: Period, scope: Q
) -> list[MandateRow]:
    """The offices' rows with their targets' statuses (two queries). `offices` carry
    `current_akims`; `scope` narrows the meetings read to where the targets lie."""
    child_kinds = {kind for rule in rules.values() if rule.per_child for kind in rule.child_kinds}
    children: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    if child_kinds and offices:
        for child in AdministrativeUnit.objects.filter(
            parent__in=[office.pk for office in offices], kind__in=child_kinds
        ).order_by("name"):
            children[child.parent_id].append(child)

    rows: list[MandateRow] = []
    for office in offices:
        rule = rules[office.kind]
        row = MandateRow(
            office=office,
            akim=office.current_akims[0] if office.current_akims else None,
            rule=rule,
            period=quarter.containing(rule.period),
        )
        if rule.per_child:
            row.targets = [MandateTarget(unit=child) for child in children[office.pk] if child.kind in rule.child_kinds]
        else:
            row.targets = [MandateTarget(unit=office)]
        rows.append(row)
    if not rows:
        return rows

    start = min(row.period.starts_at for row in rows)
    end = max(row.period.ends_at for row in rows)
    meetings = (
        Meeting.objects.filter(
            scope,
            kind=Meeting.Kind.REPORTING,
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .annotate(office_id=Coalesce("host__unit_id", "unit_id"), unit_path=F("unit__path"))
        .filter(office_id__in=[row.office.pk for row in rows])
        # What the report shows of a meeting: its link, date and status (not its texts).
        .only("pk", "status", "starts_at", "unit_id", "host_id")
        .order_by("starts_at")
    )
    by_office: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_office[meeting.office_id].append(meeting)
    for row in rows:
        for meeting in by_office[row.office.pk]:
            if not row.period.contains(meeting.starts_at):
                continue
            for target in row.targets:
                if meeting.unit_path.startswith(target.unit.path) and target.status != HELD:
                    if meeting.status == Meeting.Status.HELD:
                        target.status, target.meeting = HELD, meeting
                    elif target.status == MISSING:
                        target.status, target.meeting = SCHEDULED, meeting
    return rows


# --- The annual calendar plan ---------------------------------------------------------------


def plan_items(*, unit: AdministrativeUnit, year: int, published_only: bool = True) -> QuerySet[PlanItem]:
    queryset = PlanItem.objects.filter(unit__path__startswith=unit.path, year=year)
    if published_only:
        queryset = queryset.filter(published_at__isnull=False)
    return queryset.select_related("unit", "meeting").order_by("planned_on", "pk")


def plan_item_outcome(item: PlanItem) -> str:
    """How the plan was kept: held, scheduled, cancelled, overdue or planned."""
    meeting = getattr(item, "meeting", None)
    if meeting is not None:
        return meeting.status if meeting.status != Meeting.Status.DRAFT else "planned"
    return "overdue" if item.planned_on < timezone.localdate() else "planned"
