"""Forms parse input; the services and selectors decide."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.audit import STREAMS, Cursor
from accounts.models import User

_DATE_ERRORS = {"invalid": _("Enter the date as YYYY-MM-DD, for example 2025-03-21.")}
_YEARS = (2000, 2100)


def _validate_year(value: date) -> None:
    if not _YEARS[0] <= value.year <= _YEARS[1]:
        raise forms.ValidationError(
            _("Choose a date between the years %(first)s and %(last)s."),
            params={"first": _YEARS[0], "last": _YEARS[1]},
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    """The audit trail's filters. Every field may be empty; a wrong one stops the search with a message."""

    type = forms.ChoiceField(
        label=_("Object type"),
        required=False,
        choices=[("", _("All types")), *((stream.key, stream.label) for stream in STREAMS)],
        error_messages={"invalid_choice": _("There is no such object type; choose one from the list.")},
    )
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS, validators=[_validate_year]
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=DateInput(), error_messages=_DATE_ERRORS, validators=[_validate_year]
    )

    def clean_actor(self) -> User | None:
        username = self.cleaned_data["actor"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username).only("pk", "username").first()
        if user is None:
            raise forms.ValidationError(_("There is no user with this username."))
        return user

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date is before the start date."))
        before = self.data.get("before", "")
        cleaned["before"] = None
        if before:
            try:
                cleaned["before"] = Cursor.parse(before)
            except ValueError:
                self.add_error(None, _("This page link is broken; start again from the newest records."))
        return cleaned

    def trail_filters(self) -> dict:
        """The cleaned filters as audit_trail() takes them; days are whole local days (Asia/Almaty)."""
        data = self.cleaned_data
        date_from, date_to = data.get("date_from"), data.get("date_to")
        return {
            "streams": [data["type"]] if data.get("type") else None,
            "actor_id": data["actor"].pk if data.get("actor") else None,
            "since": timezone.make_aware(datetime.combine(date_from, time.min)) if date_from else None,
            "until": timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min)) if date_to else None,
            "before": data.get("before"),
        }


class SignInForm(forms.Form):
    """A resident's first step: where to send the one-time code."""

    contact = forms.CharField(
        label=_("Email or phone"),
        max_length=254,
        help_text=_("The one you gave with your questions. We send a 6-digit code there."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form finds the accounts with that email (and says the same whether there are
    any or not); the link goes through the outbox, in each account's own language."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        services.password_reset_send(user=context["user"])
