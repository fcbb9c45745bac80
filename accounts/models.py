from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.phones import validate_kz_phone


class User(AbstractUser):
    class Language(models.TextChoices):
        KK = "kk", "Қазақша"
        RU = "ru", "Русский"

    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KK
    )
    phone = models.CharField(
        _("phone"),
        max_length=16,
        blank=True,
        validators=[validate_kz_phone],
        help_text=_("A Kazakhstan number, for example +7 701 234 56 78."),
    )
    is_demo = models.BooleanField(_("demo account"), default=False)
    # A resident's account: reached only by a one-time code sent to this email or phone, never
    # by a password. Staff accounts leave it empty and sign in on the staff login page.
    sign_in_contact = models.CharField(
        _("sign-in contact"),
        max_length=254,
        blank=True,
        help_text=_("The email or phone a resident signs in with by a one-time code; empty for staff."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["sign_in_contact"], condition=~Q(sign_in_contact=""), name="user_sign_in_contact_unique"
            )
        ]

    @property
    def is_resident_account(self) -> bool:
        return bool(self.sign_in_contact)


class StaffRole(models.Model):
    """A user's role over a territory. A role on a unit covers the unit's whole subtree."""

    class Role(models.TextChoices):
        AKIMAT_STAFF = "akimat_staff", _("akimat staff")
        DEPARTMENT_OFFICER = "department_officer", _("department officer")
        MODERATOR = "moderator", _("moderator")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_roles")
    unit = models.ForeignKey(
        "districts.AdministrativeUnit",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="staff_roles",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "districts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="staffrole_unique"),
            # A department officer always belongs to a department, and only officers do.
            models.CheckConstraint(
                condition=(Q(role="department_officer") & Q(department__isnull=False))
                | (~Q(role="department_officer") & Q(department__isnull=True)),
                name="staffrole_department_iff_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class StaffRoleEvent(models.Model):
    """One recorded change of who may act where: a role granted, changed or revoked, or a user's
    access flags (active, staff, superuser) changed. The row outlives the role, the user and the
    territory it names: the foreign keys go null and the text snapshots keep what they were."""

    class Kind(models.TextChoices):
        GRANTED = "granted", pgettext_lazy("staff role event", "role granted")
        CHANGED = "changed", pgettext_lazy("staff role event", "role changed")
        REVOKED = "revoked", pgettext_lazy("staff role event", "role revoked")
        ACCESS = "access", pgettext_lazy("staff role event", "account access changed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_role_events",
    )
    username = models.CharField(_("username"), max_length=150)
    staff_role = models.ForeignKey(
        StaffRole, verbose_name=_("staff role"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.Role.choices, blank=True)
    unit = models.ForeignKey(
        "districts.AdministrativeUnit",
        verbose_name=_("territory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit_name = models.CharField(_("territory name"), max_length=450, blank=True)
    department = models.ForeignKey(
        "districts.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    department_name = models.CharField(_("department name"), max_length=650, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("Field: [before, after]."))

    class Meta:
        verbose_name = _("staff role event")
        verbose_name_plural = _("staff role events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at"], name="staff_role_event_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SignInCode(models.Model):
    """A one-time code a resident asked for to sign in. Only digests are kept: neither the code
    nor the contact it was sent to can be read back from the row."""

    contact_digest = models.CharField(_("contact digest"), max_length=64, db_index=True)
    code_digest = models.CharField(_("code digest"), max_length=100)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    wrong_attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["expires_at"], name="sign_in_code_expires")]

    def __str__(self) -> str:
        return f"{self.contact_digest[:8]}… {self.created_at:%Y-%m-%d %H:%M}"


class PersonalDataAccess(models.Model):
    """A staff member was shown a resident's personal data: who, when, whose record, which fields.

    Written by the services that reveal or export it (a question's author, a meeting's
    registrants) and shown on the administrators' audit trail. The record is named by model and
    id: accounts imports none of the apps above it, and the row outlives the record.
    """

    class Kind(models.TextChoices):
        QUESTION_AUTHOR = "question_author", _("contact of a question's author shown")
        REGISTRATIONS_CSV = "registrations_csv", _("registrations downloaded (CSV)")
        ATTENDANCE_SHEET = "attendance_sheet", _("attendance sheet opened")
        REGISTRATIONS_API = "registrations_api", _("registrations read through the API")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    subject_model = models.CharField(_("record type"), max_length=60, help_text=_("app_label.model"))
    subject_id = models.PositiveBigIntegerField(_("record id"))
    shown_fields = models.JSONField(_("fields shown"), default=list, blank=True)

    class Meta:
        verbose_name = _("personal data shown")
        verbose_name_plural = _("personal data shown")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["at", "id"], name="personal_data_access_at_id"),  # the audit trail
            models.Index(fields=["subject_model", "subject_id"], name="personal_data_access_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_model} {self.subject_id} {self.kind}"
