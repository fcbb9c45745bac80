"""Forms parse input; the services decide. Staff forms list only what the user covers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from districts.models import AdministrativeUnit, Akim
from meetings.models import Meeting, PlanItem, Venue
from meetings.permissions import managed_units_q

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TerritoryField(forms.ModelChoiceField):
    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("There is no such territory; choose one from the list.")}
        )
        super().__init__(queryset if queryset is not None else AdministrativeUnit.objects.all(), **kwargs)

    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return "— " * obj.depth + obj.name


class MeetingFilterForm(forms.Form):
    territory = TerritoryField(label=_("Territory"), required=False, empty_label=_("All territories"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Meeting.Kind.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    remember = forms.BooleanField(label=_("Remember as my district"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only territories that have akims meet residents: settlements are reached through okrugs.
        self.fields["territory"].queryset = AdministrativeUnit.objects.exclude(
            kind=AdministrativeUnit.Kind.SETTLEMENT
        ).order_by("path")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ContactForm(forms.Form):
    """Name and a way to reach the resident; the service validates and normalises them."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.CharField(label=_("Email"), max_length=254, required=False, widget=forms.EmailInput())
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("An email or a phone number is enough. Neither is ever shown publicly."),
    )


class RegistrationForm(ContactForm):
    pass


class BookingForm(ContactForm):
    topic = forms.CharField(label=_("What would you like to discuss?"), max_length=300, required=False)


class _StaffForm(forms.Form):
    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)


class MeetingForm(_StaffForm):
    unit = TerritoryField(label=_("Territory"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    description_kk = forms.CharField(label=_("Description in Kazakh"), widget=forms.Textarea, required=False)
    description_ru = forms.CharField(label=_("Description in Russian"), widget=forms.Textarea, required=False)
    starts_at = DateTimeLocalField(label=_("Starts at"))
    ends_at = DateTimeLocalField(label=_("Ends at"))
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    host = forms.ModelChoiceField(label=_("Host akim"), queryset=Akim.objects.none(), required=False)
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Leave empty to use the venue's capacity.")
    )
    registration_open = forms.BooleanField(label=_("Registration open"), required=False, initial=True)
    questions_close_at = DateTimeLocalField(
        label=_("Questions accepted until"), required=False, help_text=_("24 hours before the start if left empty.")
    )
    livestream_url = forms.URLField(label=_("Livestream link"), required=False, assume_scheme="https")
    plan_item = forms.ModelChoiceField(
        label=_("From the annual plan"), queryset=PlanItem.objects.none(), required=False
    )
    publish = forms.BooleanField(
        label=_("Announce now"), required=False, initial=True, help_text=_("Otherwise it is saved as a draft.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.filter(managed_units_q(self.user, prefix="")).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(managed_units_q(self.user), meeting__isnull=True)
            .select_related("unit")
            .order_by("planned_on")
        )
        self.fields["venue"].queryset = Venue.objects.select_related("unit").order_by("name")
        self.fields["host"].queryset = Akim.objects.select_related("unit").order_by("unit__path", "-term_start")


class MeetingUpdateForm(_StaffForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    description_kk = forms.CharField(label=_("Description in Kazakh"), widget=forms.Textarea, required=False)
    description_ru = forms.CharField(label=_("Description in Russian"), widget=forms.Textarea, required=False)
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    host = forms.ModelChoiceField(label=_("Host akim"), queryset=Akim.objects.none(), required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)
    registration_open = forms.BooleanField(label=_("Registration open"), required=False)
    questions_close_at = DateTimeLocalField(label=_("Questions accepted until"), required=False)
    livestream_url = forms.URLField(label=_("Livestream link"), required=False, assume_scheme="https")
    recording_url = forms.URLField(label=_("Recording link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.order_by("name")
        self.fields["host"].queryset = Akim.objects.select_related("unit").order_by("unit__path", "-term_start")


class RescheduleForm(forms.Form):
    starts_at = DateTimeLocalField(label=_("New start"))
    ends_at = DateTimeLocalField(label=_("New end"))
    note = forms.CharField(label=_("Why (optional)"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason, shown to residents"), widget=forms.Textarea(attrs={"rows": 2}))


class HeldForm(forms.Form):
    attendance = forms.IntegerField(label=_("Residents who attended"), min_value=1)
    recording_url = forms.URLField(label=_("Recording link"), required=False, assume_scheme="https")


class SpeakerForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=200)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200, required=False)
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=300, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=300, required=False)


class AgendaItemForm(forms.Form):
    title_kk = forms.CharField(label=_("Item in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Item in Russian"), max_length=300, required=False)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=600)
    is_akim_report = forms.BooleanField(label=_("The akim's presentation"), required=False)


class SlotForm(forms.Form):
    official_kk = forms.CharField(label=_("Official, in Kazakh"), max_length=200)
    official_ru = forms.CharField(label=_("Official, in Russian"), max_length=200, required=False)
    position_kk = forms.CharField(label=_("Position in Kazakh"), max_length=300, required=False)
    position_ru = forms.CharField(label=_("Position in Russian"), max_length=300, required=False)
    starts_at = DateTimeLocalField(label=_("Starts at"))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=120, initial=15)


class PlanItemForm(_StaffForm):
    unit = TerritoryField(label=_("Territory"))
    planned_on = forms.DateField(label=_("Planned date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(
            managed_units_q(self.user, prefix="")
        ).order_by("path")
