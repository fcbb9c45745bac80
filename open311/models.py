"""Open311 GeoReport v2: the keys integrators post with, and which key sent which question.

A key is shown once, when it is issued in the admin; only its SHA-256 is stored. The key is
long and random (256 bits), so a plain hash is enough: there is nothing to guess from it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_requests_per_hour() -> int:
    # A callable, so that the setting read from the environment does not end up in a migration.
    return settings.OPEN311_KEY_REQUESTS_PER_HOUR


class ApiKey(models.Model):
    owner = models.CharField(
        _("issued to"), max_length=200, help_text=_("The organisation or application that posts with this key.")
    )
    prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    requests_per_hour = models.PositiveIntegerField(
        _("requests per hour"),
        default=default_requests_per_hour,
        help_text=_("How many service requests this key may post in an hour."),
    )
    is_active = models.BooleanField(_("active"), default=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True, revoked_at__isnull=True) | Q(is_active=False, revoked_at__isnull=False),
                name="open311_key_revoked_when_inactive",
            ),
            models.CheckConstraint(condition=Q(requests_per_hour__gte=1), name="open311_key_limit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} ({self.prefix}…)"


class Submission(models.Model):
    """A question posted through Open311: its token answers tokens/<token> with the question's
    number once the resident has confirmed it. Not the question's own tracking token, which
    would let whoever holds it act as the author."""

    question = models.OneToOneField(
        "questions.Question", verbose_name=_("question"), on_delete=models.CASCADE, related_name="open311_submission"
    )
    api_key = models.ForeignKey(ApiKey, verbose_name=_("API key"), on_delete=models.PROTECT, related_name="submissions")
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.token[:8]}… → #{self.question_id}"
