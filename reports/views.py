"""Pages: parse the request, call a service or a selector, render."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import query
from core.errors import ApplicationError
from core.masking import render_masked
from core.page_cache import anonymous_page_cache
from districts.models import AdministrativeUnit
from districts.selectors import units_top_level
from meetings.forms import TerritoryPickForm, public_territories
from meetings.periods import Period, current_quarter
from meetings.selectors import mandate_status, meetings_upcoming
from meetings.views import MY_TERRITORY
from questions.models import Question
from questions.selectors import questions_public
from reports import exports, forms, selectors, services
from reports.models import ActionItem, ActionPlan, Report
from reports.permissions import is_reports_staff, managed_q
from reports.rendering import markdown_to_html, markdown_to_text

PAGE_SIZE = 20

HOME_MEETINGS = 3
HOME_REPORTS = 3


def home_view(request: HttpRequest) -> HttpResponse:
    """Where a resident starts: the next meetings near "my district" (the territory the meetings
    list remembers), a way to ask, the latest reports and the akim's reporting duty there. With
    no territory remembered: the whole country, and a way to choose one. A fixed number of
    queries whatever the data. It lives here, at the top of the import chain, because it draws
    on meetings and reports (core/ knows no domain app)."""
    form, unit = _home_territory(request)
    quarter = current_quarter()
    ask_url = reverse("questions:ask") + (f"?unit={unit.slug}" if unit else "")
    context = {
        "unit": unit,
        "territory_form": form,
        "meetings": list(meetings_upcoming(unit=unit)[:HOME_MEETINGS]),
        "reports": list(selectors.reports_public(unit=unit)[:HOME_REPORTS]),
        "mandate": mandate_status(unit=unit, quarter=quarter) if unit else None,
        "quarter": quarter,
        "units": [] if unit else units_top_level(),
        "ask_url": ask_url,
    }
    return render(request, "reports/home.html", context, status=400 if form.errors else 200)


def _home_territory(request: HttpRequest) -> tuple[TerritoryPickForm, AdministrativeUnit | None]:
    """The remembered territory; choosing one here remembers it, an empty choice forgets it,
    and a territory that does not exist changes nothing (the form says why)."""
    slug = request.session.get(MY_TERRITORY)
    unit = public_territories().filter(slug=slug).first() if slug else None
    if "territory" not in request.GET:
        return TerritoryPickForm(initial={"territory": unit}), unit
    if not request.GET["territory"]:
        if MY_TERRITORY in request.session:
            del request.session[MY_TERRITORY]
        return TerritoryPickForm(), None
    form = TerritoryPickForm(request.GET)
    if not form.is_valid():
        return form, unit
    unit = form.cleaned_data["territory"]
    if request.session.get(MY_TERRITORY) != unit.slug:
        request.session[MY_TERRITORY] = unit.slug
    return form, unit


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(query.page_number(request))


def _add_errors(form, error: Exception) -> None:
    """A service's refusal on the form: field errors where they belong, the rest on top."""
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


def _current_year() -> Period:
    return Period("year", timezone.localdate().year)


# --- Public pages -------------------------------------------------------------------------------


@anonymous_page_cache(selectors.report_list_version, reads=[*forms.ReportFilterForm.base_fields, "page"])
def report_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.ReportFilterForm(request.GET or None)
    cleaned = {}
    if form.is_bound:
        query.check(request, form)
        # A bad filter is reported on the form and ignored; the good ones still apply.
        cleaned = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    unit = cleaned.get("territory")
    reports = selectors.reports_public(
        unit=unit,
        akim=cleaned.get("akim"),
        kind=cleaned.get("kind") or "",
        period=cleaned.get("period"),
        search=cleaned.get("q") or "",
    )
    context = {
        "form": form,
        "page": _page(request, reports),
        "unit": unit,
        "status": 400 if form.errors else 200,
    }
    return render(request, "reports/report_list.html", context, status=context["status"])


def _report_context(report: Report) -> dict:
    context = {
        "report": report,
        "body_html": markdown_to_html(report.body),
        "timeline": selectors.report_timeline(report=report),
        "items": selectors.report_action_items(report=report),
        "figures": None,
        "questions": [],
    }
    if report.meeting_id:
        context["figures"] = selectors.meeting_figures(meeting=report.meeting)
        context["questions"] = list(questions_public(meeting=report.meeting)[:10])
    return context


