from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One message in the outbox. Apps write it inside their own transaction; a task delivers it.

    The dedupe key is unique: asking twice for the same message (a job run twice, two workers
    at once) finds the first row and sends nothing more. A worker delivering it holds a lease:
    a claim token and the time until which no other worker takes the row.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=60)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    context = models.JSONField(_("context"), default=dict, blank=True)
    essential = models.BooleanField(
        _("essential"), default=False, help_text=_("Sent even to those who unsubscribed (e.g. a confirmation code).")
    )
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claim_token = models.CharField(_("claim token"), max_length=32, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at"]
        indexes = [
            # The delivery query walks this in order: pending, due, oldest first.
            models.Index(fields=["due_at", "id"], condition=Q(status="pending"), name="message_pending_due"),
            models.Index(fields=["status", "kind"], name="message_status_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="email") & ~Q(email="")) | (Q(channel="sms") & ~Q(phone="")),
                name="message_has_address_for_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.address}"

    @property
    def address(self) -> str:
        return self.email if self.channel == self.Channel.EMAIL else self.phone


class Unsubscription(models.Model):
    """An address (email or phone) that asked not to receive one kind of message."""

    address = models.CharField(_("address"), max_length=254)
    kind = models.CharField(_("kind"), max_length=60)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [models.UniqueConstraint(fields=["address", "kind"], name="unsubscription_unique")]

    def __str__(self) -> str:
        return f"{self.address} ✕ {self.kind}"


class Preference(models.Model):
    """A resident's choice, per kind of message, of the channels to use (an account is needed)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=60)
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
