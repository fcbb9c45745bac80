"""Pages of cycles: parse the request, call a service or a selector, render."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import query
from core.errors import ApplicationError
from cycles import forms, press, selectors, services
from cycles.models import Cycle, Programme
from cycles.permissions import can_manage_cycle, is_cycle_staff
from meetings.models import Meeting
from meetings.permissions import can_manage_meeting
from reports.services import report_import_release


def _messages_of(error: Exception) -> list[str]:
    if isinstance(error, ApplicationError):
        return [str(error.message)]
    return [str(message) for message in error.messages]


def cycle_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.cycles_public(), 20).get_page(query.page_number(request))
    return render(request, "cycles/cycle_list.html", {"page": page})


def cycle_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cycle = selectors.cycle_public_detail(slug=slug)
    except Cycle.DoesNotExist:
        raise Http404 from None
    figures = selectors.cycle_figures(cycle=cycle)
    can_manage = request.user.is_authenticated and can_manage_cycle(request.user, cycle)
    return render(request, "cycles/cycle_detail.html", {"cycle": cycle, "figures": figures, "can_manage": can_manage})


def programme_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.select_related("unit"), slug=slug)
    results = selectors.programme_results(programme=programme)
    return render(request, "cycles/programme_detail.html", {"programme": programme, "results": results})


def staff_required(view):
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_cycle_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@staff_required
def staff_cycle_create_view(request: HttpRequest) -> HttpResponse:
    """Pick the territory, then one form: the cycle and a date, hours and venue per subdivision."""
    if request.method == "POST":
        pick = forms.CycleTerritoryForm(request.POST, user=request.user)
        unit = pick.cleaned_data["unit"] if pick.is_valid() else None
    else:
        pick, values = query.read(request, forms.CycleTerritoryForm, user=request.user)
        unit = values["unit"]
    if unit is None:
        status = 400 if request.method == "POST" else 200
        return render(request, "cycles/staff_cycle_form.html", {"pick": pick}, status=status)
    data = request.POST if request.method == "POST" else None
    form = forms.CycleForm(data, unit=unit, initial={"number": 1, "publish": True})
    rows = forms.slot_forms(unit, data)
    errors: list[str] = []
    if request.method == "POST":
        rows_valid = [row.is_valid() for row in rows]  # every row, so that every error shows
        if form.is_valid() and all(rows_valid):
            slots = [slot for row in rows if (slot := row.slot()) is not None]
            try:
                cycle = services.cycle_create(actor=request.user, unit=unit, slots=slots, **form.cleaned_data)
            except (ValidationError, ApplicationError) as error:
                errors = _messages_of(error)
            else:
                messages.success(request, _("The cycle and its meetings are saved."))
                return redirect(cycle.get_absolute_url())
    context = {"pick": pick, "unit": unit, "form": form, "rows": rows, "errors": errors}
    bad = request.method == "POST" and (errors or form.errors or any(row.errors for row in rows))
    return render(request, "cycles/staff_cycle_form.html", context, status=400 if bad else 200)


def _staff_cycle(request: HttpRequest, slug: str) -> Cycle:
    cycle = get_object_or_404(selectors.cycles_public(), slug=slug)
    if not can_manage_cycle(request.user, cycle):
        raise Http404  # staff must not learn what lies outside their territory
    return cycle


@staff_required
def staff_cycle_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = _staff_cycle(request, slug)
    form = forms.CycleMeetingAddForm(request.POST or None, cycle=cycle, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cycle_meeting_add(cycle=cycle, meeting=form.cleaned_data["meeting"], actor=request.user)
            except (ValidationError, ApplicationError) as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("The meeting is now part of the cycle."))
                return redirect("cycles:staff-detail", slug=cycle.slug)
        status = 400
    meetings = cycle.links.select_related("meeting__unit", "meeting__venue").order_by("meeting__starts_at")
    context = {"cycle": cycle, "form": form, "links": meetings}
    return render(request, "cycles/staff_cycle_detail.html", context, status=status)


@staff_required
@require_POST
def staff_cycle_meeting_remove_view(request: HttpRequest, slug: str, meeting_pk: int) -> HttpResponse:
    cycle = _staff_cycle(request, slug)
    link = get_object_or_404(cycle.links.select_related("meeting"), meeting_id=meeting_pk)
    try:
        with transaction.atomic():
            services.cycle_meeting_remove(cycle=cycle, meeting=link.meeting, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The meeting is no longer part of the cycle."))
    return redirect("cycles:staff-detail", slug=cycle.slug)


@staff_required
def staff_cycle_list_view(request: HttpRequest) -> HttpResponse:
    cycles = selectors.cycles_for_staff(user=request.user)
    page = Paginator(cycles, 20).get_page(query.page_number(request))
    return render(request, "cycles/staff_cycle_list.html", {"page": page, "can_create": True})


class DownloadForm(django_forms.Form):
    format = django_forms.ChoiceField(label=gettext_lazy("Format"), choices=[("md", "Markdown")], required=False)


class PressReleaseForm(django_forms.Form):
    text = django_forms.CharField(label=gettext_lazy("Draft"), widget=django_forms.Textarea(attrs={"rows": 24}))


def _press_page(request: HttpRequest, *, draft: str, name: str, unit, meeting=None, back: str) -> HttpResponse:
    """The draft to edit, download or import as a draft report (the import page's service)."""
    if query.read(request, DownloadForm)[1]["format"] == "md":
        response = HttpResponse(draft, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.md"'
        return response
    form = PressReleaseForm(request.POST or None, initial={"text": draft})
    if request.method == "POST" and form.is_valid():
        try:
            report = report_import_release(
                raw=form.cleaned_data["text"].encode("utf-8"),
                source_name=f"{name}.md",
                actor=request.user,
                unit=unit,
                meeting=meeting,
            )
        except (ValidationError, ApplicationError) as error:
            for message in _messages_of(error):
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The press release is imported as a draft: check both languages."))
            return redirect("reports:staff-edit", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cycles/staff_press_release.html", {"form": form, "back": back}, status=status)


@staff_required
def staff_cycle_press_view(request: HttpRequest, slug: str) -> HttpResponse:
    cycle = _staff_cycle(request, slug)
    return _press_page(
        request,
        draft=press.cycle_press_release(cycle=cycle),
        name=cycle.slug,
        unit=cycle.unit,
        back=reverse("cycles:staff-detail", kwargs={"slug": cycle.slug}),
    )


@staff_required
def staff_meeting_press_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.select_related("unit"), pk=pk)
    if not can_manage_meeting(request.user, meeting) or meeting.status == Meeting.Status.DRAFT:
        raise Http404
    return _press_page(
        request,
        draft=press.meeting_press_release(meeting=meeting),
        name=f"meeting-{meeting.pk}",
        unit=meeting.unit,
        meeting=meeting,
        back=reverse("meetings:staff-detail", kwargs={"pk": meeting.pk}),
    )
