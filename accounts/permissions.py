"""The one permission policy: does this user's role cover this territory?

A role on a unit covers the unit and its whole subtree; a superuser covers everything. Every
app's permissions.py builds its predicates on these functions, and views, the API, the admin
and templates ask those predicates, never anything else.
"""

from collections.abc import Iterable

from django.db.models import Q

from accounts.models import StaffRole, User
from districts.models import AdministrativeUnit

_CACHE_ATTR = "_kezdesu_roles"
_SUBTREE_ATTR = "_kezdesu_role_subtree"


def _roles(user: User) -> list[tuple[str, str, int | None]]:
    """(role, unit path, department id) of the user's roles, read once per user object (one query)."""
    if not hasattr(user, _CACHE_ATTR):
        rows = list(StaffRole.objects.filter(user=user).values_list("role", "unit__path", "department_id"))
        setattr(user, _CACHE_ATTR, rows)
    return getattr(user, _CACHE_ATTR)


def _role_paths(user: User, roles: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user, optionally only of these kinds of role."""
    pairs = [(role, path) for role, path, _department in _roles(user)]
    if roles is not None:
        roles = set(roles)
        pairs = [(role, path) for role, path in pairs if role in roles]
    return pairs


def role_departments(user: User, role: str) -> list[tuple[int, str]]:
    """(department id, unit path) of the user's roles of this kind that name a department."""
    return [(department, path) for kind, path, department in _roles(user) if kind == role and department is not None]


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


def _subtree(user: User) -> list[AdministrativeUnit]:
    """Every unit under any of the user's roles, by path, read once per user object (one query):
    lists filter on `unit_id IN (…)`, which their indexes answer, instead of joining the
    territories and matching `path LIKE '…%'` row by row."""
    if not hasattr(user, _SUBTREE_ATTR):
        paths = sorted({path for _role, path in _role_paths(user)})
        units: list[AdministrativeUnit] = []
        if paths:
            condition = Q(pk__in=[])
            for path in paths:
                condition |= Q(path__startswith=path)
            units = list(AdministrativeUnit.objects.filter(condition).order_by("path"))
        setattr(user, _SUBTREE_ATTR, units)
    return getattr(user, _SUBTREE_ATTR)


def units_under(user: User, paths: Iterable[str]) -> list[AdministrativeUnit]:
    """The units under `paths` (paths of the user's own roles), by path, without a query once
    the user's subtree is read."""
    paths = tuple(paths)
    if not paths:
        return []
    return [unit for unit in _subtree(user) if unit.path.startswith(paths)]


def unit_ids_under(user: User, paths: Iterable[str]) -> list[int]:
    return [unit.pk for unit in units_under(user, paths)]


def covered_units_list(user: User, *, roles: Iterable[str] | None = None) -> list[AdministrativeUnit]:
    """covered_units() of a user with roles, as a list read from the resolved subtree."""
    if not is_staff_member(user):
        return []
    return units_under(user, (path for _role, path in _role_paths(user, roles)))


def covered_unit_ids_q(user: User, *, field: str = "unit_id", roles: Iterable[str] | None = None) -> Q:
    """covered_units_q() with the subtree resolved once: `field IN (the covered units' ids)`."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    ids = unit_ids_under(user, (path for _role, path in _role_paths(user, roles)))
    return Q(**{f"{field}__in": ids})


def covered_units(user: User, *, roles: Iterable[str] | None = None):
    return AdministrativeUnit.objects.filter(covered_units_q(user, roles=roles))


def forget_roles(user: User) -> None:
    """Drop the per-object cache after roles change (tests and the admin use it)."""
    for attr in (_CACHE_ATTR, _SUBTREE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)
