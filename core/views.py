from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from core.tasks import HEARTBEAT_CACHE_KEY
from districts.selectors import units_top_level


def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"units": units_top_level()})


@never_cache
def healthz_view(request: HttpRequest) -> JsonResponse:
    """For the proxy and compose healthchecks: the database answers; when the worker last beat."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"database": "ok", "worker_heartbeat": cache.get(HEARTBEAT_CACHE_KEY)})
