from django.urls import path

from cycles import views

app_name = "cycles"

urlpatterns = [
    path("", views.cycle_list_view, name="list"),
    path("programmes/<slug:slug>/", views.programme_detail_view, name="programme"),
    path("staff/", views.staff_cycle_list_view, name="staff-list"),
    path("staff/new/", views.staff_cycle_create_view, name="staff-create"),
    path("staff/meeting/<int:pk>/press-release/", views.staff_meeting_press_view, name="staff-meeting-press"),
    path("staff/<slug:slug>/press-release/", views.staff_cycle_press_view, name="staff-press"),
    path("staff/<slug:slug>/", views.staff_cycle_detail_view, name="staff-detail"),
    path(
        "staff/<slug:slug>/meetings/<int:meeting_pk>/remove/",
        views.staff_cycle_meeting_remove_view,
        name="staff-meeting-remove",
    ),
    path("<slug:slug>/", views.cycle_detail_view, name="detail"),
]
