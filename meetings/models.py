"""Venues, meetings and everything around them: speakers, agenda, registrations, receptions,
the annual calendar plan, and the reporting mandate as data."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import events
from districts.models import AdministrativeUnit


class Venue(models.Model):
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Seats for residents."))
    accessibility = models.CharField(
        _("accessibility note"),
        max_length=300,
        blank=True,
        help_text=_("Ramps, lifts, sign-language interpreting, and so on."),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="venue_capacity_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(models.QuerySet):
    def public(self) -> "MeetingQuerySet":
        """What residents may see: everything but drafts."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def scheduled(self) -> "MeetingQuerySet":
        return self.filter(status=Meeting.Status.SCHEDULED)

    def within(self, unit: AdministrativeUnit) -> "MeetingQuerySet":
        return self.filter(unit__path__startswith=unit.path)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REPORTING = "reporting", _("reporting meeting")
        OUTREACH = "outreach", _("outreach meeting")
        PROGRAMME_1 = "programme_1", _("programme, cycle 1: collecting problems")
        PROGRAMME_2 = "programme_2", _("programme, cycle 2: schedule of works")
        PROGRAMME_3 = "programme_3", _("programme, cycle 3: results")
        FORUM = "forum", _("forum")
        RECEPTION = "reception", _("citizens' reception")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "draft")
        SCHEDULED = "scheduled", pgettext_lazy("meeting status", "scheduled")
        HELD = "held", pgettext_lazy("meeting status", "held")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Whose residents the meeting is for."),
    )
    host = models.ForeignKey(
        "districts.Akim",
        verbose_name=_("host akim"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REPORTING)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("The venue's capacity unless lower; empty means unlimited.")
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    questions_close_at = models.DateTimeField(
        _("questions accepted until"), null=True, blank=True, help_text=_("24 hours before the start by default.")
    )
    livestream_url = models.URLField(_("livestream link"), blank=True)
    recording_url = models.URLField(_("recording link"), blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # iCalendar SEQUENCE: raised on every change a calendar must pick up (reschedule, cancel).
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    plan_item = models.OneToOneField(
        "meetings.PlanItem",
        verbose_name=_("calendar plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"], name="meeting_status_start")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(attendance__isnull=False), name="meeting_held_has_attendance"
            ),
            models.CheckConstraint(
                condition=Q(questions_close_at__isnull=True) | Q(questions_close_at__lte=F("starts_at")),
                name="meeting_questions_close_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def is_programme(self) -> bool:
        return self.kind in {self.Kind.PROGRAMME_1, self.Kind.PROGRAMME_2, self.Kind.PROGRAMME_3}

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def default_questions_close_at(self):
        return self.starts_at - timedelta(hours=24)

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.starts_at > timezone.now()

    @property
    def accepts_questions(self) -> bool:
        """Residents may still send questions for it: upcoming, and its question window open."""
        close_at = self.questions_close_at or self.default_questions_close_at
        return self.is_upcoming and close_at > timezone.now()

    @property
    def accepts_registrations(self) -> bool:
        return self.is_upcoming and self.registration_open

    @property
    def seats_left(self) -> int | None:
        """None when the meeting has no seat limit. Lists annotate `registered_count` (selectors)."""
        if self.capacity is None:
            return None
        taken = getattr(self, "registered_count", None)
        if taken is None:
            taken = self.registrations.filter(status=Registration.Status.REGISTERED).count()
        return max(self.capacity - taken, 0)


class MeetingEvent(models.Model):
    """One recorded change of a meeting: who, when, and what it was before and after."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("meeting event", "created as a draft")
        SCHEDULED = "scheduled", pgettext_lazy("meeting event", "announced")
        UPDATED = "updated", pgettext_lazy("meeting event", "changed")
        RESCHEDULED = "rescheduled", pgettext_lazy("meeting event", "rescheduled")
        CANCELLED = "cancelled", pgettext_lazy("meeting event", "cancelled")
        HELD = "held", pgettext_lazy("meeting event", "marked held")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("status before"), max_length=10, blank=True)
    to_status = models.CharField(_("status after"), max_length=10, blank=True)
    # The times before and after: a reschedule keeps the earlier ones here.
    from_starts_at = models.DateTimeField(_("start before"), null=True, blank=True)
    from_ends_at = models.DateTimeField(_("end before"), null=True, blank=True)
    to_starts_at = models.DateTimeField(_("start after"), null=True, blank=True)
    to_ends_at = models.DateTimeField(_("end after"), null=True, blank=True)
    # A venue or a host is kept as a core.events reference (its name in both languages).
    changes = models.JSONField(_("changes"), default=dict, blank=True, help_text=_("Field: [before, after]."))
    # Only what a person typed: the reason for a cancellation or a new time.
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at", "id"], name="meeting_event_at_id")]  # the audit trail

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def summary(self) -> str:
        """What changed, in the active language and its formats (core.events)."""
        if self.kind == self.Kind.RESCHEDULED and self.from_starts_at and self.to_starts_at:
            before, after = (
                formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
                for moment in (self.from_starts_at, self.to_starts_at)
            )
            return f"{before} → {after}"
        attendance = (self.changes or {}).get("attendance")
        if self.kind == self.Kind.HELD and attendance:
            count = attendance[-1]
            return ngettext("%(residents)s resident attended", "%(residents)s residents attended", count) % {
                "residents": formats.number_format(count, force_grouping=True)
            }
        if self.changes:
            return gettext("Changed: %(fields)s") % {"fields": events.field_labels(Meeting, list(self.changes))}
        return ""

    @property
    def status_change(self) -> str:
        return events.status_change(Meeting.Status, self.from_status, self.to_status)


class Speaker(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("title"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    is_akim_report = models.BooleanField(
        _("akim's presentation"),
        default=False,
        help_text=_("The akim's own report; the decree keeps it to a quarter of the meeting."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0), name="agenda_minutes_positive")]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", pgettext_lazy("registration status", "registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "cancelled")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
    )
    language = models.CharField(_("language"), max_length=2, default="kk")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("moved from the waiting list at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["meeting", "status", "created_at"], name="registration_queue")]
        constraints = [
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="registration_has_contact"),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(email="") & ~Q(status="cancelled"),
                name="registration_one_per_email",
                violation_error_message=_("This email is already registered for the meeting."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "phone"],
                condition=~Q(phone="") & ~Q(status="cancelled"),
                name="registration_one_per_phone",
                violation_error_message=_("This phone number is already registered for the meeting."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.meeting_id}"


class ReceptionSlot(models.Model):
    """One resident at a time with an official, at a citizens' reception."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("reception"), on_delete=models.CASCADE, related_name="reception_slots"
    )
    official = models.CharField(_("official"), max_length=200)
    position = models.CharField(_("position"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveSmallIntegerField(_("length, minutes"), default=15)

    class Meta:
        verbose_name = _("reception slot")
        verbose_name_plural = _("reception slots")
        ordering = ["starts_at", "official"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="slot_minutes_positive"),
            models.UniqueConstraint(fields=["meeting", "official", "starts_at"], name="slot_unique_time"),
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes)


class ReceptionBooking(models.Model):
    slot = models.ForeignKey(ReceptionSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="bookings")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # The confirmation with the cancellation link is written in this language.
    language = models.CharField(_("language"), max_length=2, default="kk")
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reception booking")
        verbose_name_plural = _("reception bookings")
        constraints = [
            # One resident per slot: the database holds it even if two requests race.
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="booking_one_per_slot",
                violation_error_message=_("This slot is already booked."),
            ),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="booking_has_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.slot}"


class MandateRuleSet(models.Model):
    """A set of reporting rules (the quarterly default, the Decree 826 preset, …); one is in force."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in force"), default=False)

    class Meta:
        verbose_name = _("reporting rule set")
        verbose_name_plural = _("reporting rule sets")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="ruleset_one_active")
        ]

    def __str__(self) -> str:
        return self.name


class MandateRule(models.Model):
    class Period(models.TextChoices):
        QUARTER = "quarter", _("quarter")
        HALF_YEAR = "half_year", _("half-year")
        YEAR = "year", _("year")

    ruleset = models.ForeignKey(
        MandateRuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="rules"
    )
    unit_kind = models.CharField(
        _("akim of a territory of kind"), max_length=20, choices=AdministrativeUnit.Kind.choices
    )
    period = models.CharField(_("at least once per"), max_length=10, choices=Period.choices)
    per_child = models.BooleanField(
        _("in each subdivision"),
        default=False,
        help_text=_("One meeting is due in each subdivision of the kinds below."),
    )
    child_kinds = models.JSONField(_("kinds of subdivision"), default=list, blank=True)

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["ruleset", "unit_kind"]
        constraints = [models.UniqueConstraint(fields=["ruleset", "unit_kind"], name="rule_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()}: {self.get_period_display()}"


class PlanItem(models.Model):
    """A line of a territory's annual calendar of meetings, later linked to the real meeting."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="plan_items"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned_on = models.DateField(_("planned date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Meeting.Kind.choices, default=Meeting.Kind.REPORTING)
    title = models.CharField(_("title"), max_length=300)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("calendar plan item")
        verbose_name_plural = _("calendar plan items")
        ordering = ["planned_on", "pk"]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.title}"
