from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from core.tasks import HEARTBEAT_CACHE_KEY


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