@anonymous_page_cache(selectors.data_version)  # its figures follow every question of the meeting
def report_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        report = selectors.report_public_detail(slug=slug)
    except Report.DoesNotExist:
        raise Http404 from None
    context = _report_context(report)
    context["description"] = render_masked(report.lead) or markdown_to_text(report.body)[:300]
    return render(request, "reports/report_detail.html", context)


def search_view(request: HttpRequest) -> HttpResponse:
    values = query.read(request, forms.SearchQuery)[1]
    text, unit = (values["q"] or "").strip()[:200], values["territory"]
    results = selectors.search(query=text, unit=unit) if text else None
    return render(request, "reports/search.html", {"query": text, "results": results, "unit": unit})


def scorecard_view(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(AdministrativeUnit, slug=slug)
    form = forms.ScorecardForm(request.GET or None)
    period = _current_year()
    status = 200
    if form.is_bound:
        if query.check(request, form):
            period = form.cleaned_data["period"] or period
        else:
            status = 400
    if not selectors.scorecard_period_known(period=period):
        message = _("There are no figures for %(period)s: choose a period from %(first)s to today.") % {
            "period": period.code,
            "first": selectors.scorecard_first_year(),
        }
        return render(request, "404.html", {"message": message}, status=404)
    scorecard = selectors.territory_scorecard(unit=unit, period=period)
    context = {"unit": unit, "form": form, "period": period, "card": scorecard}
    return render(request, "reports/scorecard.html", context, status=status)


def plan_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.ExportForm(request.GET or None)
    unit, period, status = None, _current_year(), 200
    if form.is_bound:
        if query.check(request, form):
            unit = form.cleaned_data["territory"]
            period = form.cleaned_data["period"] or period
        else:
            status = 400
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "summary": selectors.items_summary(unit=unit, year=period.year),
        "plans": selectors.plans_public(unit=unit, year=period.year),
        "at_risk_days": settings.REPORTS_AT_RISK_DAYS,
        "at_risk_progress": settings.REPORTS_AT_RISK_PROGRESS,
    }
    return render(request, "reports/plan_list.html", context, status=status)


def plan_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        plan = selectors.plan_detail(pk=pk)
    except ActionPlan.DoesNotExist:
        raise Http404 from None
    items = list(plan.items.all())
    today = timezone.localdate()
    for item in items:
        item.at_risk = item.is_at_risk_on(today)
    summary = selectors.items_summary_of_plan(plan=plan)
    return render(request, "reports/plan_detail.html", {"plan": plan, "items": items, "summary": summary})


def item_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.item_detail(pk=pk)
    except ActionItem.DoesNotExist:
        raise Http404 from None
    return render(request, "reports/item_detail.html", {"item": item})


def open_data_view(request: HttpRequest) -> HttpResponse:
    form = forms.ExportForm(request.GET or None)
    status = 400 if form.is_bound and not query.check(request, form) else 200
    return render(
        request, "reports/open_data.html", {"form": form, "datasets": exports.DATASETS.values()}, status=status
    )


