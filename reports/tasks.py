from celery import shared_task
from django.utils import timezone

from districts.models import AdministrativeUnit
from meetings.periods import period_of
from reports import selectors


@shared_task(name="reports.refresh_scorecards")
def refresh_scorecards() -> int:
    """Recompute this year's scorecards of the regions and cities of republican significance.

    Theirs are the costly ones (each compares with every other top-level territory); served
    from the cache while younger than REPORTS_SCORECARD_STALE_SECONDS, they are kept fresher
    than that by this job, so a reader never waits for one.
    """
    period = period_of(timezone.localdate(), "year")
    return selectors.scorecards_refresh(units=AdministrativeUnit.objects.top_level(), period=period)
