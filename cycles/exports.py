"""The `cycles` open-data dataset: one row per cycle with its figures as of today.

The columns are a published contract (README, API schema): add new ones at the end, never
rename or reorder. Only counts leave here: no question text, no author, no contact.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle
from cycles.selectors import cycles_public, figures_for_cycles
from reports.exports import Column, Dataset, _territory_columns, _url


def _rows(unit, period) -> Iterable:
    queryset = cycles_public()
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if period is not None:
        queryset = queryset.filter(starts_on__gte=period.first_day, starts_on__lt=period.next_first_day)
    cycles = list(queryset.order_by("starts_on", "pk")[: settings.REPORTS_EXPORT_MAX_ROWS])
    figures = figures_for_cycles(cycles=cycles)
    today = timezone.localdate()
    return [(cycle, figures[cycle.pk], today) for cycle in cycles]


def _figure(name: str):
    return lambda row: getattr(row[1], name)


COLUMNS = [
    Column("id", _("Cycle id."), lambda r: r[0].pk),
    Column("url", _("Cycle page."), lambda r: _url(r[0].get_absolute_url())),
    *_territory_columns("0.unit"),
    Column("kind", _("Kind of cycle."), lambda r: r[0].kind, Cycle.Kind.values),
    Column("number", _("The cycle's number in its year or programme."), lambda r: r[0].number),
    Column("title_kk", _("Title in Kazakh."), lambda r: r[0].title_kk),
    Column("title_ru", _("Title in Russian."), lambda r: r[0].title_ru),
    Column("starts_on", _("First day of the cycle."), lambda r: r[0].starts_on.isoformat()),
    Column("ends_on", _("Last day of the cycle."), lambda r: r[0].ends_on.isoformat()),
    Column("host_akim", _("The akim who hosts it."), lambda r: r[0].host.full_name if r[0].host else ""),
    Column("as_of", _("Date the figures were computed."), lambda r: r[2].isoformat()),
    Column("meetings_planned", _("Meetings planned, not cancelled."), _figure("planned")),
    Column("meetings_held", _("Meetings held."), _figure("held")),
    Column("meetings_cancelled", _("Meetings cancelled."), _figure("cancelled")),
    Column("attendance", _("Residents who came (held meetings)."), _figure("attendance")),
    Column("received", _("Questions received (registered, not rejected)."), _figure("received")),
    Column("people_who_asked", _("Distinct people who asked, each counted once."), _figure("askers")),
    Column("answered_on_the_spot", _("Answered at the meeting itself."), _figure("on_the_spot")),
    Column("needing_action", _("Received minus answered on the spot."), _figure("needing_action")),
    Column("satisfied", _("Of those needing action: answered as resolved."), _figure("satisfied")),
    Column("explained", _("Of those needing action: explained."), _figure("explained")),
    Column("needing_time", _("Of those needing action: planned (needs more time)."), _figure("needing_time")),
    Column("forwarded", _("Of those needing action: forwarded to another body."), _figure("forwarded")),
    Column("still_open", _("Of those needing action: not answered yet."), _figure("still_open")),
    Column("answered_within_month", _("Answered later, within 31 days of arriving."), _figure("month")),
    Column("answered_within_half_year", _("Answered later, within 32 to 183 days."), _figure("half_year")),
    Column("answered_within_year", _("Answered later, within 184 to 365 days."), _figure("year")),
    Column("answered_after_year", _("Answered after more than 365 days."), _figure("longer")),
    Column("action_plans", _("Action plans drawn from the cycle's meetings."), _figure("plans")),
    Column("action_items", _("Items of those plans."), _figure("items")),
    Column("action_items_done", _("Items done."), _figure("items_done")),
    Column("budget_kzt", _("Budget of those items in tenge (two decimals)."), _figure("budget")),
]

DATASET = Dataset("cycles", _("Meeting cycles"), COLUMNS, _rows)
