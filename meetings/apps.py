from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from accounts import workspace
        from meetings.workspace import meeting_tools
        from notifications import kinds

        workspace.register(meeting_tools)

        # The confirmation carries the cancellation link: a resident cannot opt out of it.
        kinds.register("meetings.registration_confirmed", _("Registration confirmation"), essential=True)
        kinds.register("meetings.booking_confirmed", _("Reception booking confirmation"), essential=True)
        kinds.register("meetings.reminder", _("Reminders before a meeting"))
        kinds.register("meetings.rescheduled", _("A meeting is moved"), essential=True)
        kinds.register("meetings.cancelled", _("A meeting is cancelled"), essential=True)
        kinds.register("meetings.waitlist_promoted", _("A seat from the waiting list"), essential=True)
        kinds.register("meetings.mandate_nudge", _("Reporting meeting not scheduled"), for_staff=True)
