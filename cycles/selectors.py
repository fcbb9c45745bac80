"""Reads of cycles: the figures press releases quote, computed by SQL aggregation.

A cycle page runs a fixed number of queries whatever the data (the cycle, the previous cycle of
the same akim, then one GROUP BY each over meetings, questions, distinct askers, and action
plans per cycle): nothing is read row by row.

How our outcomes map to the groups akimats report (the page and the README say the same):

    satisfied       ← answered with the outcome "resolved"
    explained       ← answered with the outcome "explained"
    needing time    ← answered with the outcome "planned: needs more time" (budget, works)

Questions forwarded to another body and those not answered yet are shown beside the three
groups, never folded into them. The base of the three shares is the questions needing action
(received minus answered on the spot), as akimats count them.

How long answers took counts from the moment a question arrived to its answer: at once (on the
spot), within a month (31 days), within half a year (183 days), within a year (365 days), and
a year or more; questions not answered yet (open or forwarded) are a bucket of their own, so the
buckets add up to the questions received.
"""

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from cycles.permissions import managed_cycles_q
from meetings.models import Meeting
from questions.models import Question
from reports.models import ActionItem, ActionPlan
from reports.selectors import COUNTED_STATUSES, Rate

QS = Question.Status
MONTH, HALF_YEAR, YEAR = timedelta(days=31), timedelta(days=183), timedelta(days=365)

# The columns summed from row to total (everything but the names and the distinct askers,
# which are counted once over the whole cycle: one person may ask in two districts).
_SUMMED = (
    "meetings",
    "held",
    "cancelled",
    "attendance",
    "received",
    "on_the_spot",
    "satisfied",
    "explained",
    "needing_time",
    "forwarded",
    "month",
    "half_year",
    "year",
    "longer",
    "plans",
    "items",
    "items_done",
)


