"""The portal's URLs and /bench/bare/: the baseline for throughput.

The bare page is what Django costs with nothing of ours: one query for 20 rows of a table,
rendered by a minimal template, no middleware work beyond the project's own stack.
"""

from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from districts.models import AdministrativeUnit


def bare_view(request):
    rows = AdministrativeUnit.objects.order_by("pk").only("pk", "name", "kind")[:20]
    return render(request, "bench/bare.html", {"rows": rows})


urlpatterns = [path("bench/bare/", bare_view), *portal_urlpatterns]
handler500 = "core.views.server_error_view"
