"""Forms parse input; the services decide. Staff forms list only what the user covers."""

import hashlib
from datetime import date

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.widgets import PlainSelect
from districts.models import AdministrativeUnit, Akim
from meetings.models import Meeting, PlanItem, Venue
from meetings.periods import Period, period_parse
from meetings.permissions import managed_units_q

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
_NO_PERIOD = Period("year", 1)


class DateTimeLocalField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATETIME_FORMAT)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def public_territories() -> QuerySet[AdministrativeUnit]:
    """Territories whose akims meet residents: settlements are reached through their okrugs."""
    return AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.SETTLEMENT).order_by("path")


class TerritoryChoiceIterator(ModelChoiceIterator):
    """A drill-down through the territory tree, rendered without JavaScript.

    Offers the top two levels (regions and cities, their districts and cities) and, around the
    chosen territory, its ancestors, its siblings and its children: choosing a district and
    pressing "Show" offers its rural okrugs. The options stay a few hundred however many okrugs
    there are; the field still accepts every territory of its queryset.
    """

    def __init__(self, field, chosen: str | None = None):
        super().__init__(field)
        self.chosen = chosen

    def around(self, value) -> "TerritoryChoiceIterator":
        """The same choices, drilled down to the rendered value (a slug or a list of them)."""
        values = value if isinstance(value, list | tuple | set) else [value]
        return TerritoryChoiceIterator(self.field, next((str(v) for v in values if v not in (None, "")), None))

    def shown(self) -> QuerySet[AdministrativeUnit]:
        near = Q(depth__lte=1)
        unit = self._chosen_unit() if self.chosen else None
        if unit is not None:
            lineage = [*unit.ancestor_ids, unit.pk]
            near |= Q(pk__in=lineage) | Q(parent_id__in=lineage)
        return self.queryset.filter(near)

    def _chosen_unit(self) -> AdministrativeUnit | None:
        if hasattr(self.field, "chosen_unit"):
            return self.field.chosen_unit(self.chosen)
        return self.queryset.filter(**{self.field.to_field_name or "pk": self.chosen}).first()

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self._options()

    def __len__(self):
        return len(self._options()) + (self.field.empty_label is not None)

    def _options(self) -> list[tuple[str, str]]:
        """Plain (slug, label) pairs, cached: every list page of the site renders them.

        The key holds the tree's size and newest id, so an added or removed territory shows at
        once; a renamed one within TERRITORY_OPTIONS_CACHE_SECONDS.
        """
        field_key = self.field.to_field_name or "pk"
        tree = AdministrativeUnit.objects.aggregate(newest=Max("pk"), count=Count("pk"))
        fingerprint = f"{self.queryset.query}|{self.chosen}|{get_language()}|{field_key}|{tree}"
        key = "territory-options:" + hashlib.sha256(fingerprint.encode()).hexdigest()
        options = cache.get(key)
        if options is None:
            rows = self.shown().values_list(field_key, "name", "depth")
            options = [(value, territory_label(name, depth)) for value, name, depth in rows]
            cache.set(key, options, settings.TERRITORY_OPTIONS_CACHE_SECONDS)
        return options


def territory_label(name: str, depth: int) -> str:
    return "— " * depth + name


