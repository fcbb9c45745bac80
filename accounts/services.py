from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

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
