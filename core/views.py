from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from core.tasks import HEARTBEAT_CACHE_KEY
from districts.models import AdministrativeUnit
from districts.selectors import units_top_level
from meetings.forms import TerritoryPickForm, public_territories
from meetings.periods import current_quarter
from meetings.selectors import mandate_status, meetings_upcoming
from meetings.views import MY_TERRITORY
from reports.selectors import reports_public

HOME_MEETINGS = 3
HOME_REPORTS = 3


def home_view(request: HttpRequest) -> HttpResponse:
    """Where a resident starts: the next meetings near "my district" (the territory the meetings
    list remembers), a way to ask, the latest reports and the akim's reporting duty there. With
    no territory remembered: the whole country, and a way to choose one. A fixed number of
    queries whatever the data."""
    form, unit = _home_territory(request)
    quarter = current_quarter()
    ask_url = reverse("questions:ask") + (f"?unit={unit.slug}" if unit else "")
    context = {
        "unit": unit,
        "territory_form": form,
        "meetings": list(meetings_upcoming(unit=unit)[:HOME_MEETINGS]),
        "reports": list(reports_public(unit=unit)[:HOME_REPORTS]),
        "mandate": mandate_status(unit=unit, quarter=quarter) if unit else None,
        "quarter": quarter,
        "units": [] if unit else units_top_level(),
        "ask_url": ask_url,
    }
    return render(request, "core/home.html", context, status=400 if form.errors else 200)


def _home_territory(request: HttpRequest) -> tuple[TerritoryPickForm, AdministrativeUnit | None]:
    """The remembered territory; choosing one here remembers it, an empty choice forgets it,
    and a territory that does not exist changes nothing (the form says why)."""
    slug = request.session.get(MY_TERRITORY)
    unit = public_territories().filter(slug=slug).first() if slug else None
    if "territory" not in request.GET:
        return TerritoryPickForm(initial={"territory": unit}), unit
    if not request.GET["territory"]:
        if MY_TERRITORY in request.session:
            del request.session[MY_TERRITORY]
        return TerritoryPickForm(), None
    form = TerritoryPickForm(request.GET)
    if not form.is_valid():
        return form, unit
    unit = form.cleaned_data["territory"]
    if request.session.get(MY_TERRITORY) != unit.slug:
        request.session[MY_TERRITORY] = unit.slug
    return form, unit


@never_cache
def healthz_view(request: HttpRequest) -> JsonResponse:
    """For the proxy and compose healthchecks: the database answers; when the worker last beat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"database": "ok", "worker_heartbeat": cache.get(HEARTBEAT_CACHE_KEY)})


def server_error_view(request: HttpRequest) -> HttpResponse:
    """handler500. A lost database is not a bug but an outage: answer 503 with Retry-After.

    Django calls this inside its `except` block, so the exception is still at hand. The pages
    are rendered without context processors: nothing here may touch the database.
    """
    import sys

    from django.db import DatabaseError
    from django.template.loader import render_to_string

    exception = sys.exc_info()[1]
    if isinstance(exception, DatabaseError) and _is_connection_problem(exception):
        body = render_to_string("503.html")
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    return HttpResponse(render_to_string("500.html"), status=500)


def _is_connection_problem(exception: Exception) -> bool:
    from django.db import InterfaceError, OperationalError

    # An OperationalError is also what PostgreSQL raises for a lock timeout or a serialisation
    # failure; all of them mean "try again shortly", which is what a 503 says.
    return isinstance(exception, OperationalError | InterfaceError)
