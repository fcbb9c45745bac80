import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import PersonalDataAccess, SignInCode, StaffRole, StaffRoleEvent, User
from accounts.permissions import forget_roles, is_staff_member
from core import ratelimit
from core.errors import ApplicationError
from core.phones import normalize_kz_phone
from districts.models import AdministrativeUnit, Department
from notifications.services import notification_enqueue

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


# --- Residents sign in with a one-time code -------------------------------------------------
#
# A resident types the email or phone they used for their questions, receives a 6-digit code
# there (through the outbox) and is signed in to the resident account of that contact, created
# on first use. No password: a resident on a cheap phone has nothing to remember. Codes and
# contacts are stored only as keyed digests; a code dies after a few wrong tries or minutes.

SIGN_IN_KIND = "accounts.sign_in_code"


class TooManyCodes(ApplicationError):
    """The limit of codes for this contact is reached: the page answers 429."""

    status_code = 429


def contact_normalize(value: str) -> str:
    """An email (lower case) or a Kazakhstan phone (+77XXXXXXXXX), or a ValidationError."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({"contact": _("Enter your email address or phone number.")})
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"contact": _("Enter a valid email address.")}) from None
        return value.lower()
    try:
        return normalize_kz_phone(value)
    except ValidationError as error:
        raise ValidationError({"contact": error.messages}) from None


def _contact_digest(contact: str) -> str:
    return salted_hmac("accounts.sign_in.contact", contact, algorithm="sha256").hexdigest()


def _code_digest(code: str, salt: str) -> str:
    return salted_hmac(f"accounts.sign_in.code:{salt}", code, algorithm="sha256").hexdigest()


@transaction.atomic
def sign_in_code_send(*, contact: str, language: str) -> str:
    """Send a new one-time code to the contact; returns the contact as normalised.

    The per-contact limit is taken first (atomically, in the shared cache), so parallel requests
    cannot pass it together; the earlier codes of the contact stop working.
    """
    contact = contact_normalize(contact)
    if ratelimit.count("sign-in-contact", contact, window=3600) > settings.RESIDENT_SIGN_IN_CODES_PER_CONTACT:
        raise TooManyCodes(_("Too many codes were sent to this contact. Please try again in an hour."))
    digest = _contact_digest(contact)
    SignInCode.objects.filter(contact_digest=digest, used_at__isnull=True).delete()
    code, salt = f"{secrets.randbelow(1_000_000):06d}", secrets.token_hex(8)
    now = timezone.now()
    row = SignInCode.objects.create(
        contact_digest=digest,
        code_digest=f"{salt}${_code_digest(code, salt)}",
        created_at=now,
        expires_at=now + timedelta(minutes=settings.RESIDENT_SIGN_IN_CODE_MINUTES),
    )
    is_email = "@" in contact
    notification_enqueue(
        kind=SIGN_IN_KIND,
        language=language,
        dedupe_key=f"accounts:sign-in:{row.pk}",
        context={"code": code, "minutes": settings.RESIDENT_SIGN_IN_CODE_MINUTES},
        email=contact if is_email else "",
        phone="" if is_email else contact,
    )
    return contact


def sign_in_code_check(*, contact: str, code: str, language: str = "kk") -> User:
    """The resident account of the contact when the code is its latest, unexpired and right.

    A wrong code is counted (and the count kept, though the step fails); after
    RESIDENT_SIGN_IN_MAX_WRONG_CODES the code is dead and a new one must be asked for.
    """
    contact = contact_normalize(contact)
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        raise ValidationError({"code": _("Type the 6 digits from the message.")})
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(contact_digest=_contact_digest(contact), used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None:
            raise ApplicationError(_("This code has expired or was never sent. Ask for a new code."))
        if row.wrong_attempts >= settings.RESIDENT_SIGN_IN_MAX_WRONG_CODES:
            raise ApplicationError(_("Too many wrong codes. Ask for a new code."))
        salt, _separator, expected = row.code_digest.partition("$")
        right = constant_time_compare(_code_digest(code, salt), expected)
        if right:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return _resident_account(contact=contact, language=language)
        row.wrong_attempts += 1
        row.save(update_fields=["wrong_attempts"])
        left = settings.RESIDENT_SIGN_IN_MAX_WRONG_CODES - row.wrong_attempts
    # Outside the transaction: the wrong try stays counted.
    if left <= 0:
        raise ApplicationError(_("Too many wrong codes. Ask for a new code."))
    raise ValidationError({"code": _("The code is not right. Check the message and try again.")})


def _resident_account(*, contact: str, language: str) -> User:
    """The account that signs in with this contact, created on first use (no password)."""
    user = User.objects.filter(sign_in_contact=contact).first()
    if user is None:
        is_email = "@" in contact
        user = User(
            username=f"resident-{secrets.token_hex(6)}",
            sign_in_contact=contact,
            email=contact if is_email else "",
            phone="" if is_email else contact,
            preferred_language=language if language in User.Language.values else User.Language.KK,
        )
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # the same contact signed in twice at once: the first one wins
            user = User.objects.get(sign_in_contact=contact)
    if not user.is_active:
        raise ApplicationError(_("This account is closed."))
    if user.is_staff or is_staff_member(user):
        # A code must never open a staff account: staff sign in with a password (and 2FA).
        raise ApplicationError(_("This account signs in on the staff login page."))
    return user


def sign_in_codes_delete_expired(*, now: datetime) -> int:
    """Old codes go: used or not, a day after they expired."""
    deleted, _by_model = SignInCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    return deleted


@transaction.atomic
def password_reset_send(*, user: User) -> None:
    """Queue the link that sets a new password, in the user's own language (not the page's).

    Django's reset token is single-use and expires (PASSWORD_RESET_TIMEOUT); the message key
    holds the token, so asking twice in the same second sends one message.
    """
    token = default_token_generator.make_token(user)
    with translation.override(user.preferred_language):
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
        )
    notification_enqueue(
        kind="accounts.password_reset",
        language=user.preferred_language,
        dedupe_key=f"accounts:password-reset:{user.pk}:{token}",
        context={"username": user.username, "reset_url": f"{settings.SITE_URL}{path}"},
        email=user.email,
        user=user,
    )


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
