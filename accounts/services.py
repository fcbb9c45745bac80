from django.db import transaction

from accounts.models import StaffRole, User
from accounts.permissions import forget_roles
from districts.models import AdministrativeUnit, Department


@transaction.atomic
def staff_role_grant(
    *, user: User, unit: AdministrativeUnit, role: str, department: Department | None = None
) -> StaffRole:
    staff_role = StaffRole(user=user, unit=unit, role=role, department=department)
    staff_role.full_clean()
    staff_role.save()
    forget_roles(user)
    return staff_role
