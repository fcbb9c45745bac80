"""Who may do what with meetings, built on the one policy in accounts/permissions.py."""

from accounts.models import StaffRole, User
from accounts.permissions import covered_units_q, covers
from districts.models import AdministrativeUnit
from meetings.models import Meeting

# Department officers answer questions; scheduling belongs to the akimat's own staff.
MEETING_ROLES = [StaffRole.Role.AKIMAT_STAFF]


def can_manage_meetings(user: User, unit: AdministrativeUnit) -> bool:
    """Schedule, edit, reschedule, cancel, mark held and plan meetings in this territory."""
    return covers(user, unit, roles=MEETING_ROLES)


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    return can_manage_meetings(user, meeting.unit)


def can_see_registrations(user: User, meeting: Meeting) -> bool:
    """Registrants' contacts are personal data: only the meeting's own staff see them."""
    return can_manage_meeting(user, meeting)


def is_meeting_staff(user: User) -> bool:
    """Has a role that opens the meetings workspace at all."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return (
        bool(getattr(user, "is_authenticated", False))
        and AdministrativeUnit.objects.filter(covered_units_q(user, roles=MEETING_ROLES)).exists()
    )


def managed_units_q(user: User, *, prefix: str = "unit__"):
    return covered_units_q(user, prefix=prefix, roles=MEETING_ROLES)
