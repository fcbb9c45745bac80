from django.db.models import QuerySet

from accounts.models import StaffRole, User


def staff_roles_of(*, user: User) -> QuerySet[StaffRole]:
    return StaffRole.objects.filter(user=user).select_related("unit", "department").order_by("unit__path")
