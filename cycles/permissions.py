"""Who may create and change cycles: whoever manages meetings in the cycle's territory.

A cycle is a group of meetings, so the rule is the meetings' rule (meetings/permissions.py), built
on the one policy in accounts/permissions.py. Reading a cycle's page is public.
"""

from accounts.models import User
from cycles.models import Cycle
from districts.models import AdministrativeUnit
from meetings.permissions import can_manage_meetings, is_meeting_staff, managed_units_q


def can_manage_cycles(user: User, unit: AdministrativeUnit) -> bool:
    return can_manage_meetings(user, unit)


def can_manage_cycle(user: User, cycle: Cycle) -> bool:
    return can_manage_cycles(user, cycle.unit)


def is_cycle_staff(user: User) -> bool:
    return is_meeting_staff(user)


def managed_cycles_q(user: User):
    return managed_units_q(user, prefix="unit__")
