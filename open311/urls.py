from django.urls import path, re_path, register_converter

from open311 import views
from open311.formats import FormatConverter

register_converter(FormatConverter, "open311_format")

app_name = "open311"
urlpatterns = [
    path("v2/", views.discovery_view, {"fmt": "json"}, name="root"),
    path("v2/discovery.<open311_format:fmt>", views.discovery_view, name="discovery"),
    path("v2/services.<open311_format:fmt>", views.services_view, name="services"),
    path("v2/services/<slug:code>.<open311_format:fmt>", views.service_definition_view, name="service"),
    path("v2/requests.<open311_format:fmt>", views.requests_view, name="requests"),
    path("v2/requests/<int:pk>.<open311_format:fmt>", views.request_view, name="request"),
    path("v2/tokens/<str:token>.<open311_format:fmt>", views.token_view, name="token"),
    # Anything else under /open311/ (an unknown method, a format other than json and xml): the
    # spec's error list, not the site's HTML 404 page.
    re_path(r"^", views.unknown_route_view, name="unknown"),
]