class TerritorySelect(PlainSelect):
    """A <select> whose options follow the chosen value (see TerritoryChoiceIterator)."""

    def optgroups(self, name, value, attrs=None):
        choices = self.choices
        if isinstance(choices, TerritoryChoiceIterator):
            self.choices = choices.around(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices

    def use_required_attribute(self, initial) -> bool:
        # As Select decides (only with an empty first option), without running the query.
        if isinstance(self.choices, TerritoryChoiceIterator):
            return not self.is_hidden and self.choices.field.empty_label is not None
        return super().use_required_attribute(initial)

    def options_for(self, values):
        if isinstance(self.choices, TerritoryChoiceIterator):
            return self.choices.around(values)
        return self.choices


def territory_drill_down(
    field: forms.ModelChoiceField, queryset: QuerySet[AdministrativeUnit] | None = None
) -> forms.ModelChoiceField:
    """Render any territory ModelChoiceField as the drill-down; validation keeps `queryset`.

    A form calls it on its bound copy: `territory_drill_down(self.fields["territory"])`.
    """
    if not isinstance(field.widget, TerritorySelect):
        field.widget = TerritorySelect(attrs=field.widget.attrs)
    field.iterator = TerritoryChoiceIterator
    field.queryset = queryset if queryset is not None else public_territories()  # also resets the widget
    return field


class TerritoryField(forms.ModelChoiceField):
    """A territory chosen by slug; `drill_down()` renders the tree level by level.

    Validation always uses the whole queryset: only the rendered options are limited.
    """

    widget = TerritorySelect

    def __init__(self, queryset=None, *, drill_down: bool = False, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("There is no such territory; choose one from the list.")}
        )
        self._chosen: AdministrativeUnit | None = None
        super().__init__(queryset if queryset is not None else AdministrativeUnit.objects.all(), **kwargs)
        if drill_down:
            self.drill_down()

    def drill_down(self, queryset: QuerySet[AdministrativeUnit] | None = None) -> "TerritoryField":
        """Offer the tree level by level; the queryset defaults to the public territories."""
        territory_drill_down(self, queryset)
        return self

    def chosen_unit(self, slug: str) -> AdministrativeUnit | None:
        """The chosen territory, without a second query when this form already looked it up."""
        if self._chosen is not None and getattr(self._chosen, self.to_field_name or "pk") == slug:
            return self._chosen
        return self.queryset.filter(**{self.to_field_name or "pk": slug}).first()

    def to_python(self, value):
        unit = super().to_python(value)
        self._chosen = unit
        return unit

    def prepare_value(self, value):
        if isinstance(value, AdministrativeUnit):
            self._chosen = value
        return super().prepare_value(value)

    def label_from_instance(self, obj: AdministrativeUnit) -> str:
        return territory_label(obj.name, obj.depth)


class MeetingFilterForm(forms.Form):
    territory = TerritoryField(label=_("Territory"), required=False, empty_label=_("All territories"), drill_down=True)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Meeting.Kind.choices])
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    remember = forms.BooleanField(label=_("Remember as my district"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_to"] < cleaned["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class ForgetTerritoryForm(forms.Form):
    """`?forget` (or an empty `?territory=`) drops the remembered district."""

    forget = forms.BooleanField(label=_("Forget my district"), required=False)


class MonthField(forms.CharField):
    """ "2025-03": the first day of that month (years 2000–2100)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        year, _dash, month = value.partition("-")
        if not (year.isascii() and year.isdigit() and month.isascii() and month.isdigit()):
            raise forms.ValidationError(_("Enter a month such as 2025-03."), code="invalid")
        if not (2000 <= int(year) <= 2100 and 1 <= int(month) <= 12):
            raise forms.ValidationError(_("Enter a month such as 2025-03."), code="invalid")
        return date(int(year), int(month), 1)


class PeriodField(forms.CharField):
    """ "2025", "2025-H2" or "2025-Q3"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("A year (2025), a half-year (2025-H2) or a quarter (2025-Q3)."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        period = period_parse(value, default=_NO_PERIOD)
        if period is _NO_PERIOD:
            raise forms.ValidationError(
                _("Enter a year (2025), a half-year (2025-H2) or a quarter (2025-Q3)."), code="invalid"
            )
        return period


class CalendarForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)


class MandateQueryForm(forms.Form):
    territory = TerritoryField(label=_("Territory"), required=False)
    period = PeriodField(label=_("Quarter"), required=False)


class PlanQueryForm(forms.Form):
    territory = TerritoryField(label=_("Territory"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class StaffMeetingListForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", "—"), *Meeting.Status.choices])


class StaffMeetingNewForm(forms.Form):
    """The territory a new meeting is offered for (`?unit=<slug>`, from a territory's page)."""

    unit = TerritoryField(label=_("Territory"), required=False)


class TerritoryPickForm(forms.Form):
    """The territory <select> of the reporting-duty and annual-plan pages, as a drill-down."""

    territory = TerritoryField(label=_("Territory"), empty_label=None, drill_down=True)


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
