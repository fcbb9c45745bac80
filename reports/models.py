"""Published reports of meetings, action plans with their items, and the history of both."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core import events
from districts.models import AdministrativeUnit, Department


class ReportQuerySet(models.QuerySet):
    def published(self) -> "ReportQuerySet":
        return self.filter(status=Report.Status.PUBLISHED, published_at__isnull=False)

    def within(self, unit: AdministrativeUnit) -> "ReportQuerySet":
        return self.filter(unit__path__startswith=unit.path)


class Report(models.Model):
    """A published account of a meeting, a programme cycle or a period, in Kazakh and Russian."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report status", "draft")
        PUBLISHED = "published", pgettext_lazy("report status", "published")
        UNPUBLISHED = "unpublished", pgettext_lazy("report status", "unpublished")

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="reports"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text=_("Leave empty for a report on a programme cycle or a period."),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"), max_length=1000, blank=True, help_text=_("One or two sentences."))
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown: headings, lists, links, emphasis."))
    cover = models.ImageField(_("cover image"), upload_to="reports/covers/", blank=True)
    cover_small = models.ImageField(_("cover image, small"), upload_to="reports/covers/", blank=True, editable=False)
    cover_alt = models.CharField(_("cover description"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True, help_text=_("As printed under the text."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    # An imported press release's SHA-256: importing the same file again updates this draft.
    import_hash = models.CharField(_("imported file's hash"), max_length=64, blank=True, db_index=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="report_status_published")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="report_published_has_time"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="report_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"slug": self.slug})

    def get_staff_url(self) -> str:
        return reverse("reports:staff-edit", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ReportEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("report event", "created")
        UPDATED = "updated", pgettext_lazy("report event", "edited")
        COVER = "cover", pgettext_lazy("report event", "cover changed")
        PUBLISHED = "published", pgettext_lazy("report event", "published")
        UNPUBLISHED = "unpublished", pgettext_lazy("report event", "unpublished")
        IMPORTED = "imported", pgettext_lazy("report event", "imported")

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("status before"), max_length=12, blank=True)
    to_status = models.CharField(_("status after"), max_length=12, blank=True)
    changes = models.JSONField(_("changed fields"), default=list, blank=True)
    # Only what a person typed (the reason to unpublish) or the imported file's name.
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at", "id"], name="report_event_at_id")]  # the audit trail

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"

    @property
    def summary(self) -> str:
        """The changed fields as the form names them, in the active language (core.events)."""
        if not self.changes:
            return ""
        return gettext("Changed: %(fields)s") % {"fields": events.field_labels(Report, self.changes)}

    @property
    def status_change(self) -> str:
        return events.status_change(Report.Status, self.from_status, self.to_status)


class ActionPlan(models.Model):
    """What a territory's akimat will do about the questions of its meetings, for a period."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    source_meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("source meetings"), blank=True, related_name="action_plans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:plan", kwargs={"pk": self.pk})


def at_risk_q(today: date, *, prefix: str = "") -> Q:
    """Not done nor cancelled, and overdue or due soon with too little progress (settings)."""
    soon = today + timedelta(days=settings.REPORTS_AT_RISK_DAYS)
    return ~Q(**{f"{prefix}status__in": ActionItem.CLOSED_STATUSES}) & (
        Q(**{f"{prefix}due_on__lt": today})
        | Q(**{f"{prefix}due_on__lte": soon, f"{prefix}progress__lt": settings.REPORTS_AT_RISK_PROGRESS})
    )


class ActionItemQuerySet(models.QuerySet):
    def within(self, unit: AdministrativeUnit) -> "ActionItemQuerySet":
        return self.filter(plan__unit__path__startswith=unit.path)

    def at_risk(self, today: date | None = None) -> "ActionItemQuerySet":
        return self.filter(at_risk_q(today or timezone.localdate()))


class ActionItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("action item status", "planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("action item status", "in progress")
        DONE = "done", pgettext_lazy("action item status", "done")
        CANCELLED = "cancelled", pgettext_lazy("action item status", "cancelled")

    class Funding(models.TextChoices):
        LOCAL = "local_budget", _("local budget")
        REPUBLICAN = "republican_budget", _("republican budget")
        SPONSOR = "sponsor", _("sponsors and investors")
        NO_COST = "no_cost", _("no cost")
        OTHER = "other", _("other source")

    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    plan = models.ForeignKey(ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    responsible = models.CharField(_("responsible person"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
    budget = models.DecimalField(
        _("budget, tenge"), max_digits=16, decimal_places=2, null=True, blank=True, help_text=_("In tenge.")
    )
    funding = models.CharField(_("funding source"), max_length=20, choices=Funding.choices, default=Funding.LOCAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    questions = models.ManyToManyField(
        "questions.Question", verbose_name=_("questions"), blank=True, related_name="action_items"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="item_progress_percent"),
            models.CheckConstraint(condition=Q(budget__isnull=True) | Q(budget__gte=0), name="item_budget_positive"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(progress=100) & Q(completed_on__isnull=False)),
                name="item_done_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:item", kwargs={"pk": self.pk})

    def is_at_risk_on(self, today: date) -> bool:
        if self.status in self.CLOSED_STATUSES:
            return False
        soon = today + timedelta(days=settings.REPORTS_AT_RISK_DAYS)
        return self.due_on < today or (self.due_on <= soon and self.progress < settings.REPORTS_AT_RISK_PROGRESS)

    @property
    def is_at_risk(self) -> bool:
        return self.is_at_risk_on(timezone.localdate())

    @property
    def is_overdue(self) -> bool:
        return self.status not in self.CLOSED_STATUSES and self.due_on < timezone.localdate()


class ActionItemEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("action item event", "added to the plan")
        UPDATED = "updated", pgettext_lazy("action item event", "changed")
        PROGRESS = "progress", pgettext_lazy("action item event", "progress")
        DONE = "done", pgettext_lazy("action item event", "done")
        CANCELLED = "cancelled", pgettext_lazy("action item event", "cancelled")
        LINKED = "linked", pgettext_lazy("action item event", "question linked")
        UNLINKED = "unlinked", pgettext_lazy("action item event", "question unlinked")

    item = models.ForeignKey(ActionItem, verbose_name=_("action item"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("status before"), max_length=12, blank=True)
    to_status = models.CharField(_("status after"), max_length=12, blank=True)
    from_progress = models.PositiveSmallIntegerField(_("progress before"), null=True, blank=True)
    to_progress = models.PositiveSmallIntegerField(_("progress after"), null=True, blank=True)
    changes = models.JSONField(_("changed fields"), default=list, blank=True)
    # What happened, as data (core.events): {"question": 12} for a linked or unlinked question.
    data = models.JSONField(_("details"), default=dict, blank=True)
    # Only what a person typed: a progress note, the reason to cancel.
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("action item event")
        verbose_name_plural = _("action item events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at", "id"], name="item_event_at_id")]  # the audit trail

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"

    @property
    def summary(self) -> str:
        """What the data says, in the active language (core.events)."""
        if "question" in (self.data or {}):
            return gettext("Question No. %(number)s") % {"number": self.data["question"]}
        if self.changes:
            return gettext("Changed: %(fields)s") % {"fields": events.field_labels(ActionItem, self.changes)}
        if self.to_progress is not None and self.from_progress is not None and self.from_progress != self.to_progress:
            return f"{self.from_progress}% → {self.to_progress}%"
        return ""

    @property
    def status_change(self) -> str:
        return events.status_change(ActionItem.Status, self.from_status, self.to_status)


class TerritoryFigures(models.Model):
    """A territory's figures for a period, summed over its subtree: its scorecard's questions
    and its row in its siblings' comparison.

    A region's or a city's comparison needs every top-level territory's year of questions;
    read per request, that was the country's year in Python. The rows are written when a
    scorecard finds them missing or stale and by the beat job `reports.refresh_scorecards`, so a
    reader's scorecard reads these rows, not the questions. `figures` holds received,
    needing_action, resolved, categories (the counts of each), days (working days to an answer
    → how many answers), items, at_risk and budget.
    """

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("territory"), on_delete=models.CASCADE, related_name="+"
    )
    period_code = models.CharField(_("period"), max_length=10)
    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))
    # reports.selectors.data_version when computed: equal means nothing changed since.
    data_version = models.CharField(_("data version"), max_length=100)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("territory figures")
        verbose_name_plural = _("territory figures")
        constraints = [models.UniqueConstraint(fields=["unit", "period_code"], name="territory_figures_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_code}"
