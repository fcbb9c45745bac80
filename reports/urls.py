from django.urls import path

from reports import views
from reports.feeds import ReportFeed

app_name = "reports"

urlpatterns = [
    path("", views.report_list_view, name="list"),
    path("search/", views.search_view, name="search"),
    path("feed.atom", ReportFeed(), name="feed"),
    path("feed/<slug:slug>.atom", ReportFeed(), name="feed-territory"),
    path("territories/<slug:slug>/", views.scorecard_view, name="scorecard"),
    path("plans/", views.plan_list_view, name="plans"),
    path("plans/<int:pk>/", views.plan_detail_view, name="plan"),
    path("items/<int:pk>/", views.item_detail_view, name="item"),
    path("open-data/", views.open_data_view, name="open-data"),
    path("open-data/<slug:dataset>.<str:fmt>", views.export_view, name="export"),
    # Staff workspace
    path("staff/", views.staff_report_list_view, name="staff-list"),
    path("staff/new/", views.staff_report_create_view, name="staff-create"),
    path("staff/import/", views.staff_import_view, name="staff-import"),
    path("staff/plans/", views.staff_plan_list_view, name="staff-plans"),
    path("staff/plans/<int:pk>/", views.staff_plan_view, name="staff-plan"),
    path("staff/items/<int:pk>/", views.staff_item_view, name="staff-item"),
    path("staff/items/<int:pk>/edit/", views.staff_item_edit_view, name="staff-item-edit"),
    path("staff/items/<int:pk>/progress/", views.staff_item_progress_view, name="staff-item-progress"),
    path("staff/items/<int:pk>/done/", views.staff_item_complete_view, name="staff-item-done"),
    path("staff/items/<int:pk>/cancel/", views.staff_item_cancel_view, name="staff-item-cancel"),
    path("staff/items/<int:pk>/link/", views.staff_item_link_view, name="staff-item-link"),
    path("staff/items/<int:pk>/unlink/<int:question_pk>/", views.staff_item_unlink_view, name="staff-item-unlink"),
    path("staff/<int:pk>/", views.staff_report_edit_view, name="staff-edit"),
    path("staff/<int:pk>/preview/", views.staff_report_preview_view, name="staff-preview"),
    path("staff/<int:pk>/cover/", views.staff_report_cover_view, name="staff-cover"),
    path("staff/<int:pk>/publish/", views.staff_report_publish_view, name="staff-publish"),
    path("staff/<int:pk>/unpublish/", views.staff_report_unpublish_view, name="staff-unpublish"),
    path("<slug:slug>/", views.report_detail_view, name="detail"),
]
