"""This app's API routes, mounted under /api/v1/ by config/urls.py."""

from django.urls import path

from meetings import api

urlpatterns = [
    path("meetings/", api.MeetingListAPI.as_view(), name="api-meeting-list"),
    path("meetings/<int:pk>/", api.MeetingDetailAPI.as_view(), name="api-meeting-detail"),
    path("meetings/<int:pk>/registrations/", api.MeetingRegisterAPI.as_view(), name="api-meeting-register"),
    path("mandate/", api.MandateAPI.as_view(), name="api-mandate"),
    path("staff/meetings/", api.StaffMeetingListAPI.as_view(), name="api-staff-meeting-list"),
    path("staff/meetings/<int:pk>/", api.StaffMeetingDetailAPI.as_view(), name="api-staff-meeting-detail"),
    path("staff/meetings/<int:pk>/reschedule/", api.StaffMeetingRescheduleAPI.as_view(), name="api-staff-reschedule"),
    path("staff/meetings/<int:pk>/cancel/", api.StaffMeetingCancelAPI.as_view(), name="api-staff-cancel"),
    path("staff/meetings/<int:pk>/mark-held/", api.StaffMeetingMarkHeldAPI.as_view(), name="api-staff-mark-held"),
    path(
        "staff/meetings/<int:pk>/registrations/",
        api.StaffRegistrationListAPI.as_view(),
        name="api-staff-registrations",
    ),
]
