from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from questions.models import TEXT_MAX_LENGTH, TEXT_MIN_LENGTH, Category, Question
from questions.selectors import QUEUES, categories_active


def _name(unit: AdministrativeUnit) -> str:
    return (unit.name_ru if get_language() == "ru" else unit.name_kk) or unit.name


class TerritorySelect(forms.Select):
    """A <select> grouped by region or city; each option carries both names for the search."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = getattr(value, "instance", None)
        if unit is not None:
            option["attrs"]["data-names"] = f"{unit.name_kk} {unit.name_ru}".lower()
        return option


class GroupedTerritoryIterator(forms.models.ModelChoiceIterator):
    """Options grouped under their region or city of republican significance (one query)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[int, list] = {}
        for unit in self.queryset:  # ordered by path: a group's first member is its top
            groups.setdefault(int(unit.path.strip("/").split("/")[0]), []).append(unit)
        for members in groups.values():
            yield (_name(members[0]), [self.choice(unit) for unit in members])


class TerritoryField(forms.ModelChoiceField):
    widget = TerritorySelect
    iterator = GroupedTerritoryIterator

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", AdministrativeUnit.objects.order_by("path"))
        kwargs.setdefault("empty_label", "—")
        super().__init__(**kwargs)

    def label_from_instance(self, unit: AdministrativeUnit) -> str:
        return "— " * max(unit.depth - 1, 0) + _name(unit)


def _meeting_label(meeting: Meeting) -> str:
    when = formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")
    title = (meeting.title_ru if get_language() == "ru" else meeting.title_kk) or meeting.title
    return f"{when} · {title} · {_name(meeting.unit)}"


class MeetingField(forms.ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return _meeting_label(meeting)


class QuestionForm(forms.Form):
    unit = TerritoryField(label=_("Where is the problem?"), help_text=_("Choose the territory, or type to search."))
    category = forms.ModelChoiceField(label=_("Topic"), queryset=Category.objects.none(), empty_label="—")
    meeting = MeetingField(
        label=_("For a meeting (optional)"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not for a particular meeting"),
    )
    text = forms.CharField(
        label=_("Your question"),
        min_length=TEXT_MIN_LENGTH,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("From 10 to 2,000 characters. Do not write personal data: it will be hidden anyway."),
    )
    language = forms.ChoiceField(label=_("Language of the question"), choices=Question.Language.choices)
    author_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    contact_phone = forms.CharField(
        label=_("or phone"), max_length=20, required=False, help_text=_("For example +7 701 234 56 78.")
    )
    is_official_appeal = forms.BooleanField(
        label=_("Register it as an official appeal (answer within 15 working days by law)"), required=False
    )
    full_name = forms.CharField(label=_("Full name"), max_length=300, required=False)
    postal_address = forms.CharField(label=_("Postal address"), max_length=500, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False)
    # A field people never see: bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_active()
        self.fields["meeting"].queryset = meetings if meetings is not None else Meeting.objects.none()
        self.fields["language"].initial = (get_language() or "kk")[:2]

    def clean(self):
        data = super().clean()
        if not data.get("contact_email") and not data.get("contact_phone") and not self.has_error("contact_email"):
            self.add_error(
                "contact_email", _("Give an email address or a phone number so we can confirm the question.")
            )
        return data


# --- Query strings (core.query.read) ---------------------------------------------------------


def _public_status_choices():
    return [("", "—"), *((v, label) for v, label in Question.Status.choices if v in Question.PUBLIC_STATUSES)]


class PublicListQuery(forms.Form):
    """The filters of the public lists. `q` takes any text (the view keeps 200 characters)."""

    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ModelChoiceField(
        label=_("Topic"), queryset=Category.objects.all(), to_field_name="slug", required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=_public_status_choices, required=False)
    unit = forms.ModelChoiceField(
        label=_("Territory"), queryset=AdministrativeUnit.objects.all(), to_field_name="slug", required=False
    )
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.public(), required=False)


class AskQuery(forms.Form):
    """What a link to the form may choose beforehand: the territory and the meeting."""

    unit = forms.ModelChoiceField(queryset=AdministrativeUnit.objects.all(), to_field_name="slug", required=False)
    meeting = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class SimilarQuery(forms.Form):
    unit = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    text = forms.CharField(required=False)


class StaffListQuery(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    queue = forms.ChoiceField(label=_("Queue"), choices=[("", "—"), *((q, q) for q in QUEUES)], required=False)
    category = forms.ModelChoiceField(
        label=_("Topic"), queryset=Category.objects.all(), to_field_name="slug", required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—"), *Question.Status.choices], required=False)
    unit = forms.ModelChoiceField(
        label=_("Territory"), queryset=AdministrativeUnit.objects.all(), to_field_name="slug", required=False
    )


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the message"), max_length=6, min_length=6)


class RateForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Did the answer help?"),
        choices=[("yes", _("Yes, satisfied")), ("no", _("No, not satisfied"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SupportForm(forms.Form):
    contact = forms.CharField(label=_("Your email or phone"), max_length=254)


# --- Staff --------------------------------------------------------------------------------


class AcceptForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_active()


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Question.RejectReason.choices)
    duplicate_of = forms.IntegerField(
        label=_("Number of the original question"), required=False, help_text=_("For duplicates.")
    )
    note = forms.CharField(label=_("Note to the author"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())

    def __init__(self, *args, unit: AdministrativeUnit | None = None, units=None, **kwargs):
        """`unit`: a question's territory; `units`: the territories of a staff member's queue
        (the bulk action), so that its list holds their departments, not the country's."""
        super().__init__(*args, **kwargs)
        queryset = Department.objects.select_related("unit").order_by("unit__path", "name")
        if unit is not None:
            units = [unit]
        if units is not None:
            ids = {pk for item in units for pk in (*item.ancestor_ids, item.pk)}
            queryset = queryset.filter(unit_id__in=sorted(ids))
        self.fields["department"].queryset = queryset


class ExtendForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Reason (the author will read it)"), widget=forms.Textarea(attrs={"rows": 2}))


class ForwardForm(forms.Form):
    forwarded_to = forms.CharField(label=_("Forwarded to (the competent body)"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False)


class AnswerForm(forms.Form):
    answer_text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Question.Outcome.choices)


class OnTheSpotForm(forms.Form):
    meeting = MeetingField(label=_("Meeting"), queryset=Meeting.objects.none())
    answer_text = forms.CharField(label=_("Answer given"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Question.Outcome.choices, initial="explained")

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings if meetings is not None else Meeting.objects.none()


class EnterForm(forms.Form):
    unit = TerritoryField(label=_("Territory"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    meeting = MeetingField(label=_("Meeting"), queryset=Meeting.objects.none(), required=False)
    source = forms.ChoiceField(
        label=_("How it was raised"),
        choices=[c for c in Question.Source.choices if c[0] != Question.Source.ONLINE],
    )
    language = forms.ChoiceField(label=_("Language"), choices=Question.Language.choices)
    text = forms.CharField(
        label=_("Question"), min_length=TEXT_MIN_LENGTH, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea
    )
    author_name = forms.CharField(label=_("Name of the resident"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    def __init__(self, *args, units=None, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units.order_by("path")
        self.fields["category"].queryset = categories_active()
        self.fields["meeting"].queryset = meetings if meetings is not None else Meeting.objects.none()
