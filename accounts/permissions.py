"""The one permission policy: does this user's role cover this territory?

A role on a unit covers the unit and its whole subtree; a superuser covers everything. Every
app's permissions.py builds its predicates on these functions, and views, the API, the admin
and templates ask those predicates, never anything else.
"""

from collections.abc import Iterable

from django.db.models import Q

from accounts.models import StaffRole, User
from districts.models import AdministrativeUnit

_CACHE_ATTR = "_kezdesu_role_paths"


def _role_paths(user: User, roles: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user, read once per user object (one query)."""
    if not hasattr(user, _CACHE_ATTR):
        pairs = list(StaffRole.objects.filter(user=user).values_list("role", "unit__path"))
        setattr(user, _CACHE_ATTR, pairs)
    pairs = getattr(user, _CACHE_ATTR)
    if roles is not None:
        roles = set(roles)
        pairs = [(role, path) for role, path in pairs if role in roles]
    return pairs


def is_staff_member(user: User) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or bool(_role_paths(user))


def is_administrator(user: User) -> bool:
    """Administrators (superusers) run the site: territories, staff accounts, the audit trail."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def roles_of(user: User) -> set[str]:
    """The kinds of role the user holds anywhere; a superuser holds them all."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(StaffRole.Role.values)
    return {role for role, _path in _role_paths(user)}


def covers(user: User, unit: AdministrativeUnit, *, roles: Iterable[str] | None = None) -> bool:
    """True when one of the user's roles (optionally only of these kinds) covers the unit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(unit.path.startswith(path) for _role, path in _role_paths(user, roles))


def covered_units_q(user: User, *, prefix: str = "", roles: Iterable[str] | None = None) -> Q:
    """A filter for querysets: rows whose territory (reached through `prefix`) the user covers.

    `prefix` is the lookup to the unit, e.g. "unit__" for a meeting. A user with no role
    matches nothing.
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for _role, path in _role_paths(user, roles):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def covered_units(user: User, *, roles: Iterable[str] | None = None):
    return AdministrativeUnit.objects.filter(covered_units_q(user, roles=roles))


def forget_roles(user: User) -> None:
    """Drop the per-object cache after roles change (tests and the admin use it)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
