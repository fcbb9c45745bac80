"""This app's API routes, mounted under /api/v1/ by config/urls.py."""

from django.urls import path

from core.page_cache import anonymous_page_cache
from reports import api, selectors

urlpatterns = [
    # Anonymous GETs come from the cache until a report or meeting changes (core/page_cache.py).
    path(
        "reports/",
        anonymous_page_cache(
            selectors.report_list_version, reads=[*api.ReportFilterSerializer().fields, "page", "page_size"]
        )(api.ReportListAPI.as_view()),
        name="api-report-list",
    ),
    path("reports/<slug:slug>/", api.ReportDetailAPI.as_view(), name="api-report-detail"),
    path("action-plans/", api.PlanListAPI.as_view(), name="api-plan-list"),
    path("action-items/", api.ItemListAPI.as_view(), name="api-item-list"),
    path("action-items/<int:pk>/", api.ItemDetailAPI.as_view(), name="api-item-detail"),
    path("open-data/<slug:dataset>/", api.OpenDataAPI.as_view(), name="api-open-data"),
    path("staff/reports/", api.StaffReportCreateAPI.as_view(), name="api-staff-report-create"),
    path("staff/reports/<int:pk>/", api.StaffReportDetailAPI.as_view(), name="api-staff-report"),
    path("staff/reports/<int:pk>/publish/", api.StaffReportPublishAPI.as_view(), name="api-staff-report-publish"),
    path("staff/reports/<int:pk>/unpublish/", api.StaffReportUnpublishAPI.as_view(), name="api-staff-report-unpublish"),
    path("staff/action-plans/<int:pk>/items/", api.StaffItemCreateAPI.as_view(), name="api-staff-item-create"),
    path("staff/action-items/<int:pk>/", api.StaffItemDetailAPI.as_view(), name="api-staff-item"),
    path("staff/action-items/<int:pk>/progress/", api.StaffItemProgressAPI.as_view(), name="api-staff-item-progress"),
    path("staff/action-items/<int:pk>/complete/", api.StaffItemCompleteAPI.as_view(), name="api-staff-item-complete"),
    path("staff/action-items/<int:pk>/link-questions/", api.StaffItemLinkAPI.as_view(), name="api-staff-item-link"),
]
