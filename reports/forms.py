"""Forms parse input; the services decide. Staff forms offer only what the user covers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.widgets import PlainSelect
from districts.models import AdministrativeUnit, Akim, Department
from meetings.forms import PeriodField, territory_drill_down
from meetings.models import Meeting
from reports.models import ActionItem, Report
from reports.permissions import managed_q


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Enter a date such as 2025-03-14.")}


class TerritoryField(forms.ModelChoiceField):
    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("There is no such territory; choose one from the list.")}
        )
        super().__init__(queryset if queryset is not None else AdministrativeUnit.objects.all(), **kwargs)

    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return "— " * obj.depth + obj.name


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    territory = TerritoryField(label=_("Territory"), required=False, empty_label=_("All territories"))
    akim = forms.ModelChoiceField(
        label=_("Akim"),
        queryset=Akim.objects.none(),
        required=False,
        empty_label=_("All akims"),
        widget=PlainSelect,
        error_messages={"invalid_choice": _("There is no such akim; choose one from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of meeting"),
        required=False,
        widget=PlainSelect,
        choices=[("", _("All kinds")), *Meeting.Kind.choices],
        error_messages={"invalid_choice": _("There is no such kind of meeting.")},
    )
    period = PeriodField(label=_("Period"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        territory_drill_down(self.fields["territory"])  # non-settlements, rendered level by level
        # Akims who hosted a meeting that has a published report: those of the chosen territory.
        # Thousands of akims in one list would help no one (and weigh 100 KB on a phone); an
        # akim given in the address without a territory is still accepted, and shown alone.
        hosts = Akim.objects.filter(hosted_meetings__reports__status="published").distinct().order_by("full_name")
        territory = AdministrativeUnit.objects.filter(slug=self.data.get("territory") or "").first()
        if territory is not None:
            self.fields["akim"].queryset = hosts.filter(unit__path__startswith=territory.path)
        elif str(self.data.get("akim") or "").isdigit():
            self.fields["akim"].queryset = hosts.filter(pk=self.data["akim"])
        else:
            self.fields["akim"].queryset = Akim.objects.none()
            self.fields["akim"].help_text = _("Choose a territory first to pick one of its akims.")


class SearchQuery(forms.Form):
    """`q` takes any text (the view keeps 200 characters)."""

    q = forms.CharField(label=_("Search"), required=False)
    territory = TerritoryField(label=_("Territory"), required=False)


class StaffReportListQuery(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *Report.Status.choices])


class ReportNewQuery(forms.Form):
    """What a link to a new report may choose beforehand: the territory and the meeting."""

    unit = TerritoryField(required=False)
    meeting = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ScorecardForm(forms.Form):
    period = PeriodField(label=_("Period"), required=False)


class ExportForm(forms.Form):
    territory = TerritoryField(label=_("Territory"), required=False, empty_label=_("All territories"))
    period = PeriodField(label=_("Period"), required=False)


# --- Staff ------------------------------------------------------------------------------------


class StaffForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class ReportForm(StaffForm):
    unit = TerritoryField(label=_("Territory"))
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("No meeting: a programme cycle or a period"),
        error_messages={"invalid_choice": _("Choose a meeting of your territories from the list.")},
    )
    period_start = DateField(label=_("Period from"), required=False)
    period_end = DateField(label=_("Period to"), required=False)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    lead_kk = forms.CharField(
        label=_("Lead in Kazakh"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lead_ru = forms.CharField(
        label=_("Lead in Russian"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body_kk = forms.CharField(
        label=_("Text in Kazakh (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    body_ru = forms.CharField(
        label=_("Text in Russian (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    author_name = forms.CharField(label=_("Author, as printed"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(managed_q(self.user, prefix="")).order_by(
            "path"
        )
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(managed_q(self.user))
            .exclude(status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
            .select_related("unit")
            .order_by("-starts_at")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title_kk") and not cleaned.get("title_ru") and not self.errors:
            self.add_error("title_kk", _("Give the title in Kazakh or in Russian."))
        return cleaned


class ReportEditForm(ReportForm):
    """The territory of a report does not change after it is created."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


# A FileField, not an ImageField: the service checks the photo (core.images.open_photo), and
# says which of type, size or pixels is wrong, where an ImageField says "not an image" first.
PHOTO_INPUT = forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})


class CoverForm(forms.Form):
    cover = forms.FileField(
        label=_("Cover photo"),
        help_text=_("JPEG, PNG or WebP, at least 600 × 300 pixels, at most 5 MB."),
        widget=PHOTO_INPUT,
        error_messages={"required": _("Choose a photo to upload.")},
    )
    cover_alt_kk = forms.CharField(label=_("Description of the photo in Kazakh"), max_length=300, required=False)
    cover_alt_ru = forms.CharField(label=_("Description of the photo in Russian"), max_length=300, required=False)


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report taken down?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(StaffForm):
    file = forms.FileField(
        label=_("Press release (.md)"), help_text=_("Markdown with front matter; see the format below.")
    )
    unit = TerritoryField(label=_("Territory"))
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    cover = forms.FileField(label=_("Cover photo"), required=False, widget=PHOTO_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(managed_q(self.user, prefix="")).order_by(
            "path"
        )
        self.fields["meeting"].queryset = Meeting.objects.filter(managed_q(self.user)).exclude(
            status=Meeting.Status.DRAFT
        )


class PlanForm(StaffForm):
    unit = TerritoryField(label=_("Territory"))
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    period_start = DateField(label=_("Period from"))
    period_end = DateField(label=_("Period to"))
    source_meetings = forms.ModelMultipleChoiceField(
        label=_("Source meetings"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(managed_q(self.user, prefix="")).order_by(
            "path"
        )
        self.fields["source_meetings"].queryset = (
            Meeting.objects.filter(managed_q(self.user), status=Meeting.Status.HELD)
            .select_related("unit")
            .order_by("-starts_at")
        )
        year = timezone.localdate().year
        self.fields["period_start"].initial = f"{year}-01-01"
        self.fields["period_end"].initial = f"{year}-12-31"


class ItemForm(StaffForm):
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    responsible = forms.CharField(label=_("Responsible person"), max_length=200, required=False)
    due_on = DateField(label=_("Due on"))
    budget = forms.DecimalField(
        label=_("Budget, tenge"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        error_messages={"invalid": _("Give the budget in tenge, for example 12500000.")},
    )
    funding = forms.ChoiceField(label=_("Funding source"), choices=ActionItem.Funding.choices)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            ancestors = [*plan.unit.ancestor_ids, plan.unit.pk]
            self.fields["department"].queryset = Department.objects.filter(unit_id__in=ancestors).order_by("name")


class ProgressForm(forms.Form):
    progress = forms.IntegerField(
        label=_("Progress, %"),
        min_value=0,
        max_value=99,
        error_messages={
            "invalid": _("Give the progress as a number from 0 to 99; mark the item done when the work is finished."),
            "min_value": _("Give the progress as a number from 0 to 99; mark the item done when the work is finished."),
            "max_value": _("Give the progress as a number from 0 to 99; mark the item done when the work is finished."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=500, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the item cancelled?"), max_length=500)


class LinkQuestionsForm(forms.Form):
    questions = forms.CharField(
        label=_("Question numbers"),
        max_length=500,
        help_text=_("Questions answered as “planned”, for example #120, #121."),
    )
