from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_upcoming_view, name="upcoming"),
    path("past/", views.meeting_past_view, name="past"),
    path("calendar/", views.meeting_calendar_view, name="calendar"),
    path("mandate/", views.mandate_view, name="mandate"),
    path("plan/", views.plan_view, name="plan"),
    path("<int:pk>/", views.meeting_detail_view, name="detail"),
    path("<int:pk>/register/", views.meeting_register_view, name="register"),
    path("<int:pk>.ics", views.meeting_ics_view, name="ics"),
    path("feed/<slug:slug>.ics", views.meeting_feed_view, name="feed"),
    path("registration/<str:token>/", views.registration_manage_view, name="registration"),
    path("slots/<int:pk>/book/", views.reception_slot_book_view, name="book"),
    path("booking/<str:token>/", views.booking_manage_view, name="booking"),
    # Staff workspace
    path("staff/", views.staff_meeting_list_view, name="staff-list"),
    path("staff/new/", views.staff_meeting_create_view, name="staff-create"),
    path("staff/mandate/", views.staff_mandate_view, name="staff-mandate"),
    path("staff/plan/", views.staff_plan_view, name="staff-plan"),
    path("staff/<int:pk>/", views.staff_meeting_detail_view, name="staff-detail"),
    path("staff/<int:pk>/edit/", views.staff_meeting_edit_view, name="staff-edit"),
    path("staff/<int:pk>/publish/", views.staff_meeting_publish_view, name="staff-publish"),
    path("staff/<int:pk>/reschedule/", views.staff_meeting_reschedule_view, name="staff-reschedule"),
    path("staff/<int:pk>/cancel/", views.staff_meeting_cancel_view, name="staff-cancel"),
    path("staff/<int:pk>/held/", views.staff_meeting_held_view, name="staff-held"),
    path("staff/<int:pk>/speakers/", views.staff_speaker_add_view, name="staff-speaker-add"),
    path("staff/<int:pk>/agenda/", views.staff_agenda_add_view, name="staff-agenda-add"),
    path("staff/<int:pk>/slots/", views.staff_slot_add_view, name="staff-slot-add"),
    path("staff/speakers/<int:pk>/remove/", views.staff_speaker_remove_view, name="staff-speaker-remove"),
    path("staff/agenda/<int:pk>/remove/", views.staff_agenda_remove_view, name="staff-agenda-remove"),
    path("staff/<int:pk>/registrations.csv", views.staff_registrations_csv_view, name="staff-registrations-csv"),
    path("staff/<int:pk>/attendance/", views.staff_attendance_sheet_view, name="staff-attendance"),
]
