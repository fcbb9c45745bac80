from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from rest_framework import exceptions

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
    are rendered without context processors: nothing here may touch the database. Under /api/
    the answer is the API's error body.
    """
    import sys

    from django.db import DatabaseError
    from django.template.loader import render_to_string

    exception = sys.exc_info()[1]
    if isinstance(exception, DatabaseError) and is_connection_problem(exception):
        if _is_api(request):
            message = f"{gettext('Temporarily unavailable')}. {gettext(UNAVAILABLE)}"
            return api_error(message, status=503, headers={"Retry-After": "30"})
        body = render_to_string("503.html")
        return HttpResponse(body, status=503, headers={"Retry-After": "30"})
    if _is_api(request):
        return api_error(SERVER_ERROR, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


# --- Errors under /api/: JSON in the API's one error shape, in the request's language -----------

SERVER_ERROR = _("Something went wrong. This is our error, not yours, and it has been logged. Please try again later.")
UNAVAILABLE = _(
    "The portal cannot reach its database for a moment. Nothing you sent was half-saved: please try again in a minute."
)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error(message, *, status: int, headers: dict | None = None) -> JsonResponse:
    """{"message": …, "errors": {}}, as core.api.exception_handler answers inside DRF views."""
    body = {"message": str(message), "errors": {}}
    return JsonResponse(body, status=status, headers=headers, json_dumps_params={"ensure_ascii": False})


def page_not_found_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an unknown URL under /api/ answers the error body; pages keep Django's."""
    if _is_api(request):
        return api_error(exceptions.NotFound.default_detail, status=404)
    return defaults.page_not_found(request, exception)


def bad_request_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return api_error(exceptions.ParseError.default_detail, status=400)
    return defaults.bad_request(request, exception)


def permission_denied_view(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return api_error(exceptions.PermissionDenied.default_detail, status=403)
    return defaults.permission_denied(request, exception)


def is_connection_problem(exception: Exception) -> bool:
    from django.db import DatabaseError, InterfaceError, OperationalError, connection

    # An OperationalError is also what PostgreSQL raises for a lock timeout or a serialisation
    # failure; all of them mean "try again shortly", which is what a 503 says.
    seen = exception
    while seen is not None:
        if isinstance(seen, OperationalError | InterfaceError):
            return True
        seen = seen.__cause__ or seen.__context__
    # A lost connection can also surface as another DatabaseError: psycopg2's "no message from
    # the libpq", or Django's "can't execute queries until the end of the 'atomic' block" after
    # something caught the first error. With the connection gone it is still an outage. (The
    # driver's `closed` flag is read, not a query sent.)
    raw = getattr(connection, "connection", None)
    return isinstance(exception, DatabaseError) and (raw is None or bool(getattr(raw, "closed", 0)))
