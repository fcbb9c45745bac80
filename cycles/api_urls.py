"""This app's API routes, mounted under /api/v1/ by config/urls.py."""

from django.urls import path

from cycles import api

urlpatterns = [
    path("cycles/", api.CycleListAPI.as_view(), name="api-cycle-list"),
    path("cycles/<slug:slug>/", api.CycleDetailAPI.as_view(), name="api-cycle-detail"),
]
