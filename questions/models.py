"""Categories, questions, the supports residents add, and every recorded step of a question."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import events
from core.iin import validate_iin
from core.phones import validate_kz_phone
from districts.models import AdministrativeUnit, Department

TEXT_MIN_LENGTH = 10
TEXT_MAX_LENGTH = 2000


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered to residents"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name


class QuestionQuerySet(models.QuerySet):
    def public(self) -> "QuestionQuerySet":
        """What anyone may see: accepted and everything after it, but not rejected or withdrawn."""
        return self.filter(status__in=Question.PUBLIC_STATUSES)

    def within(self, unit: AdministrativeUnit) -> "QuestionQuerySet":
        return self.filter(unit__path__startswith=unit.path)


class Question(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for confirmation")
        NEW = "new", _("new")
        ACCEPTED = "accepted", _("accepted")
        ASSIGNED = "assigned", _("in work")
        ANSWERED = "answered", _("answered")
        FORWARDED = "forwarded", _("forwarded to the competent body")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        EXPIRED = "expired", _("expired")

    class Source(models.TextChoices):
        ONLINE = "online", _("online")
        MEETING = "meeting", _("at a meeting")
        RECEPTION = "reception", _("at a reception")
        PAPER = "paper", _("on paper")

    class Language(models.TextChoices):
        KK = "kk", "Қазақша"
        RU = "ru", "Русский"

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("resolved")
        EXPLAINED = "explained", _("explained")
        PLANNED = "planned", _("planned: needs more time")

    class RejectReason(models.TextChoices):
        SPAM = "spam", _("spam")
        ABUSIVE = "abusive", _("abusive language")
        OUT_OF_SCOPE = "out_of_scope", _("not a question for the akimat")
        DUPLICATE = "duplicate", _("the same question was already asked")

    PUBLIC_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED, Status.FORWARDED)
    OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.ASSIGNED)

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="questions"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        help_text=_("The meeting the question is for."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField(
        _("question"),
        validators=[MinLengthValidator(TEXT_MIN_LENGTH), MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    # The public copies (core/masking.py): written by the services together with the original,
    # personal data replaced by markers. Everything public reads these, never the originals.
    text_public = models.TextField(_("question, as published"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KK)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)

    # The author: private, never on a public page or in the public API.
    author_name = models.CharField(_("author's name"), max_length=200)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[validate_kz_phone])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
    )
    # The tracking page's secret: whoever holds the link is the author.
    token = models.CharField(_("tracking token"), max_length=64, unique=True, editable=False)
    confirmation_attempts = models.PositiveSmallIntegerField(_("wrong confirmation codes"), default=0)
    # Raised by every new code sent: the code is derived from the token and this number.
    confirmation_round = models.PositiveSmallIntegerField(_("new confirmation codes sent"), default=0)

    # An official appeal under the Administrative Procedural and Process Code: private.
    is_official_appeal = models.BooleanField(_("official appeal"), default=False)
    full_name = models.CharField(_("full name"), max_length=300, blank=True)
    postal_address = models.CharField(_("postal address"), max_length=500, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])

    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True, db_index=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questions",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_questions",
    )
    extended_at = models.DateTimeField(_("extended at"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    forwarded_to_public = models.CharField(_("forwarded to, as published"), max_length=300, blank=True)

    reject_reason = models.CharField(_("reason for rejection"), max_length=20, choices=RejectReason.choices, blank=True)
    reject_note = models.TextField(_("note to the author"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )

    answer_text = models.TextField(_("answer"), blank=True)
    answer_public = models.TextField(_("answer, as published"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_questions",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("answered on the spot at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_answered_on_the_spot",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)

    satisfied = models.BooleanField(_("author satisfied"), null=True, blank=True)
    feedback = models.TextField(_("author's comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    support_count = models.PositiveIntegerField(_("residents with the same question"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    # Set when the retention job erased the author's personal data from a closed question.
    anonymised_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="question_status_created"),
            # Public lists of a territory, newest first, one keyset page at a time: the subtree's
            # units, then status, then the (created_at, id) cursor are all read from the index.
            # Its (unit, status) prefix serves what the former question_unit_status index did.
            models.Index(fields=["unit", "status", "created_at", "id"], name="question_unit_status_created"),
            # The staff queues of open questions (a small share of all): their counts and pages
            # read these partial indexes only. Deadlines per territory, soonest first ...
            models.Index(
                fields=["unit", "due_on", "id"],
                name="question_open_unit_due",
                condition=Q(status__in=["new", "accepted", "assigned"]),
            ),
            # ... and a department's questions in work, newest first.
            models.Index(
                fields=["department", "created_at", "id"],
                name="question_open_department",
                condition=Q(status__in=["accepted", "assigned"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(contact_email="", contact_phone="") | ~Q(source="online") | Q(anonymised_at__isnull=False),
                name="question_online_has_contact",
            ),
            models.CheckConstraint(
                condition=Q(is_official_appeal=False)
                | (~Q(full_name="") & ~Q(postal_address="") & ~Q(iin=""))
                | Q(anonymised_at__isnull=False),
                name="question_appeal_has_identity",
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(outcome="") & Q(answered_at__isnull=False)),
                name="question_answered_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""), name="question_rejected_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(reject_reason="duplicate") | Q(duplicate_of__isnull=False),
                name="question_duplicate_has_original",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("id")), name="question_not_own_duplicate"),
            models.CheckConstraint(condition=Q(reopened_count__lte=1), name="question_reopened_once"),
            # Whoever writes an original writes its public copy (masking never empties a text).
            models.CheckConstraint(condition=Q(text="") | ~Q(text_public=""), name="question_text_has_public_copy"),
            models.CheckConstraint(
                condition=Q(answer_text="") | ~Q(answer_public=""), name="question_answer_has_public_copy"
            ),
            models.CheckConstraint(
                condition=Q(forwarded_to="") | ~Q(forwarded_to_public=""), name="question_forwarded_has_public_copy"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("questions:detail", kwargs={"pk": self.pk})

    def get_tracking_url(self) -> str:
        return reverse("questions:track", kwargs={"token": self.token})

    def get_staff_url(self) -> str:
        return reverse("questions:staff_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def contact(self) -> str:
        return self.contact_email or self.contact_phone

    @property
    def answered_on_the_spot(self) -> bool:
        return self.answered_at_meeting_id is not None

    @property
    def can_be_withdrawn(self) -> bool:
        return self.status in (self.Status.SUBMITTED, *self.OPEN_STATUSES)

    @property
    def can_be_rated(self) -> bool:
        return self.status == self.Status.ANSWERED and self.rated_at is None


class Support(models.Model):
    """ "I have the same question": one per account or per confirmed contact."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="question_supports",
    )
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "user"], condition=Q(user__isnull=False), name="support_once_per_account"
            ),
            models.UniqueConstraint(
                fields=["question", "contact"], condition=~Q(contact=""), name="support_once_per_contact"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(contact=""), name="support_has_account_or_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} +1"


class QuestionEvent(models.Model):
    """One recorded step of a question: who, when, from which status to which, and why.

    What happened is data (core.events), read in the reader's language by `summary`:

        accepted, category_changed  {"category": [ref before, ref after]} (a corrected category)
        rejected                    {"reason": a RejectReason code}
        merged                      {"merged": the number of the question merged into this one}
        assigned                    {"department": ref, "officer": "the officer's name" (staff pages)}
        extended                    {"due": ["2026-12-07", "2027-01-20"]}
        forwarded                   {"to": "the competent body, as staff typed it"} (shown as typed)
        answered, answered_on_spot  {"outcome": an Outcome code, "action_item": ref when a plan resolved it}
        rated                       {"satisfied": true or false}

    `note` holds only what a person typed (a note to the author, a reason, a comment).
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        CONFIRMED = "confirmed", _("contact confirmed")
        ENTERED = "entered", _("entered by staff")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        MERGED = "merged", _("merged with the same question")
        CATEGORY_CHANGED = "category_changed", _("category corrected")
        ASSIGNED = "assigned", _("assigned to a department")
        EXTENDED = "extended", _("term extended")
        FORWARDED = "forwarded", _("forwarded to the competent body")
        ANSWERED = "answered", _("answered")
        ANSWERED_ON_THE_SPOT = "answered_on_spot", _("answered on the spot")
        RATED = "rated", _("answer rated")
        REOPENED = "reopened", _("reopened")
        WITHDRAWN = "withdrawn", _("withdrawn by the author")
        EXPIRED = "expired", _("expired unconfirmed")

    # Steps that may appear on the public page (the others are between the author and staff).
    PUBLIC_KINDS = (
        Kind.ACCEPTED,
        Kind.ASSIGNED,
        Kind.EXTENDED,
        Kind.FORWARDED,
        Kind.ANSWERED,
        Kind.ANSWERED_ON_THE_SPOT,
        Kind.REOPENED,
        Kind.MERGED,
    )

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="events")
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
    from_status = models.CharField(_("status before"), max_length=10, choices=Question.Status.choices, blank=True)
    to_status = models.CharField(_("status after"), max_length=10, choices=Question.Status.choices, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_public = models.TextField(_("note, as published"), blank=True)

    class Meta:
        verbose_name = _("question event")
        verbose_name_plural = _("question events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["question", "at"], name="question_event_at"),
            models.Index(fields=["at", "id"], name="question_event_at_id"),  # the audit trail
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(note="") | ~Q(note_public=""), name="question_event_note_has_public_copy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.kind}"

    @property
    def summary(self) -> str:
        """What the data says, as a sentence in the active language ("" when the kind says it all)."""
        data = self.data or {}
        if "category" in data:
            before, after = data["category"]
            return gettext("Category: %(old)s → %(new)s") % {
                "old": events.ref_name(before),
                "new": events.ref_name(after),
            }
        if "reason" in data:
            return gettext("Reason: %(reason)s.") % {
                "reason": events.status_label(Question.RejectReason, data["reason"])
            }
        if "merged" in data:
            return gettext("Question No. %(number)s merged into this one.") % {"number": data["merged"]}
        if "department" in data:
            return events.ref_name(data["department"])
        if "due" in data:
            before, after = (date.fromisoformat(day) for day in data["due"])
            return gettext("New due date: %(new)s (was %(old)s).") % {
                "new": formats.date_format(after, "SHORT_DATE_FORMAT"),
                "old": formats.date_format(before, "SHORT_DATE_FORMAT"),
            }
        if "action_item" in data:
            return gettext("Resolved: the action plan item “%(item)s” is done.") % {
                "item": events.ref_name(data["action_item"])
            }
        if "outcome" in data:
            return capfirst(events.status_label(Question.Outcome, data["outcome"]))
        if "satisfied" in data:
            if data["satisfied"]:
                return gettext("The author is satisfied with the answer.")
            return gettext("The author is not satisfied with the answer.")
        return ""

    @property
    def status_change(self) -> str:
        return events.status_change(Question.Status, self.from_status, self.to_status)
