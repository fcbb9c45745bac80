"""Cycles of meetings: an akim meets the residents of every child territory within weeks.

A cycle groups ordinary meetings (they stay in meetings/, counted by the mandate and the annual
plan like any other); `CycleMeeting` ties each meeting to at most one cycle without touching the
meetings app's tables.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from districts.models import AdministrativeUnit


class Programme(models.Model):
    """A programme run in cycles over areas (Oskemen's microdistricts): cycle 1 gathers the needs
    of each area, cycle 2 presents the schedule of works (action plans drawn from its meetings),
    cycle 3 sums up the results."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="programmes"
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cycles:programme", kwargs={"slug": self.slug})


class Cycle(models.Model):
    class Kind(models.TextChoices):
        REPORTING = "reporting", _("reporting cycle")
        PROGRAMME_1 = "programme_1", _("programme, cycle 1: collecting problems")
        PROGRAMME_2 = "programme_2", _("programme, cycle 2: schedule of works")
        PROGRAMME_3 = "programme_3", _("programme, cycle 3: results")
        FORUM = "forum", _("forum")

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="cycles"
    )
    host = models.ForeignKey(
        "districts.Akim",
        verbose_name=_("host akim"),
        on_delete=models.PROTECT,
        related_name="cycles",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORTING)
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("The cycle's number in its year or programme."))
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("meeting cycle")
        verbose_name_plural = _("meeting cycles")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["host", "starts_on"], name="cycle_host_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cycle_ends_after_start"),
            models.CheckConstraint(condition=Q(number__gt=0), name="cycle_number_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cycles:detail", kwargs={"slug": self.slug})


class CycleMeeting(models.Model):
    """One meeting of a cycle; a meeting belongs to one cycle at most."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="links")
    meeting = models.OneToOneField(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="cycle_link"
    )

    class Meta:
        verbose_name = _("meeting of a cycle")
        verbose_name_plural = _("meetings of a cycle")

    def __str__(self) -> str:
        return f"{self.cycle_id} · {self.meeting_id}"
