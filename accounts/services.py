from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PersonalDataAccess, StaffRole, StaffRoleEvent, User
from accounts.permissions import forget_roles
from districts.models import AdministrativeUnit, Department

# The account flags that decide who gets into the admin and the workspace: their changes are audited.
ACCESS_FLAGS = ("is_active", "is_staff", "is_superuser")


def _bilingual(obj, field: str) -> str:
    """A content name in both languages, for snapshots that must read the same in kk and ru."""
    if obj is None:
        return ""
    kk, ru = getattr(obj, f"{field}_kk", "") or "", getattr(obj, f"{field}_ru", "") or ""
    return " / ".join(dict.fromkeys(name for name in (kk, ru) if name))


def _role_facts(staff_role: StaffRole) -> dict:
    return {
        "user": staff_role.user.username,
        "role": staff_role.role,
        "unit": _bilingual(staff_role.unit, "name"),
        "department": _bilingual(staff_role.department, "name") or None,
    }


def _staff_role_event_record(
    *, kind: str, actor: User | None, staff_role: StaffRole, changes: dict | None = None
) -> StaffRoleEvent:
    return StaffRoleEvent.objects.create(
        kind=kind,
        actor=actor,
        user=staff_role.user,
        username=staff_role.user.username,
        staff_role=staff_role if kind != StaffRoleEvent.Kind.REVOKED else None,
        role=staff_role.role,
        unit=staff_role.unit,
        unit_name=_bilingual(staff_role.unit, "name"),
        department=staff_role.department,
        department_name=_bilingual(staff_role.department, "name"),
        changes=changes or {},
    )


@transaction.atomic
def staff_role_grant(
    *,
    user: User,
    unit: AdministrativeUnit,
    role: str,
    department: Department | None = None,
    actor: User | None = None,
) -> StaffRole:
    staff_role = StaffRole(user=user, unit=unit, role=role, department=department)
    return staff_role_save(staff_role=staff_role, actor=actor)


@transaction.atomic
def staff_role_save(*, staff_role: StaffRole, actor: User | None) -> StaffRole:
    """Save a role a form has filled in (new or changed) and record what changed, and by whom.

    The admin hands over the instance its form built; `staff_role_grant` builds a new one.
    """
    before = None
    if staff_role.pk is not None:
        before = (
            StaffRole.objects.select_for_update(of=("self",))
            .select_related("user", "unit", "department")
            .filter(pk=staff_role.pk)
            .first()
        )
    staff_role.full_clean()
    staff_role.save()
    forget_roles(staff_role.user)
    if before is None:
        _staff_role_event_record(kind=StaffRoleEvent.Kind.GRANTED, actor=actor, staff_role=staff_role)
        return staff_role
    old, new = _role_facts(before), _role_facts(staff_role)
    changes = {name: [old[name], new[name]] for name in old if old[name] != new[name]}
    if changes:
        _staff_role_event_record(kind=StaffRoleEvent.Kind.CHANGED, actor=actor, staff_role=staff_role, changes=changes)
    return staff_role


@transaction.atomic
def staff_role_revoke(*, staff_role: StaffRole, actor: User | None) -> None:
    """Delete a role; the event keeps who held it, over which territory, and who took it away."""
    user = staff_role.user
    _staff_role_event_record(kind=StaffRoleEvent.Kind.REVOKED, actor=actor, staff_role=staff_role)
    staff_role.delete()
    forget_roles(user)


@transaction.atomic
def staff_roles_revoke_all(*, user: User, actor: User | None) -> None:
    """Before a user is deleted: every role they held is recorded as revoked."""
    for staff_role in StaffRole.objects.filter(user=user).select_related("user", "unit", "department"):
        staff_role_revoke(staff_role=staff_role, actor=actor)


@transaction.atomic
def user_access_record(*, user: User, actor: User | None, changes: dict) -> StaffRoleEvent | None:
    """Record a change of the user's access flags ({flag: [before, after]}); the admin saves the user."""
    changes = {name: [bool(before), bool(after)] for name, (before, after) in changes.items() if name in ACCESS_FLAGS}
    changes = {name: values for name, values in changes.items() if values[0] != values[1]}
    if not changes:
        return None
    return StaffRoleEvent.objects.create(
        kind=StaffRoleEvent.Kind.ACCESS, actor=actor, user=user, username=user.username, changes=changes
    )


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first visit to the setup page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Kezdesu", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the authenticator with a code it shows; only then does it guard the account."""
    token = (token or "").strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6) or not device.verify_token(token):
        raise ValidationError(_("The code is not right. Type the 6 digits your app shows now."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return device


def personal_data_access_record(
    *, actor: User, kind: str, subject: models.Model, fields: list[str]
) -> PersonalDataAccess:
    """Record that `actor` was shown these fields of `subject` (a question, a meeting's
    registrants). Called inside the transaction of the read it records."""
    return PersonalDataAccess.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_model=subject._meta.label_lower,
        subject_id=subject.pk,
        shown_fields=list(fields),
    )
