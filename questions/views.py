"""Pages of questions: public lists and pages, the form, the author's tracking page, the workspace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import covered_units, covered_units_list, covers
from core import query
from core.errors import ApplicationError
from core.pagination import NEWEST_FIRST, keyset_page_of_request
from core.ratelimit import RateLimitExceeded, too_many_response
from districts.models import AdministrativeUnit
from meetings.models import Meeting
from meetings.selectors import meetings_for_asking
from questions import permissions, ratelimit, selectors, services
from questions.forms import (
    AcceptForm,
    AnswerForm,
    AskQuery,
    AssignForm,
    CodeForm,
    EnterForm,
    ExtendForm,
    ForwardForm,
    OnTheSpotForm,
    PublicListQuery,
    QuestionForm,
    RateForm,
    RejectForm,
    SimilarQuery,
    StaffListQuery,
    SupportForm,
)
from questions.models import Question

PAGE_SIZE = 20


def _page(request: HttpRequest, queryset):
    """Numbered pages, for the short lists of one account or one staff member's territories."""
    return Paginator(queryset, PAGE_SIZE).get_page(query.page_number(request))


def _keyset_page(request: HttpRequest, queryset, ordering: tuple[str, str] = NEWEST_FIRST, sparse: bool = False):
    """Newer / older pages of a list: no COUNT(*) and no OFFSET over a country's questions."""
    return keyset_page_of_request(request, queryset, size=PAGE_SIZE, ordering=ordering, sparse=sparse)