def export_view(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    if dataset not in exports.DATASETS or fmt not in exports.FORMATS:
        raise Http404
    form = forms.ExportForm(request.GET)
    if not query.check(request, form):
        return render(
            request, "reports/open_data.html", {"form": form, "datasets": exports.DATASETS.values()}, status=400
        )
    unit, period = form.cleaned_data["territory"], form.cleaned_data["period"]
    spec = exports.DATASETS[dataset]
    parts = [dataset, unit.slug if unit else "all", period.code if period else "all"]
    filename = "kezdesu-" + "-".join(parts) + f".{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.to_csv(spec, unit=unit, period=period), content_type=exports.FORMATS[fmt]
        )
    elif fmt == "json":
        response = HttpResponse(exports.to_json(spec, unit=unit, period=period), content_type=exports.FORMATS[fmt])
    else:
        response = HttpResponse(exports.to_xlsx(spec, unit=unit, period=period), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Staff workspace -------------------------------------------------------------------------


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_reports_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _staff_report(request: HttpRequest, pk: int) -> Report:
    """A report of the user's territories, or 404: staff must not learn what lies elsewhere."""
    return get_object_or_404(selectors.reports_for_staff(user=request.user), pk=pk)


def _staff_plan(request: HttpRequest, pk: int) -> ActionPlan:
    return get_object_or_404(ActionPlan.objects.filter(managed_q(request.user)).select_related("unit"), pk=pk)


def _staff_item(request: HttpRequest, pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.filter(managed_q(request.user, prefix="plan__unit__")).select_related(
            "plan", "plan__unit", "department"
        ),
        pk=pk,
    )


@staff_required
def staff_report_list_view(request: HttpRequest) -> HttpResponse:
    status = query.read(request, forms.StaffReportListQuery)[1]["status"] or ""
    reports = selectors.reports_for_staff(user=request.user)
    if status:
        reports = reports.filter(status=status)
    context = {"page": _page(request, reports), "status": status, "statuses": Report.Status.choices}
    return render(request, "reports/staff_report_list.html", context)


def _report_fields(form) -> dict:
    names = ["meeting", "period_start", "period_end", "author_name"]
    names += [f"{name}_{lang}" for name in ("title", "lead", "body") for lang in ("kk", "ru")]
    return {name: form.cleaned_data.get(name) for name in names if name in form.cleaned_data}


@staff_required
def staff_report_create_view(request: HttpRequest) -> HttpResponse:
    chosen = query.read(request, forms.ReportNewQuery)[1]
    initial = {"unit": chosen["unit"].slug if chosen["unit"] else None, "meeting": chosen["meeting"]}
    form = forms.ReportForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(actor=request.user, unit=form.cleaned_data["unit"], **_report_fields(form))
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("reports:staff-edit", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/staff_report_form.html", {"form": form}, status=status)


def _edit_context(request: HttpRequest, report: Report, **given) -> dict:
    # Masked personal data shows as its label ("[phone hidden]"); saved back, it masks again.
    initial = {
        name: render_masked(value) if isinstance(value := getattr(report, name), str) else value
        for name in services.REPORT_FIELDS
        if name in forms.ReportEditForm.base_fields
    }
    context = {
        "report": report,
        "form": forms.ReportEditForm(user=request.user, initial=initial),
        "cover_form": forms.CoverForm(
            initial={f"cover_alt_{lang}": render_masked(getattr(report, f"cover_alt_{lang}")) for lang in ("kk", "ru")}
        ),
        "unpublish_form": forms.UnpublishForm(),
        "events": selectors.report_events(report=report),
    }
    context.update(given)
    return context


@staff_required
def staff_report_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    if request.method != "POST":
        return render(request, "reports/staff_report_edit.html", _edit_context(request, report))
    form = forms.ReportEditForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.report_update(report=report, actor=request.user, **_report_fields(form))
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The report is saved."))
            return redirect("reports:staff-edit", pk=report.pk)
    report = _staff_report(request, pk)  # the unsaved changes must not leak into the page
    return render(request, "reports/staff_report_edit.html", _edit_context(request, report, form=form), status=400)


@staff_required
def staff_report_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    context = _report_context(report)
    context["preview"] = True
    context["description"] = render_masked(report.lead)
    return render(request, "reports/report_detail.html", context)


@staff_required
@require_POST
def staff_report_cover_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    form = forms.CoverForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_set_cover(
                report=report,
                actor=request.user,
                upload=form.cleaned_data["cover"],
                alt_kk=form.cleaned_data["cover_alt_kk"],
                alt_ru=form.cleaned_data["cover_alt_ru"],
            )
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The cover is saved."))
            return redirect("reports:staff-edit", pk=report.pk)
    report = _staff_report(request, pk)
    return render(
        request, "reports/staff_report_edit.html", _edit_context(request, report, cover_form=form), status=400
    )


@staff_required
@require_POST
def staff_report_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    try:
        services.report_publish(report=report, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The report is published."))
    return redirect("reports:staff-edit", pk=report.pk)


@staff_required
@require_POST
def staff_report_unpublish_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _staff_report(request, pk)
    form = forms.UnpublishForm(request.POST)
    if form.is_valid():
        try:
            services.report_unpublish(report=report, actor=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The report is taken down."))
            return redirect("reports:staff-edit", pk=report.pk)
    return render(
        request, "reports/staff_report_edit.html", _edit_context(request, report, unpublish_form=form), status=400
    )


@staff_required
def staff_import_view(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.report_import_release(
                raw=upload.read(),
                source_name=upload.name,
                actor=request.user,
                unit=form.cleaned_data["unit"],
                meeting=form.cleaned_data.get("meeting"),
                cover=form.cleaned_data.get("cover"),
            )
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The press release is imported as a draft: check both languages."))
            return redirect("reports:staff-edit", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/staff_import.html", {"form": form}, status=status)


@staff_required
def staff_plan_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.PlanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.action_plan_create(
                actor=request.user,
                unit=data["unit"],
                title_kk=data["title_kk"],
                title_ru=data["title_ru"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                source_meetings=data["source_meetings"],
            )
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The action plan is created."))
            return redirect("reports:staff-plan", pk=plan.pk)
    plans = selectors.plans_public().filter(managed_q(request.user))
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/staff_plan_list.html", {"form": form, "plans": plans}, status=status)


def _item_fields(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in services.ITEM_FIELDS}


@staff_required
def staff_plan_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _staff_plan(request, pk)
    form = forms.ItemForm(request.POST or None, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(actor=request.user, plan=plan, **_item_fields(form))
        except (ValidationError, ApplicationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The item is added."))
            return redirect("reports:staff-item", pk=item.pk)
    plan = selectors.plan_detail(pk=plan.pk)
    items = list(plan.items.all())
    today = timezone.localdate()
    for item in items:
        item.at_risk = item.is_at_risk_on(today)
    context = {"plan": plan, "items": items, "form": form, "summary": selectors.items_summary_of_plan(plan=plan)}
    return render(request, "reports/staff_plan.html", context, status=400 if request.method == "POST" else 200)


def _item_context(request: HttpRequest, item: ActionItem, **given) -> dict:
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    context = {
        "item": item,
        "at_risk": item.is_at_risk,
        "form": forms.ItemForm(initial=initial, user=request.user, plan=item.plan),
        "progress_form": forms.ProgressForm(initial={"progress": min(item.progress, 99)}),
        "complete_form": forms.CompleteForm(),
        "cancel_form": forms.CancelForm(),
        "link_form": forms.LinkQuestionsForm(),
        "questions": item.questions.select_related("unit", "category").order_by("pk"),
        "events": item.events.select_related("actor").order_by("at", "pk"),
    }
    context.update(given)
    return context


@staff_required
def staff_item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_item(request, pk)
    return render(request, "reports/staff_item.html", _item_context(request, item))


def _item_action(form_class, form_name: str, call, success: str):
    """A POST on the item page: parse one form, call one service, re-render on refusal."""

    @staff_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = _staff_item(request, pk)
        form = form_class(
            request.POST, **({"user": request.user, "plan": item.plan} if form_class is forms.ItemForm else {})
        )
        if form.is_valid():
            try:
                call(request, item, form.cleaned_data)
            except (ValidationError, ApplicationError) as error:
                _add_errors(form, error)
            else:
                messages.success(request, str(success))
                return redirect("reports:staff-item", pk=item.pk)
        item = _staff_item(request, pk)
        return render(request, "reports/staff_item.html", _item_context(request, item, **{form_name: form}), status=400)

    return view


staff_item_edit_view = _item_action(
    forms.ItemForm,
    "form",
    lambda request, item, data: services.action_item_update(
        item=item, actor=request.user, **{name: data.get(name) for name in services.ITEM_FIELDS}
    ),
    gettext_lazy("The item is saved."),
)
staff_item_progress_view = _item_action(
    forms.ProgressForm,
    "progress_form",
    lambda request, item, data: services.action_item_progress(
        item=item, actor=request.user, progress=data["progress"], note=data["note"]
    ),
    gettext_lazy("The progress is recorded."),
)
staff_item_complete_view = _item_action(
    forms.CompleteForm,
    "complete_form",
    lambda request, item, data: services.action_item_complete(item=item, actor=request.user, note=data["note"]),
    gettext_lazy("The item is done; its questions are resolved and their authors told."),
)
staff_item_cancel_view = _item_action(
    forms.CancelForm,
    "cancel_form",
    lambda request, item, data: services.action_item_cancel(item=item, actor=request.user, reason=data["reason"]),
    gettext_lazy("The item is cancelled."),
)
staff_item_link_view = _item_action(
    forms.LinkQuestionsForm,
    "link_form",
    lambda request, item, data: services.action_item_link_questions(
        item=item, actor=request.user, question_ids=services.parse_question_ids(data["questions"])
    ),
    gettext_lazy("The questions are linked."),
)


@staff_required
@require_POST
def staff_item_unlink_view(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    item = _staff_item(request, pk)
    question = get_object_or_404(Question, pk=question_pk)
    try:
        services.action_item_unlink_question(item=item, actor=request.user, question=question)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The question is unlinked."))
    return redirect("reports:staff-item", pk=item.pk)
