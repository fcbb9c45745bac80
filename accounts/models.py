from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


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