def _apply_errors(form, error: ValidationError | ApplicationError) -> None:
    """A service's refusal shown on the form: field errors where they belong, the rest on top."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Public pages -----------------------------------------------------------------------------


def _public_list(request: HttpRequest, *, unit=None, meeting=None, template="questions/question_list.html", extra=None):
    _form, values = query.read(request, PublicListQuery)
    category, status = values["category"], values["status"] or ""
    unit = unit or values["unit"]
    meeting = meeting or values["meeting"]
    search = (values["q"] or "").strip()[:200]
    questions = selectors.questions_public(unit=unit, category=category, status=status, meeting=meeting, search=search)
    page, cursor_error = _keyset_page(request, questions, sparse=bool(search))
    context = {
        "page": page,
        "cursor_error": cursor_error,
        "unit": unit,
        "meeting": meeting,
        "category": category,
        "categories": selectors.categories_active(),
        "statuses": [(value, label) for value, label in Question.Status.choices if value in Question.PUBLIC_STATUSES],
        "status": status,
        "search": search,
        **(extra or {}),
    }
    return render(request, template, context)


def question_list_view(request: HttpRequest) -> HttpResponse:
    return _public_list(request)


def territory_questions_view(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(AdministrativeUnit, slug=slug)
    return _public_list(request, unit=unit)


def meeting_questions_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.public().select_related("unit"), pk=pk)
    return _public_list(request, meeting=meeting, unit=None)


def question_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        question = selectors.question_public_detail(pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None
    context = {
        "question": question,
        "events": selectors.question_timeline(question=question, public=True),
        "support_form": SupportForm(),
        "similar": selectors.questions_similar(
            unit=question.unit, text=question.text_public, exclude=question, limit=3
        ),
    }
    return render(request, "questions/question_detail.html", context)


@require_POST
def question_support_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.public(), pk=pk)
    form = SupportForm(request.POST) if not request.user.is_authenticated else None
    try:
        if form is None:
            services.question_support(question=question, user=request.user)
            messages.success(request, _("Thank you: your support is counted."))
        elif form.is_valid():
            contact = form.cleaned_data["contact"]
            with ratelimit.support_tokens(ip=ratelimit.client_ip(request), contact=contact):
                services.question_support(question=question, contact=contact)
            messages.success(request, _("We sent you a link: open it to confirm your support."))
        else:
            messages.error(request, _("Enter your email address or phone number."))
    except RateLimitExceeded as refusal:
        return too_many_response(request, refusal.retry_after, refusal.message)
    except (ApplicationError, ValidationError) as error:
        messages.error(request, error.message if isinstance(error, ApplicationError) else " ".join(error.messages))
    return redirect(question.get_absolute_url())


def support_confirm_view(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        support = services.question_support_confirm(signed=signed)
    except ApplicationError as error:
        return render(request, "questions/link_invalid.html", {"message": error.message}, status=400)
    messages.success(request, _("Thank you: your support is counted."))
    return redirect(support.question.get_absolute_url())


# --- Asking -----------------------------------------------------------------------------------


def _ask_meetings(*, unit=None, meeting=None):
    """The meetings the form offers, for the territory chosen (a link's, or the sent form's)."""

    def number(value):
        value = getattr(value, "pk", value)
        return int(value) if str(value or "").isdigit() and int(value) < 2**63 else None

    unit_id = number(unit)
    chosen = AdministrativeUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    return meetings_for_asking(unit=chosen, meeting_id=number(meeting))


def question_ask_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = QuestionForm(
            request.POST, meetings=_ask_meetings(unit=request.POST.get("unit"), meeting=request.POST.get("meeting"))
        )
        if form.is_valid():
            data = form.cleaned_data
            if data.pop("website"):
                # A bot filled the hidden field: look successful, keep nothing.
                return render(request, "questions/question_sent.html", {"question": None})
            contacts = [data["contact_email"], data["contact_phone"]]
            try:
                with ratelimit.submission_tokens(ip=ratelimit.client_ip(request), contacts=contacts):
                    question = services.question_submit(author=request.user, **data)
            except RateLimitExceeded as refusal:
                # The form keeps what the resident typed, to send again later.
                form.add_error(None, refusal.message)
                response = render(request, "questions/question_form.html", {"form": form}, status=429)
                response["Retry-After"] = str(refusal.retry_after)
                return response
            except (ValidationError, ApplicationError) as error:
                _apply_errors(form, error)
            else:
                return redirect(question.get_tracking_url())
    else:
        initial = {}
        chosen = query.read(request, AskQuery)[1]
        if chosen["unit"] is not None:
            initial["unit"] = chosen["unit"]
        if chosen["meeting"] is not None:
            initial["meeting"] = chosen["meeting"]
        if request.user.is_authenticated:
            initial["author_name"] = request.user.get_full_name()
            initial["contact_email"] = request.user.email
            initial["contact_phone"] = request.user.phone
        form = QuestionForm(initial=initial, meetings=_ask_meetings(unit=chosen["unit"], meeting=chosen["meeting"]))
    return render(request, "questions/question_form.html", {"form": form})


def similar_questions_view(request: HttpRequest) -> HttpResponse:
    """A fragment for the form: published questions like the one being typed."""
    form = SimilarQuery(request.GET)
    if not query.check(request, form):
        return render(request, "questions/_similar.html", {"similar": []}, status=400)
    values = form.cleaned_data
    unit = AdministrativeUnit.objects.filter(pk=values["unit"]).first() if values["unit"] else None
    similar = selectors.questions_similar(unit=unit, text=(values["text"] or "")[:2000]) if unit else []
    return render(request, "questions/_similar.html", {"similar": similar})


def confirm_view(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        question = services.question_confirm_by_link(signed=signed)
    except ApplicationError as error:
        return render(request, "questions/link_invalid.html", {"message": error.message}, status=400)
    messages.success(request, _("Thank you: your question is confirmed and registered."))
    return redirect(question.get_tracking_url())


# --- The author's private page ----------------------------------------------------------------


def _by_token(token: str) -> Question:
    try:
        return selectors.question_by_token(token=token)
    except Question.DoesNotExist:
        raise Http404 from None


def track_view(request: HttpRequest, token: str, code_form=None, rate_form=None, status: int = 200) -> HttpResponse:
    question = _by_token(token)
    context = {
        "question": question,
        "events": selectors.question_timeline(question=question, public=False),
        "code_form": code_form or CodeForm(),
        "rate_form": rate_form or RateForm(),
    }
    response = render(request, "questions/question_track.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    # The site-wide Referrer-Policy (same-origin) already keeps the token from other sites;
    # "no-referrer" here would make browsers send "Origin: null" and fail the CSRF check.
    return response


@require_POST
def track_code_view(request: HttpRequest, token: str) -> HttpResponse:
    question = _by_token(token)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services.question_confirm_by_code(question=question, code=form.cleaned_data["code"])
        except RateLimitExceeded as refusal:
            form.add_error(None, refusal.message)
            response = track_view(request, token, code_form=form, status=429)
            response["Retry-After"] = str(refusal.retry_after)
            return response
        except (ValidationError, ApplicationError) as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Thank you: your question is confirmed and registered."))
            return redirect(question.get_tracking_url())
    return track_view(request, token, code_form=form, status=400)


@require_POST
def track_new_code_view(request: HttpRequest, token: str) -> HttpResponse:
    """Five wrong codes lock the code: a new one (and a new link) goes to the contact."""
    question = _by_token(token)
    try:
        with ratelimit.new_code_token(question_token=question.token):
            services.question_code_renew(question=question)
    except RateLimitExceeded as refusal:
        return too_many_response(request, refusal.retry_after, refusal.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("We sent a new code. The old one no longer works."))
    return redirect(question.get_tracking_url())


@require_POST
def track_withdraw_view(request: HttpRequest, token: str) -> HttpResponse:
    question = _by_token(token)
    try:
        services.question_withdraw(question=question, actor=request.user if request.user.is_authenticated else None)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your question is withdrawn."))
    return redirect(question.get_tracking_url())


@require_POST
def track_rate_view(request: HttpRequest, token: str) -> HttpResponse:
    question = _by_token(token)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            services.question_rate(
                question=question,
                satisfied=form.cleaned_data["satisfied"],
                comment=form.cleaned_data["comment"],
                actor=request.user if request.user.is_authenticated else None,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect(question.get_tracking_url())
    return track_view(request, token, rate_form=form, status=400)


@login_required(login_url="accounts:sign_in")
def my_questions_view(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.questions_of_account(user=request.user))
    return render(request, "questions/question_mine.html", {"page": page})


# --- Staff workspace ----------------------------------------------------------------------------


def _staff(request: HttpRequest) -> User:
    if not permissions.is_question_staff(request.user):
        raise Http404
    return request.user


def _staff_question(user: User, pk: int) -> Question:
    try:
        return selectors.question_for_staff(user=user, pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None


@login_required
def staff_list_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    values = query.read(request, StaffListQuery)[1]
    queue = values["queue"] or selectors.QUEUE_TRIAGE
    category = values["category"]
    # A territory the user does not cover filters nothing (the selector shows only theirs).
    unit = values["unit"]
    if unit is not None and not user.is_superuser and not covers(user, unit):
        unit = None
    status = values["status"] or ""
    search = (values["q"] or "").strip()[:200]
    questions = selectors.questions_for_staff(
        user=user, queue=queue, unit=unit, category=category, status=status, search=search
    )
    page, cursor_error = _keyset_page(request, questions, selectors.staff_queue_ordering(queue))
    units = [] if user.is_superuser else covered_units_list(user)
    context = {
        "page": page,
        "cursor_error": cursor_error,
        "count_limit": selectors.QUEUE_COUNT_LIMIT,
        "queue": queue,
        "queues": [
            (selectors.QUEUE_TRIAGE, _("New: to triage")),
            (selectors.QUEUE_DEPARTMENT, _("My department")),
            (selectors.QUEUE_DUE_SOON, _("Due soon")),
            (selectors.QUEUE_OVERDUE, _("Overdue")),
            (selectors.QUEUE_ALL, _("All")),
        ],
        "counts": selectors.staff_queue_counts(user=user),
        "categories": selectors.categories_active(),
        "category": category,
        "units": units,
        "unit": unit,
        "statuses": Question.Status.choices,
        "status": status,
        "search": search,
        "reject_reasons": Question.RejectReason.choices,
        "assign_form": AssignForm(units=None if user.is_superuser else units),
    }
    return render(request, "questions/staff_list.html", context)


BULK_ACTIONS = ("accept", "reject", "assign")


@login_required
@require_POST
def staff_bulk_view(request: HttpRequest) -> HttpResponse:
    """Accept, reject or assign several questions at once: all of them, or none."""
    user = _staff(request)
    action = request.POST.get("action")
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    back = request.POST.get("next") or ""
    if not back.startswith("/"):
        back = "questions:staff"
    if action not in BULK_ACTIONS or not ids:
        messages.error(request, _("Choose questions and an action."))
        return redirect(back)
    questions = list(Question.objects.filter(permissions.staff_questions_q(user), pk__in=ids).select_related("unit"))
    if len(questions) != len(set(ids)):
        raise Http404
    department = None
    if action == "assign":
        form = AssignForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a department."))
            return redirect(back)
        department = form.cleaned_data["department"]
    reason = request.POST.get("reason") or ""
    try:
        with transaction.atomic():
            for question in questions:
                if action == "accept":
                    services.question_accept(question=question, actor=user)
                elif action == "reject":
                    services.question_reject(question=question, actor=user, reason=reason)
                else:
                    services.question_assign(question=question, actor=user, department=department)
    except (ApplicationError, ValidationError, PermissionDenied) as error:
        detail = error.message if isinstance(error, ApplicationError) else " ".join(getattr(error, "messages", []))
        messages.error(
            request,
            gettext("Nothing was changed: question #%(number)s — %(error)s") % {"number": question.pk, "error": detail},
        )
    else:
        messages.success(request, gettext("Done: %(count)d questions.") % {"count": len(questions)})
    return redirect(back)


def _held_meetings(question: Question):
    return (
        Meeting.objects.filter(
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD], starts_at__lte=timezone.now()
        )
        .filter(unit__pk__in=[*question.unit.ancestor_ids, question.unit.pk])
        .select_related("unit")
        .order_by("-starts_at")[:50]
    )


STAFF_FORMS = {
    "accept": AcceptForm,
    "reject": RejectForm,
    "assign": AssignForm,
    "extend": ExtendForm,
    "forward": ForwardForm,
    "answer": AnswerForm,
    "on_the_spot": OnTheSpotForm,
    "category": AcceptForm,
}


def _staff_forms(question: Question, data=None, action: str | None = None) -> dict:
    def bound(name):
        return data if name == action else None

    def ids(name):
        # One page shows all these forms: their fields (category, note, answer…) need distinct ids.
        return f"id_{name}_%s"

    return {
        "accept": AcceptForm(bound("accept"), auto_id=ids("accept"), initial={"category": question.category_id}),
        "category": AcceptForm(bound("category"), auto_id=ids("category"), initial={"category": question.category_id}),
        "reject": RejectForm(bound("reject"), auto_id=ids("reject")),
        "assign": AssignForm(
            bound("assign"), auto_id=ids("assign"), unit=question.unit, initial={"department": question.department_id}
        ),
        "extend": ExtendForm(bound("extend"), auto_id=ids("extend")),
        "forward": ForwardForm(bound("forward"), auto_id=ids("forward")),
        "answer": AnswerForm(bound("answer"), auto_id=ids("answer")),
        "on_the_spot": OnTheSpotForm(
            bound("on_the_spot"), auto_id=ids("on_the_spot"), meetings=_held_meetings(question)
        ),
    }


@login_required
def staff_detail_view(
    request: HttpRequest, pk: int, forms=None, status: int = 200, personal_data: dict | None = None
) -> HttpResponse:
    user = _staff(request)
    question = _staff_question(user, pk)
    context = {
        "question": question,
        "personal_data": personal_data,
        "can_see_private": permissions.can_see_private(user, question),
        "events": question.events.all(),
        "forms": forms or _staff_forms(question),
        "can_triage": permissions.can_triage(user, question),
        "can_manage": permissions.can_manage(user, question),
        "can_answer": permissions.can_answer(user, question),
        "is_officer": permissions.is_assigned_officer(user, question),
        "similar": selectors.questions_similar(unit=question.unit, text=question.text, exclude=question)
        if question.status == Question.Status.NEW
        else [],
        "latest_extension": services.extension_latest_due(question),
    }
    return render(request, "questions/staff_detail.html", context, status=status)


@login_required
@require_POST
def staff_personal_data_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's contact, IIN and address, shown on request: each time is audited."""
    user = _staff(request)
    question = _staff_question(user, pk)
    try:
        shown = services.question_personal_data_reveal(question=question, actor=user)
    except PermissionDenied:
        raise Http404 from None
    response = staff_detail_view(request, pk, personal_data=shown)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def staff_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _staff(request)
    question = _staff_question(user, pk)
    if action not in STAFF_FORMS:
        raise Http404
    forms = _staff_forms(question, request.POST, action)
    form = forms[action]
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "accept":
                services.question_accept(question=question, actor=user, category=data["category"])
            elif action == "category":
                services.question_change_category(question=question, actor=user, category=data["category"])
            elif action == "reject":
                original = None
                if data.get("duplicate_of"):
                    original = Question.objects.filter(pk=data["duplicate_of"]).select_related("unit").first()
                    if original is None:
                        raise ValidationError({"duplicate_of": _("There is no question with this number.")})
                services.question_reject(
                    question=question, actor=user, reason=data["reason"], note=data["note"], duplicate_of=original
                )
            elif action == "assign":
                services.question_assign(question=question, actor=user, department=data["department"])
            elif action == "extend":
                services.question_extend(question=question, actor=user, due_on=data["due_on"], reason=data["reason"])
            elif action == "forward":
                services.question_forward(
                    question=question, actor=user, forwarded_to=data["forwarded_to"], note=data["note"]
                )
            elif action == "answer":
                services.question_answer(
                    question=question, actor=user, answer_text=data["answer_text"], outcome=data["outcome"]
                )
            else:
                services.question_answer_on_the_spot(
                    question=question,
                    actor=user,
                    meeting=data["meeting"],
                    answer_text=data["answer_text"],
                    outcome=data["outcome"],
                )
        except PermissionDenied:
            raise Http404 from None
        except (ValidationError, ApplicationError) as error:
            _apply_errors(form, error)
            # The form may not be on the page any more (the state moved on): say it on top too.
            messages.error(request, " ".join(str(m) for m in form.non_field_errors()) or _("Check the form below."))
        else:
            messages.success(request, _("Saved."))
            return redirect(question.get_staff_url())
    return staff_detail_view(request, pk, forms=forms, status=400)


@login_required
def staff_enter_view(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    units = (
        AdministrativeUnit.objects.all() if user.is_superuser else covered_units(user, roles=permissions.MANAGE_ROLES)
    )
    meetings = (
        Meeting.objects.exclude(status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
        .select_related("unit")
        .filter(unit__in=units)
        .order_by("-starts_at")[:100]
    )
    form = EnterForm(
        request.POST or None, units=units, meetings=Meeting.objects.filter(pk__in=[m.pk for m in meetings])
    )
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_enter(actor=user, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except (ValidationError, ApplicationError) as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The question is recorded."))
            return redirect(question.get_staff_url())
    return render(request, "questions/staff_enter.html", {"form": form}, status=400 if form.errors else 200)
