"""Query strings: the one place pages read them.

Every parameter a page reads from `request.GET` goes through a form (`read()`): typed fields
(integers with bounds, dates, choices, territories by slug) turn any value into either a clean
Python value or a field error — never an exception deeper down (PostgreSQL refusing an integer
out of range, `date(99999, 1, 15)`, a NUL character in a LIKE). A value the form refuses is
ignored (the page falls back to the field's default) and the page says so, in the reader's
language: "not recognised: Year".

`QueryStringGuard` (a middleware) refuses what no parameter can hold before any view runs: NUL
characters, which no form field accepts and PostgreSQL refuses to compare. The API parses with
DRF serializers and django-filter filtersets, which answer a refused value with a 400 in the
error shape.

tests/core/test_hostile_query_strings.py walks every route with hostile values for every
parameter it reads and requires a 4xx, or a page that accepted the value through this module,
or one that says it did not.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NOT_RECOGNISED = _("Not recognised, so not applied: %(fields)s.")
# The CSS class of every "not recognised" notice (the hostile-value walk looks for it).
MARK = "not-recognised"
REFUSED = _("The address has a character no search or filter can contain.")


def read(request: HttpRequest, form_class: type[forms.Form], *, data=None, **form_kwargs) -> tuple[forms.Form, dict]:
    """Bind `form_class` to the query string (or to `data`, the query string with defaults
    added) and return (form, values).

    `values` has every field: the cleaned value, or the field's initial value (None) when the
    parameter is absent or refused. Refused parameters are named on the page in a warning.
    """
    form = form_class(request.GET if data is None else data, **form_kwargs)
    form.is_valid()
    values, refused = {}, []
    for name, field in form.fields.items():
        if name in form.errors:
            if name in request.GET:
                refused.append(name)
            values[name] = field.initial
        else:
            values[name] = form.cleaned_data.get(name, field.initial)
    record(request, accepted=[name for name in form.fields if name in request.GET and name not in refused])
    if refused:
        record(request, refused=refused)
        labels = ", ".join(str(form.fields[name].label or name) for name in refused)
        messages.warning(request, NOT_RECOGNISED % {"fields": labels}, extra_tags=MARK)
    return form, values


def check(request: HttpRequest, form: forms.Form) -> bool:
    """Validate a form bound to the query string, for a page that answers 400 with the form's
    errors when a value is refused (instead of ignoring it with a notice, as `read()` does)."""
    valid = form.is_valid()
    given = [name for name in form.fields if name in request.GET]
    record(request, accepted=[n for n in given if n not in form.errors], refused=[n for n in given if n in form.errors])
    return valid


def record(request: HttpRequest, *, accepted=(), refused=()) -> None:
    """Note which parameters this request accepted or refused (the hostile-value walk reads it)."""
    request.query_accepted = getattr(request, "query_accepted", set()) | set(accepted)
    request.query_refused = getattr(request, "query_refused", set()) | set(refused)


class PageField(forms.IntegerField):
    """A page number: a positive integer with a ceiling no real list reaches."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 1_000_000)
        kwargs.setdefault("label", _("Page"))
        super().__init__(**kwargs)


class PageForm(forms.Form):
    page = PageField()


def page_number(request: HttpRequest) -> int:
    """The `page` parameter, read as every other one (1 when absent or refused)."""
    return read(request, PageForm)[1]["page"] or 1


class QueryStringGuard:
    """Refuse a query string with a NUL character: 400, JSON under /api/, a page elsewhere
    (Open311, whose answers are JSON or XML by the URL's extension, refuses it in its views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/open311/"):
            return self.get_response(request)  # refused there too, in GeoReport's error list
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"message": gettext(REFUSED), "errors": {}}, status=400)
            return render(request, "core/bad_query.html", {"message": REFUSED}, status=400)
        return self.get_response(request)