@dataclass
class Figures:
    """The figures of a cycle or of one territory in it."""

    unit_id: int | None = None
    slug: str = ""
    names: dict = field(default_factory=dict)
    meetings: int = 0
    held: int = 0
    cancelled: int = 0
    attendance: int = 0
    received: int = 0
    askers: int = 0
    on_the_spot: int = 0
    satisfied: int = 0
    explained: int = 0
    needing_time: int = 0
    forwarded: int = 0
    month: int = 0
    half_year: int = 0
    year: int = 0
    longer: int = 0
    plans: int = 0
    items: int = 0
    items_done: int = 0
    budget: Decimal = Decimal("0.00")

    @property
    def name(self) -> str:
        return self.names.get((get_language() or "kk")[:2]) or self.names.get("kk", "")

    @property
    def planned(self) -> int:
        """Meetings planned and not cancelled."""
        return self.meetings - self.cancelled

    @property
    def needing_action(self) -> int:
        return self.received - self.on_the_spot

    @property
    def answered_later(self) -> int:
        return self.satisfied + self.explained + self.needing_time

    @property
    def not_answered(self) -> int:
        """Open or forwarded: no answer of the akimat yet."""
        return self.needing_action - self.answered_later

    @property
    def still_open(self) -> int:
        return self.not_answered - self.forwarded

    @property
    def held_rate(self) -> Rate:
        return Rate(self.held, self.planned)

    @property
    def on_the_spot_rate(self) -> Rate:
        return Rate(self.on_the_spot, self.received)

    @property
    def needing_action_rate(self) -> Rate:
        return Rate(self.needing_action, self.received)

    def _of_action(self, count: int) -> Rate:
        return Rate(count, self.needing_action)

    @property
    def outcome_rows(self) -> list[dict]:
        """The akimats' three groups, then what is not in them; shares of the questions needing action."""
        rows = [
            ("satisfied", pgettext_lazy("akimat group", "satisfied"), _("answered as “resolved”"), self.satisfied),
            ("explained", pgettext_lazy("akimat group", "explained"), _("answered as “explained”"), self.explained),
            (
                "needing_time",
                pgettext_lazy("akimat group", "needing time"),
                _("answered as “planned: needs more time”"),
                self.needing_time,
            ),
            ("forwarded", _("forwarded to another body"), "", self.forwarded),
            ("open", _("not answered yet"), "", self.still_open),
        ]
        return [
            {"key": key, "label": label, "source": source, "count": count, "rate": self._of_action(count)}
            for key, label, source, count in rows
        ]

    @property
    def time_rows(self) -> list[dict]:
        """How long the answers took; shares of the questions received."""
        rows = [
            ("at_once", _("at once, on the spot"), self.on_the_spot),
            ("month", _("within a month"), self.month),
            ("half_year", _("within half a year"), self.half_year),
            ("year", _("within a year"), self.year),
            ("longer", _("a year or more"), self.longer),
            ("unanswered", _("not answered yet"), self.not_answered),
        ]
        return [
            {"key": key, "label": label, "count": count, "rate": Rate(count, self.received)}
            for key, label, count in rows
        ]

    @property
    def chart_rows(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for the SVG chart of the questions (reports' bar_chart tag)."""
        return [
            ("spot", _("answered on the spot"), self.on_the_spot),
            ("resolved", pgettext_lazy("akimat group", "satisfied"), self.satisfied),
            ("explained", pgettext_lazy("akimat group", "explained"), self.explained),
            ("planned", pgettext_lazy("akimat group", "needing time"), self.needing_time),
            ("forwarded", _("forwarded"), self.forwarded),
            ("open", _("not answered yet"), self.still_open),
        ]


@dataclass
class Change:
    key: str
    label: str
    now: int
    before: int

    @property
    def delta(self) -> int:
        return self.now - self.before

    @property
    def magnitude(self) -> int:
        return abs(self.delta)


@dataclass
class CycleFigures:
    cycle: Cycle
    as_of: datetime
    total: Figures
    territories: list[Figures]
    previous: Cycle | None = None
    previous_total: Figures | None = None

    @property
    def changes(self) -> list[Change]:
        if self.previous_total is None:
            return []
        rows = [
            ("held", _("Meetings held"), "held"),
            ("attendance", _("Residents who came"), "attendance"),
            ("received", _("Questions"), "received"),
            ("askers", _("People who asked"), "askers"),
            ("on_the_spot", _("Answered on the spot"), "on_the_spot"),
            ("needing_action", _("Needing action"), "needing_action"),
        ]
        return [
            Change(key, label, getattr(self.total, attr), getattr(self.previous_total, attr))
            for key, label, attr in rows
        ]


def _row(rows: dict, values: dict, prefix: str) -> Figures:
    unit_id = values[f"{prefix}id"]
    if unit_id not in rows:
        kk, ru = values[f"{prefix}name_kk"], values[f"{prefix}name_ru"]
        rows[unit_id] = Figures(unit_id=unit_id, slug=values[f"{prefix}slug"], names={"kk": kk or ru, "ru": ru or kk})
    return rows[unit_id]


def _unit_values(prefix: str) -> list[str]:
    return [f"{prefix}id", f"{prefix}name_kk", f"{prefix}name_ru", f"{prefix}slug", f"{prefix}path"]


def _asker_key():
    """Who asked, as one value: the contact, else the name (only counted, never shown)."""
    return Coalesce(NullIf("contact_email", Value("")), NullIf("contact_phone", Value("")), "author_name")


def _answered_later(**extra) -> Q:
    return Q(status=QS.ANSWERED, answered_at_meeting__isnull=True, **extra)


def _question_aggregates() -> dict:
    """The conditional counts over questions, shared by a cycle's GROUP BY and a meeting's."""
    arrived = F("created_at")
    return {
        "received": Count("pk"),
        "askers": Count(_asker_key(), distinct=True),
        "on_the_spot": Count("pk", filter=Q(status=QS.ANSWERED, answered_at_meeting__isnull=False)),
        "satisfied": Count("pk", filter=_answered_later(outcome=Question.Outcome.RESOLVED)),
        "explained": Count("pk", filter=_answered_later(outcome=Question.Outcome.EXPLAINED)),
        "needing_time": Count("pk", filter=_answered_later(outcome=Question.Outcome.PLANNED)),
        "forwarded": Count("pk", filter=Q(status=QS.FORWARDED)),
        "month": Count("pk", filter=_answered_later() & Q(answered_at__lte=arrived + MONTH)),
        "half_year": Count(
            "pk", filter=_answered_later() & Q(answered_at__gt=arrived + MONTH, answered_at__lte=arrived + HALF_YEAR)
        ),
        "year": Count(
            "pk", filter=_answered_later() & Q(answered_at__gt=arrived + HALF_YEAR, answered_at__lte=arrived + YEAR)
        ),
        "longer": Count("pk", filter=_answered_later() & Q(answered_at__gt=arrived + YEAR)),
    }


_QUESTION_FIGURES = tuple(_question_aggregates())


def _figures_of(cycle_ids: list[int]) -> tuple[dict[int, dict[int, Figures]], dict[int, int]]:
    """Per cycle, per territory: the figures (four queries for any number of cycles and data)."""
    per_cycle: dict[int, dict[int, Figures]] = {cycle_id: {} for cycle_id in cycle_ids}
    meetings = (
        Meeting.objects.filter(cycle_link__cycle_id__in=cycle_ids)
        .values("cycle_link__cycle_id", *_unit_values("unit__"))
        .annotate(
            meetings=Count("pk"),
            held=Count("pk", filter=Q(status=Meeting.Status.HELD)),
            cancelled=Count("pk", filter=Q(status=Meeting.Status.CANCELLED)),
            attendance=Coalesce(Sum("attendance", filter=Q(status=Meeting.Status.HELD)), 0),
        )
        .order_by()
    )
    for values in meetings:
        row = _row(per_cycle[values["cycle_link__cycle_id"]], values, "unit__")
        for name in ("meetings", "held", "cancelled", "attendance"):
            setattr(row, name, values[name])

    questions = (
        Question.objects.filter(meeting__cycle_link__cycle_id__in=cycle_ids, status__in=COUNTED_STATUSES)
        .values("meeting__cycle_link__cycle_id", *_unit_values("meeting__unit__"))
        .annotate(**_question_aggregates())
        .order_by()
    )
    for values in questions:
        row = _row(per_cycle[values["meeting__cycle_link__cycle_id"]], values, "meeting__unit__")
        for name in _QUESTION_FIGURES:
            setattr(row, name, values[name])

    askers = dict(
        Question.objects.filter(meeting__cycle_link__cycle_id__in=cycle_ids, status__in=COUNTED_STATUSES)
        .values("meeting__cycle_link__cycle_id")
        .annotate(askers=Count(_asker_key(), distinct=True))
        .order_by()
        .values_list("meeting__cycle_link__cycle_id", "askers")
    )

    # A plan counts once per cycle even when it names several of the cycle's meetings as its
    # sources (a city plan drawn from every district's meeting): the distinct (plan, cycle)
    # pairs first, then the items summed per plan, joined here; two queries for any data.
    pairs = (
        ActionPlan.source_meetings.through.objects.filter(meeting__cycle_link__cycle_id__in=cycle_ids)
        .values_list("actionplan_id", "meeting__cycle_link__cycle_id")
        .distinct()
        .order_by()
    )
    cycles_of_plan: dict[int, set[int]] = {}
    for plan_id, cycle_id in pairs:
        cycles_of_plan.setdefault(plan_id, set()).add(cycle_id)
    plans = (
        ActionPlan.objects.filter(pk__in=list(cycles_of_plan))
        .values("pk", *_unit_values("unit__"))
        .annotate(
            n_items=Count("items"),
            n_done=Count("items", filter=Q(items__status=ActionItem.Status.DONE)),
            n_budget=Sum("items__budget"),
        )
        .order_by()
    )
    for values in plans:
        for cycle_id in cycles_of_plan[values["pk"]]:
            row = _row(per_cycle[cycle_id], values, "unit__")
            row.plans += 1
            row.items += values["n_items"]
            row.items_done += values["n_done"]
            row.budget += Decimal(str(values["n_budget"] or 0)).quantize(Decimal("0.01"))
    return per_cycle, askers


def _total(rows: list[Figures], askers: int) -> Figures:
    total = Figures(askers=askers)
    for row in rows:
        for name in _SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.budget += row.budget
    return total


def previous_cycle(*, cycle: Cycle) -> Cycle | None:
    """The same akim's cycle before this one (the same territory's when the akim is not named)."""
    same = Q(host_id=cycle.host_id) if cycle.host_id else Q(unit_id=cycle.unit_id, host__isnull=True)
    return (
        Cycle.objects.filter(same, starts_on__lt=cycle.starts_on)
        .exclude(pk=cycle.pk)
        .order_by("-starts_on", "-pk")
        .first()
    )


def cycle_figures(*, cycle: Cycle, with_previous: bool = True) -> CycleFigures:
    """The cycle's figures as of now, and its predecessor's for comparison."""
    previous = previous_cycle(cycle=cycle) if with_previous else None
    ids = [cycle.pk] + ([previous.pk] if previous else [])
    per_cycle, askers = _figures_of(ids)
    rows = sorted(per_cycle[cycle.pk].values(), key=lambda row: row.name)
    result = CycleFigures(
        cycle=cycle, as_of=timezone.localtime(), total=_total(rows, askers.get(cycle.pk, 0)), territories=rows
    )
    if previous is not None:
        result.previous = previous
        result.previous_total = _total(list(per_cycle[previous.pk].values()), askers.get(previous.pk, 0))
    return result


def figures_for_cycles(*, cycles: list[Cycle]) -> dict[int, Figures]:
    """The totals of many cycles at once (open data, the API list): a fixed number of queries."""
    per_cycle, askers = _figures_of([cycle.pk for cycle in cycles])
    return {cycle_id: _total(list(rows.values()), askers.get(cycle_id, 0)) for cycle_id, rows in per_cycle.items()}


def cycles_public() -> QuerySet[Cycle]:
    return Cycle.objects.select_related("unit", "host", "programme").order_by("-starts_on", "-pk")


def cycle_public_detail(*, slug: str) -> Cycle:
    return cycles_public().get(slug=slug)


def cycles_for_staff(*, user) -> QuerySet[Cycle]:
    return cycles_public().filter(managed_cycles_q(user))


def figure_names() -> list[str]:
    return [f.name for f in fields(Figures) if f.name not in ("unit_id", "slug", "names")]


def meeting_press_figures(*, meeting: Meeting) -> Figures:
    """One meeting's figures in the cycle's terms, for its press-release draft (three queries)."""
    figures = Figures(meetings=1, held=int(meeting.status == Meeting.Status.HELD))
    figures.cancelled = int(meeting.status == Meeting.Status.CANCELLED)
    figures.attendance = meeting.attendance or 0
    counts = Question.objects.filter(meeting=meeting, status__in=COUNTED_STATUSES).aggregate(**_question_aggregates())
    for name in _QUESTION_FIGURES:
        setattr(figures, name, counts[name] or 0)
    plans = ActionPlan.objects.filter(source_meetings=meeting).values("pk")
    items = ActionItem.objects.filter(plan__in=plans).aggregate(
        plans=Count("plan", distinct=True),
        items=Count("pk"),
        done=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
        budget=Sum("budget"),
    )
    figures.plans, figures.items, figures.items_done = items["plans"], items["items"], items["done"]
    figures.budget = Decimal(str(items["budget"] or 0)).quantize(Decimal("0.01"))
    return figures


# --- Programmes -------------------------------------------------------------------------------


@dataclass
class AreaResults:
    """One area of a programme: its needs (cycle 1), its works (cycle 2) and where they stand."""

    unit_id: int
    slug: str = ""
    names: dict = field(default_factory=dict)
    needs: int = 0
    needs_answered: int = 0
    projects: int = 0
    funded: int = 0
    budget: Decimal = Decimal("0.00")
    done: int = 0
    in_progress: int = 0
    moved: int = 0
    dropped: int = 0

    @property
    def name(self) -> str:
        return self.names.get((get_language() or "kk")[:2]) or self.names.get("kk", "")

    @property
    def done_rate(self) -> Rate:
        return Rate(self.done, self.projects)

    @property
    def budget_millions(self) -> int:
        """As a headline gives it: 698 457 000 ₸ → 698 (million)."""
        return int((self.budget / 1_000_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class ProgrammeResults:
    programme: object
    as_of: datetime
    cycles: list
    areas: list[AreaResults]
    total: AreaResults


def programme_results(*, programme) -> ProgrammeResults:
    """Needs per area from the questions of cycle 1; the works of cycle 2 are the items of the
    action plans drawn from its meetings, per plan territory: done, in progress, moved (planned,
    not started: carried to a later date) or dropped (cancelled). Four queries."""
    cycles = list(programme.cycles.order_by("number", "starts_on"))
    areas: dict[int, AreaResults] = {}

    def area(values: dict, prefix: str) -> AreaResults:
        unit_id = values[f"{prefix}id"]
        if unit_id not in areas:
            kk, ru = values[f"{prefix}name_kk"], values[f"{prefix}name_ru"]
            areas[unit_id] = AreaResults(
                unit_id=unit_id, slug=values[f"{prefix}slug"], names={"kk": kk or ru, "ru": ru or kk}
            )
        return areas[unit_id]

    needs = (
        Question.objects.filter(
            meeting__cycle_link__cycle__programme=programme,
            meeting__cycle_link__cycle__kind=Cycle.Kind.PROGRAMME_1,
            status__in=COUNTED_STATUSES,
        )
        .values(*_unit_values("meeting__unit__"))
        .annotate(needs=Count("pk"), answered=Count("pk", filter=Q(status=QS.ANSWERED)))
        .order_by()
    )
    for values in needs:
        row = area(values, "meeting__unit__")
        row.needs, row.needs_answered = values["needs"], values["answered"]
    plans = ActionPlan.objects.filter(
        source_meetings__cycle_link__cycle__programme=programme,
        source_meetings__cycle_link__cycle__kind=Cycle.Kind.PROGRAMME_2,
    ).values("pk")
    S = ActionItem.Status
    works = (
        ActionItem.objects.filter(plan__in=plans)
        .values(*_unit_values("plan__unit__"))
        .annotate(
            projects=Count("pk"),
            funded=Count("pk", filter=Q(budget__gt=0)),
            budget_sum=Sum("budget"),
            done=Count("pk", filter=Q(status=S.DONE)),
            in_progress=Count("pk", filter=Q(status=S.IN_PROGRESS)),
            moved=Count("pk", filter=Q(status=S.PLANNED)),
            dropped=Count("pk", filter=Q(status=S.CANCELLED)),
        )
        .order_by()
    )
    for values in works:
        row = area(values, "plan__unit__")
        for name in ("projects", "funded", "done", "in_progress", "moved", "dropped"):
            setattr(row, name, values[name])
        row.budget = Decimal(str(values["budget_sum"] or 0)).quantize(Decimal("0.01"))
    rows = sorted(areas.values(), key=lambda row: row.name)
    total = AreaResults(unit_id=0)
    for row in rows:
        for name in ("needs", "needs_answered", "projects", "funded", "done", "in_progress", "moved", "dropped"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.budget += row.budget
    return ProgrammeResults(programme=programme, as_of=timezone.localtime(), cycles=cycles, areas=rows, total=total)
