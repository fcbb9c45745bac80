"""What the meetings app puts on the staff workspace's front page (accounts.workspace)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.workspace import Figure, Link, Tool
from meetings import selectors
from meetings.periods import current_quarter
from meetings.permissions import is_meeting_staff


def meeting_tools(user: User) -> list[Tool]:
    """Scheduling belongs to the akimat's own staff: officers and moderators see none of it."""
    if not is_meeting_staff(user):
        return []
    counts = selectors.meetings_workspace_counts(user=user)
    quarter = current_quarter()
    staff_list = reverse("meetings:staff-list")
    return [
        Tool(
            title=_("Meetings"),
            url=staff_list,
            description=_("Schedule, announce, reschedule and cancel meetings; mark them held with the attendance."),
            figures=(
                Figure(_("This week"), counts["this_week"]),
                Figure(_("Drafts"), counts["drafts"], url=f"{staff_list}?status=draft"),
                Figure(_("Started, not marked held"), counts["to_mark_held"], alert=True),
            ),
            links=(Link(_("Schedule a meeting"), reverse("meetings:staff-create")),),
            position=20,
        ),
        Tool(
            title=_("Reporting duty"),
            url=reverse("meetings:staff-mandate"),
            description=_("Which akims have not held or scheduled their reporting meeting."),
            figures=(
                Figure(
                    _("Missing in %(period)s") % {"period": quarter.label},
                    selectors.mandate_missing_count(user=user, quarter=quarter),
                    alert=True,
                ),
            ),
            position=30,
        ),
        Tool(
            title=_("Annual plan"),
            url=reverse("meetings:staff-plan"),
            description=_("The calendar of meetings, published by 15 January, and how it was kept."),
            position=40,
        ),
    ]
