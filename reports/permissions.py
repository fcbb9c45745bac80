"""Who may write reports and keep action plans, built on the one policy in accounts/permissions.py.

Reading is public (published reports, plans, items and open data). Writing belongs to the
akimat's own staff, inside the territory subtree their role covers.
"""

from django.db.models import Q

from accounts.models import StaffRole, User
from accounts.permissions import covered_units_q, covers
from districts.models import AdministrativeUnit

REPORT_ROLES = [StaffRole.Role.AKIMAT_STAFF]


def can_manage_reports(user: User, unit: AdministrativeUnit) -> bool:
    """Write, publish and unpublish reports, and keep action plans, for this territory."""
    return covers(user, unit, roles=REPORT_ROLES)


def managed_q(user: User, *, prefix: str = "unit__") -> Q:
    """A queryset filter: rows whose territory (reached through `prefix`) the user manages."""
    return covered_units_q(user, prefix=prefix, roles=REPORT_ROLES)


def managed_units(user: User):
    return AdministrativeUnit.objects.filter(managed_q(user, prefix="")).order_by("path")


def is_reports_staff(user: User) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or managed_units(user).exists()
