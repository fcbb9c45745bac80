"""Pages: parse the request, call a service or a selector, render."""

import calendar
import csv
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import PersonalDataAccess
from core import query
from core.errors import ApplicationError
from core.kazakh import part
from core.pagination import keyset_page_of_request
from core.ratelimit import rate_limited
from districts.models import AdministrativeUnit
from meetings import calendars, forms, selectors, services
from meetings.models import AgendaItem, Meeting, PlanItem, ReceptionSlot, Registration, Speaker
from meetings.periods import current_quarter
from meetings.permissions import can_manage_meeting, is_meeting_staff, managed_units_q
from meetings.tokens import (
    booking_from_token,
    booking_manage_url,
    registration_from_token,
    registration_manage_url,
)

PAGE_SIZE = 20
MY_TERRITORY = "meetings_territory"


def _add_errors(form, error: Exception) -> None:
    """Put a service's refusal on the form: field errors where they belong, the rest on top."""
    if isinstance(error, ApplicationError):
        form.add_error(None, str(error.message))
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


# --- Public pages ------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[forms.MeetingFilterForm, dict]:
    """The list filters; "my district" comes from the session when the query names none."""
    data = request.GET.copy()
    if "territory" not in data and request.session.get(MY_TERRITORY):
        data["territory"] = request.session[MY_TERRITORY]
    form, values = query.read(request, forms.MeetingFilterForm, data=data)
    cleaned = {name: values[name] for name in ("kind", "date_from", "date_to")}
    cleaned["unit"] = values["territory"]
    forget = query.read(request, forms.ForgetTerritoryForm)[1]["forget"]
    if values["remember"] and cleaned["unit"] is not None:
        request.session[MY_TERRITORY] = cleaned["unit"].slug
    elif forget or ("territory" in request.GET and not request.GET["territory"]):
        request.session.pop(MY_TERRITORY, None)
    return form, cleaned


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(query.page_number(request))


def meeting_upcoming_view(request: HttpRequest) -> HttpResponse:
    form, cleaned = _filters(request)
    page = _page(request, selectors.meetings_upcoming(**cleaned))
    context = {"form": form, "page": page, "unit": cleaned["unit"], "my_territory": request.session.get(MY_TERRITORY)}
    return render(request, "meetings/meeting_upcoming.html", context)


def meeting_past_view(request: HttpRequest) -> HttpResponse:
    form, cleaned = _filters(request)
    page = _page(request, selectors.meetings_past(**cleaned))
    return render(request, "meetings/meeting_past.html", {"form": form, "page": page, "unit": cleaned["unit"]})


def meeting_calendar_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = query.read(request, forms.CalendarForm)[1]["month"] or today.replace(day=1)
    form, cleaned = _filters(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = timezone.make_aware(datetime.combine(weeks[0][0], time.min))
    end = timezone.make_aware(datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min))
    by_day = defaultdict(list)
    for meeting in selectors.meetings_between(start=start, end=end, unit=cleaned["unit"]):
        by_day[timezone.localtime(meeting.starts_at).date()].append(meeting)
    previous_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    context = {
        "form": form,
        "first": first,
        "today": today,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "previous_month": f"{previous_month:%Y-%m}",
        "next_month": f"{next_month:%Y-%m}",
        "unit": cleaned["unit"],
    }
    return render(request, "meetings/meeting_calendar.html", context)


def _questions_url(meeting: Meeting) -> str | None:
    """The questions app links a meeting's questions once it exists."""
    try:
        return reverse("questions:list") + f"?meeting={meeting.pk}"
    except NoReverseMatch:
        return None


def _ask_url(meeting: Meeting) -> str | None:
    """The ask form with the meeting and its territory chosen, while the meeting takes questions."""
    if not meeting.accepts_questions:
        return None
    try:
        return reverse("questions:ask") + f"?unit={meeting.unit.slug}&meeting={meeting.pk}"
    except NoReverseMatch:
        return None


def _detail_context(request: HttpRequest, meeting: Meeting, **extra) -> dict:
    context = {
        "meeting": meeting,
        "ask_url": _ask_url(meeting),
        "split": selectors.meeting_agenda_split(meeting=meeting),
        "registration_form": forms.RegistrationForm(),
        "booking_form": forms.BookingForm(),
        "blank_booking_form": forms.BookingForm(),
        "questions_url": _questions_url(meeting),
        "can_manage": can_manage_meeting(request.user, meeting),
    }
    context.update(extra)
    return context


