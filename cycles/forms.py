"""Forms parse input; cycles.services decides. Staff forms list only what the user covers."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cycles.models import Cycle
from cycles.services import Slot
from districts.models import AdministrativeUnit, Akim
from meetings.forms import DateInput, TerritoryField
from meetings.models import Meeting, Venue
from meetings.permissions import managed_units_q


class CycleTerritoryForm(forms.Form):
    """`?unit=<slug>`: the territory whose subdivisions the cycle visits."""

    unit = TerritoryField(label=_("Territory"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.filter(managed_units_q(user, prefix=""), children__isnull=False)
            .distinct()
            .order_by("path")
        )


class CycleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Cycle.Kind.choices)
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=99, initial=1)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=250)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=250, required=False)
    host = forms.ModelChoiceField(label=_("Host akim"), queryset=Akim.objects.none(), required=False)
    publish = forms.BooleanField(
        label=_("Announce the meetings now"), required=False, initial=True, help_text=_("Otherwise they are drafts.")
    )

    def __init__(self, *args, unit: AdministrativeUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Akim.objects.filter(unit=unit).order_by("-term_start")


class SlotForm(forms.Form):
    """One subdivision's meeting: its day, hours and venue. A row without a day is left out."""

    day = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    starts = forms.TimeField(
        label=_("From"), initial=time(11, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("To"), initial=time(13, 0), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)

    def __init__(self, *args, territory: AdministrativeUnit, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["venue"].queryset = venues

    def slot(self) -> Slot | None:
        data = self.cleaned_data
        if not data.get("day"):
            return None
        zone = timezone.get_current_timezone()
        return Slot(
            unit=self.territory,
            starts_at=timezone.make_aware(datetime.combine(data["day"], data["starts"]), zone),
            ends_at=timezone.make_aware(datetime.combine(data["day"], data["ends"]), zone),
            venue=data.get("venue"),
        )


def slot_forms(unit: AdministrativeUnit, data=None) -> list[SlotForm]:
    """One row per subdivision of `unit`, each offering the venues of its own subtree."""
    children = list(AdministrativeUnit.objects.filter(parent=unit).order_by("name"))
    venues = list(Venue.objects.filter(unit__path__startswith=unit.path).select_related("unit").order_by("name"))
    rows = []
    for index, child in enumerate(children):
        own = Venue.objects.filter(pk__in=[v.pk for v in venues if v.unit.path.startswith(child.path)])
        rows.append(SlotForm(data, prefix=f"slot-{index}", territory=child, venues=own.order_by("name")))
    return rows


class CycleMeetingAddForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, cycle: Cycle, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(managed_units_q(user), unit__path__startswith=cycle.unit.path)
            .exclude(status=Meeting.Status.CANCELLED)
            .exclude(cycle_link__cycle=cycle)
            .order_by("-starts_at")
        )