def meeting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_public_detail(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    return render(request, "meetings/meeting_detail.html", _detail_context(request, meeting))


@require_POST
@rate_limited("meetings-register", limit="RATE_LIMIT_REGISTRATIONS", window=600)
def meeting_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        meeting = selectors.meeting_public_detail(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    form = forms.RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.registration_create(
                meeting=meeting, user=request.user, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            if registration.status == Registration.Status.REGISTERED:
                messages.success(request, _("You are registered. Keep this page's link to cancel if plans change."))
            else:
                messages.info(request, _("All seats are taken: you are on the waiting list."))
            return redirect(registration_manage_url(registration))
    return render(
        request, "meetings/meeting_detail.html", _detail_context(request, meeting, registration_form=form), status=400
    )


def registration_manage_view(request: HttpRequest, token: str) -> HttpResponse:
    """The signed link: shows the registration, offers the .ics, and cancels on POST."""
    registration = registration_from_token(token)
    if registration is None:
        raise Http404
    if request.method == "POST":
        try:
            registration = services.registration_cancel(registration=registration)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(request.path)
    waiting_ahead = None
    if registration.status == Registration.Status.WAITLISTED:
        waiting_ahead = registration.meeting.registrations.filter(
            status=Registration.Status.WAITLISTED, created_at__lt=registration.created_at
        ).count()
    context = {"registration": registration, "meeting": registration.meeting, "waiting_ahead": waiting_ahead}
    return render(request, "meetings/registration_manage.html", context)


@require_POST
@rate_limited("meetings-book", limit="RATE_LIMIT_REGISTRATIONS", window=600)
def reception_slot_book_view(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(ReceptionSlot.objects.exclude(meeting__status=Meeting.Status.DRAFT), pk=pk)
    form = forms.BookingForm(request.POST)
    if form.is_valid():
        try:
            booking = services.reception_slot_book(
                slot=slot, user=request.user, language=request.LANGUAGE_CODE, **form.cleaned_data
            )
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The slot is yours. We sent you a confirmation with a link to cancel."))
            return redirect(booking_manage_url(booking))
    meeting = selectors.meeting_public_detail(pk=slot.meeting_id)
    context = _detail_context(request, meeting, booking_form=form, booking_slot=slot)
    return render(request, "meetings/meeting_detail.html", context, status=400)


def booking_manage_view(request: HttpRequest, token: str) -> HttpResponse:
    booking = booking_from_token(token)
    if booking is None:
        raise Http404
    if request.method == "POST":
        try:
            services.reception_booking_cancel(booking=booking)
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your booking is cancelled."))
        return redirect(request.path)
    return render(request, "meetings/booking_manage.html", {"booking": booking, "meeting": booking.slot.meeting})


def meeting_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.public().select_related("venue", "unit"), pk=pk)
    body = calendars.calendar_build([meeting], name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def meeting_feed_view(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(AdministrativeUnit, slug=slug)
    name = _("Meetings: %(territory)s") % {"territory": unit.name}
    body = calendars.calendar_build(selectors.meetings_for_feed(unit=unit), name=name)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _territory(request: HttpRequest, chosen: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The territory the query names, else "my district", else the first top-level one."""
    if chosen is None and "territory" not in request.GET and request.session.get(MY_TERRITORY):
        chosen = AdministrativeUnit.objects.filter(slug=request.session[MY_TERRITORY]).first()
    return chosen or AdministrativeUnit.objects.top_level().order_by("name").first()


def mandate_view(request: HttpRequest) -> HttpResponse:
    _form, values = query.read(request, forms.MandateQueryForm)
    unit = _territory(request, values["territory"])
    quarter = values["period"] or current_quarter()
    if quarter.kind != "quarter":
        quarter = quarter.containing("quarter")
    # A region's table has a hundred and more akims: the rendered table is cached under a
    # version that changes with every meeting, so the report is computed only on a miss.
    report = SimpleLazyObject(lambda: selectors.mandate_report(unit=unit, quarter=quarter)) if unit else None
    context = {
        "unit": unit,
        "quarter": quarter,
        "report": report,
        "headline": SimpleLazyObject(lambda: _mandate_headline(report)) if unit else "",
        "version": selectors.mandate_version() if unit else "",
        "cache_seconds": settings.MANDATE_CACHE_SECONDS,
        "territory_form": forms.TerritoryPickForm(initial={"territory": unit}),
    }
    return render(request, "meetings/mandate.html", context)


def _mandate_headline(report: selectors.MandateReport) -> str:
    """The headline ("Almaty, Q4 2026: 3 of 8 districts held their report") as one sentence per
    language; the Kazakh one gives the part its ending: "8 ауданның 3-еуі" (core.kazakh)."""
    rows = report.child_rows
    if not rows:
        return ""
    held, total = sum(1 for row in rows if row.status == selectors.HELD), len(rows)
    kind = {row.office.kind for row in rows}
    kind = kind.pop() if len(kind) == 1 else None
    values = {
        "unit": report.unit.name,
        "held": part(held),
        "total": total,
        "quarter": report.quarter.index,
        "year": report.quarter.year,
    }
    if held == 0:
        message = {
            AdministrativeUnit.Kind.DISTRICT: _(
                "%(unit)s, Q%(quarter)s %(year)s: none of the %(total)s districts has held its report yet"
            ),
            AdministrativeUnit.Kind.RURAL_OKRUG: _(
                "%(unit)s, Q%(quarter)s %(year)s: none of the %(total)s rural okrugs has held its report yet"
            ),
        }.get(kind) or _("%(unit)s, Q%(quarter)s %(year)s: none of the %(total)s territories has held its report yet")
    elif held == total and total > 1:
        message = {
            AdministrativeUnit.Kind.DISTRICT: _(
                "%(unit)s, Q%(quarter)s %(year)s: all %(total)s districts held their report"
            ),
            AdministrativeUnit.Kind.RURAL_OKRUG: _(
                "%(unit)s, Q%(quarter)s %(year)s: all %(total)s rural okrugs held their report"
            ),
        }.get(kind) or _("%(unit)s, Q%(quarter)s %(year)s: all %(total)s territories held their report")
    elif kind == AdministrativeUnit.Kind.DISTRICT:
        message = ngettext(
            "%(unit)s, Q%(quarter)s %(year)s: %(held)s of %(total)s districts held its report",
            "%(unit)s, Q%(quarter)s %(year)s: %(held)s of %(total)s districts held their report",
            held,
        )
    elif kind == AdministrativeUnit.Kind.RURAL_OKRUG:
        message = ngettext(
            "%(unit)s, Q%(quarter)s %(year)s: %(held)s of %(total)s rural okrugs held its report",
            "%(unit)s, Q%(quarter)s %(year)s: %(held)s of %(total)s rural okrugs held their report",
            held,
        )
    else:
        message = ngettext(
            "%(unit)s, Q%(quarter)s %(year)s: %(held)s of %(total)s territories held its report",
            "%(unit)s, Q%(quarter)s %(year)s: %(held)s of %(total)s territories held their report",
            held,
        )
    return message % values


def plan_view(request: HttpRequest) -> HttpResponse:
    _form, values = query.read(request, forms.PlanQueryForm)
    unit = _territory(request, values["territory"])
    year = values["year"] or timezone.localdate().year
    items = list(selectors.plan_items(unit=unit, year=year)) if unit else []
    rows = [(item, selectors.plan_item_outcome(item)) for item in items]
    published = [item.published_at for item in items if item.published_at]
    deadline = date(year, 1, 15)
    context = {
        "unit": unit,
        "year": year,
        "rows": rows,
        "published_on": min(published) if published else None,
        "on_time": bool(published) and timezone.localtime(min(published)).date() <= deadline,
        "deadline": deadline,
        "kept": sum(1 for _item, outcome in rows if outcome == Meeting.Status.HELD),
        "territory_form": forms.TerritoryPickForm(initial={"territory": unit}),
    }
    return render(request, "meetings/plan.html", context)


# --- Staff workspace -------------------------------------------------------------------------


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_meeting_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _staff_meeting(request: HttpRequest, pk: int) -> Meeting:
    """A meeting in the user's territories, or 404: staff must not learn what lies elsewhere."""
    return get_object_or_404(
        selectors.meetings_for_staff(user=request.user).prefetch_related("speakers", "agenda", "reception_slots"),
        pk=pk,
    )


@staff_required
def staff_meeting_list_view(request: HttpRequest) -> HttpResponse:
    status = query.read(request, forms.StaffMeetingListForm)[1]["status"] or ""
    queryset = selectors.meetings_for_staff(user=request.user)
    if status:
        queryset = queryset.filter(status=status)
    # Earlier / later pages by (starts_at, id): no COUNT and no OFFSET over a city's meetings.
    page, cursor_error = keyset_page_of_request(request, queryset, size=PAGE_SIZE, ordering=("-starts_at", "-pk"))
    context = {"page": page, "cursor_error": cursor_error, "status": status, "statuses": Meeting.Status.choices}
    return render(request, "meetings/staff_meeting_list.html", context)


def _meeting_form_initial(request: HttpRequest) -> dict:
    start = (timezone.localtime() + timedelta(days=7)).replace(hour=11, minute=0, second=0, microsecond=0)
    initial = {"starts_at": start, "ends_at": start + timedelta(hours=2), "publish": True, "registration_open": True}
    unit = query.read(request, forms.StaffMeetingNewForm)[1]["unit"]
    if unit is not None:
        initial["unit"] = unit.slug
    return initial


@staff_required
def staff_meeting_create_view(request: HttpRequest) -> HttpResponse:
    form = forms.MeetingForm(request.POST or None, user=request.user, initial=_meeting_form_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:staff-detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/staff_meeting_form.html", {"form": form}, status=status)


def _manage_context(request: HttpRequest, meeting: Meeting, **forms_given) -> dict:
    registrations = meeting.registrations.aggregate(
        registered=Count("pk", filter=Q(status=Registration.Status.REGISTERED)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
    )
    context = {
        "meeting": meeting,
        "events": selectors.meeting_events(meeting=meeting),
        "split": selectors.meeting_agenda_split(meeting=meeting),
        "counts": registrations,
        "registrations": selectors.meeting_registrations(meeting=meeting),
        "reschedule_form": forms.RescheduleForm(
            initial={"starts_at": timezone.localtime(meeting.starts_at), "ends_at": timezone.localtime(meeting.ends_at)}
        ),
        "cancel_form": forms.CancelForm(),
        "held_form": forms.HeldForm(),
        "speaker_form": forms.SpeakerForm(),
        "agenda_form": forms.AgendaItemForm(),
        "slot_form": forms.SlotForm(initial={"starts_at": timezone.localtime(meeting.starts_at)}),
        "editable": meeting.status in services.EDITABLE,
    }
    context.update(forms_given)
    return context


@staff_required
def staff_meeting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _staff_meeting(request, pk)
    return render(request, "meetings/staff_meeting_detail.html", _manage_context(request, meeting))


def _staff_action(form_class, form_name: str, call, success: str):
    """A POST on the manage page: parse one form, call one service, re-render on refusal."""

    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _staff_meeting(request, pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                call(request, meeting, form.cleaned_data)
            except (ValidationError, ApplicationError) as error:
                _add_errors(form, error)
            else:
                messages.success(request, success())
                return redirect("meetings:staff-detail", pk=meeting.pk)
        meeting = _staff_meeting(request, pk)
        context = _manage_context(request, meeting, **{form_name: form})
        return render(request, "meetings/staff_meeting_detail.html", context, status=400)

    return view


staff_meeting_reschedule_view = _staff_action(
    forms.RescheduleForm,
    "reschedule_form",
    lambda request, meeting, data: services.meeting_reschedule(meeting=meeting, actor=request.user, **data),
    lambda: _("The meeting is rescheduled; calendars will pick up the new time."),
)
staff_meeting_cancel_view = _staff_action(
    forms.CancelForm,
    "cancel_form",
    lambda request, meeting, data: services.meeting_cancel(meeting=meeting, actor=request.user, **data),
    lambda: _("The meeting is cancelled."),
)
staff_meeting_held_view = _staff_action(
    forms.HeldForm,
    "held_form",
    lambda request, meeting, data: services.meeting_mark_held(meeting=meeting, actor=request.user, **data),
    lambda: _("The meeting is marked held."),
)
staff_speaker_add_view = _staff_action(
    forms.SpeakerForm,
    "speaker_form",
    lambda request, meeting, data: services.speaker_add(meeting=meeting, actor=request.user, **data),
    lambda: _("The speaker is added."),
)
staff_agenda_add_view = _staff_action(
    forms.AgendaItemForm,
    "agenda_form",
    lambda request, meeting, data: services.agenda_item_add(meeting=meeting, actor=request.user, **data),
    lambda: _("The agenda item is added."),
)
staff_slot_add_view = _staff_action(
    forms.SlotForm,
    "slot_form",
    lambda request, meeting, data: services.reception_slot_add(meeting=meeting, actor=request.user, **data),
    lambda: _("The reception slot is added."),
)


@staff_required
@require_POST
def staff_meeting_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _staff_meeting(request, pk)
    try:
        services.meeting_publish(meeting=meeting, actor=request.user)
    except (ValidationError, ApplicationError) as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(request, _("The meeting is announced."))
    return redirect("meetings:staff-detail", pk=meeting.pk)


def _messages_of(error: Exception) -> list[str]:
    if isinstance(error, ApplicationError):
        return [str(error.message)]
    return [str(message) for message in error.messages]


@staff_required
@require_POST
def staff_speaker_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = get_object_or_404(Speaker.objects.filter(managed_units_q(request.user, prefix="meeting__unit__")), pk=pk)
    try:
        services.speaker_remove(speaker=speaker, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("meetings:staff-detail", pk=speaker.meeting_id)


@staff_required
@require_POST
def staff_agenda_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.filter(managed_units_q(request.user, prefix="meeting__unit__")), pk=pk)
    try:
        services.agenda_item_remove(item=item, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("meetings:staff-detail", pk=item.meeting_id)


@staff_required
def staff_meeting_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _staff_meeting(request, pk)
    initial = {name: getattr(meeting, name) for name in services.UPDATABLE_FIELDS}
    if meeting.questions_close_at:
        initial["questions_close_at"] = timezone.localtime(meeting.questions_close_at)
    form = forms.MeetingUpdateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **changed)
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:staff-detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/staff_meeting_edit.html", {"form": form, "meeting": meeting}, status=status)


@staff_required
def staff_registrations_csv_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _staff_meeting(request, pk)
    _registrants_shown(request, meeting, PersonalDataAccess.Kind.REGISTRATIONS_CSV)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="registrations-{meeting.pk}-{slugify(meeting.unit.slug)}.csv"'
    )
    response.write("\ufeff")  # so that spreadsheet programs read the Cyrillic as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("Email"), _("Phone"), _("Status"), _("Registered at")])
    for registration in selectors.meeting_registrations(meeting=meeting):
        writer.writerow(
            [
                _csv_safe(registration.name),
                _csv_safe(registration.email),
                _csv_safe(registration.phone),
                registration.get_status_display(),
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


def _registrants_shown(request: HttpRequest, meeting: Meeting, kind: str) -> None:
    try:
        services.meeting_registrants_shown(meeting=meeting, actor=request.user, kind=kind)
    except PermissionDenied:
        raise Http404 from None


def _csv_safe(value: str) -> str:
    """A leading =, +, - or @ would run as a formula in a spreadsheet (CSV injection)."""
    return "'" + value if value[:1] in {"=", "+", "-", "@"} and not value[1:2].isdigit() else value


@staff_required
def staff_attendance_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _staff_meeting(request, pk)
    _registrants_shown(request, meeting, PersonalDataAccess.Kind.ATTENDANCE_SHEET)
    registrations = selectors.meeting_registrations(meeting=meeting).filter(status=Registration.Status.REGISTERED)
    return render(request, "meetings/staff_attendance_sheet.html", {"meeting": meeting, "registrations": registrations})


@staff_required
def staff_mandate_view(request: HttpRequest) -> HttpResponse:
    """What is missing in the user's territories this quarter (or the chosen one)."""
    quarter = query.read(request, forms.MandateQueryForm)[1]["period"] or current_quarter()
    if quarter.kind != "quarter":
        quarter = quarter.containing("quarter")
    roots = AdministrativeUnit.objects.filter(managed_units_q(request.user, prefix="")).order_by("path")
    # Only the top of each covered subtree: a report already includes what lies beneath.
    tops = []
    for unit in roots:
        if not any(unit.path.startswith(top.path) for top in tops):
            tops.append(unit)
    reports = [selectors.mandate_report(unit=unit, quarter=quarter) for unit in tops]
    return render(request, "meetings/staff_mandate.html", {"reports": reports, "quarter": quarter})


@staff_required
def staff_plan_view(request: HttpRequest) -> HttpResponse:
    form = forms.PlanItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and "publish" in request.POST:
        unit = get_object_or_404(
            AdministrativeUnit.objects.filter(managed_units_q(request.user, prefix="")), slug=request.POST.get("unit")
        )
        chosen = forms.PlanQueryForm({"year": request.POST.get("year")})
        if not chosen.is_valid():  # a year outside 2000–2100 publishes nothing
            messages.error(request, query.NOT_RECOGNISED % {"fields": chosen.fields["year"].label})
            return redirect("meetings:staff-plan")
        year = chosen.cleaned_data["year"] or timezone.localdate().year
        count = services.plan_publish(actor=request.user, unit=unit, year=year)
        messages.success(request, _("Published plan items: %(count)s.") % {"count": count})
        return redirect("meetings:staff-plan")
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The plan item is added."))
            return redirect("meetings:staff-plan")
    items = (
        PlanItem.objects.filter(managed_units_q(request.user))
        .select_related("unit", "meeting")
        .order_by("-year", "planned_on")
    )
    rows = [(item, selectors.plan_item_outcome(item)) for item in items]
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/staff_plan.html", {"form": form, "rows": rows}, status=status)
