"""The permission matrix: every route and API operation is classified, and every staff page and
staff API operation is run by every persona against targets in Almaly district.

A new route or operation with no entry in REGISTRY fails `test_every_route_is_classified` or
`test_every_api_operation_is_classified`; an entry whose route is gone fails the same tests.

Expected answers (STYLE §7, and what each app's views already do):
- Almaly staff, Almaty city staff and the administrator: allowed (2xx/3xx, or a 400 with errors
  for a body the business rules refuse, or in the API a 409 for a row whose state refuses it);
- anonymous: pages redirect to the login page, the API answers 401/403;
- signed in without a role that opens the workspace: 403 on meetings and reports pages, 404 on
  questions pages (the questions workspace does not admit it exists);
- staff who do not cover Almaly (Medeu staff, the officer of another department): 404 for an
  object, a list without the Almaly rows, a refused create (400/403/404);
- every refused write leaves the database as it was.

Administrators' pages outside the Django admin (the audit trail) admit the administrator only:
anonymous visitors are sent to the login page, everyone else signed in gets 403.
"""

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from PIL import Image

from accounts.models import PersonalDataAccess, StaffRole
from meetings.models import AgendaItem, Meeting, MeetingEvent, PlanItem, ReceptionSlot, Registration, Speaker
from questions.models import Question, QuestionEvent
from reports.models import ActionItem, ActionItemEvent, ActionPlan, Report, ReportEvent
from tests import matrix_fixtures as mx
from tests.matrix_fixtures import ALLOWED, PERSONAS, World

# --- The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Public:
    """Anyone may GET it."""


@dataclass(frozen=True)
class Resident:
    """Signed-in people, their own data: anonymous visitors are sent to a sign-in page, residents'
    pages to the residents' sign-in by a one-time code, account pages to the staff login."""

    login: str = "login"


@dataclass(frozen=True)
class Admin:
    """Django admin: only users the admin site admits (here: the superuser)."""


@dataclass(frozen=True)
class AdminPage:
    """A page of the site (not the Django admin) for administrators only: anonymous visitors are
    sent to the login page, everyone else signed in gets 403 (accounts.permissions.is_administrator)."""


@dataclass(frozen=True)
class Infra:
    """Health check, schema, docs, sitemap, feeds, sign-in and sign-out."""


@dataclass(frozen=True)
class Api:
    """A DRF route: its operations are classified under their "METHOD /path" keys."""


@dataclass(frozen=True)
class Call:
    """One request to a staff route: what it targets and what a refusal looks like.

    scope: "object" (a row in Almaly: 404 for staff who do not cover it), "list" (a page or
    list the staff member may open, showing `marker` only to those who cover Almaly) or
    "create" (a write naming Almaly in its body: refused with 400/403/404).
    """

    method: str
    scope: str
    label: str = ""
    kwargs: Callable[[World], dict] | None = None
    body: Callable[[World], dict] | None = None
    query: str = ""
    marker: Callable[[World], str] | str | None = None


@dataclass(frozen=True)
class Staff:
    """A staff page or operation. `workspace` is the app whose gate admits staff members;
    `rule` names the predicate that decides (documentation for the reader of a failure)."""

    workspace: str
    rule: str
    calls: tuple[Call, ...] = field(default_factory=tuple)


def get(scope: str = "object", **options) -> Call:
    return Call("GET", scope, **options)


def post(scope: str = "object", **options) -> Call:
    return Call("POST", scope, **options)


def patch(scope: str = "object", **options) -> Call:
    return Call("PATCH", scope, **options)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _png(name: str = "cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 630), (40, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _later(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


MEETING = {"pk": lambda w: w.meeting.pk}
NEW_Q = {"pk": lambda w: w.new_question.pk}
WORK_Q = {"pk": lambda w: w.work_question.pk}
REPORT = {"pk": lambda w: w.report.pk}
PLAN = {"pk": lambda w: w.plan.pk}
ITEM = {"pk": lambda w: w.item.pk}


def kw(spec: dict, **extra) -> Callable[[World], dict]:
    return lambda w: {name: value(w) for name, value in spec.items()} | extra


def almaly_slug(w: World) -> str:
    return w.almaly.slug


def meeting_body(w: World) -> dict:
    start = timezone.localtime() + timedelta(days=20)
    return {
        "unit": w.almaly.slug,
        "kind": Meeting.Kind.OUTREACH,
        "title_kk": "Жаңа кездесу",
        "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=2)),
        "publish": "on",
        "registration_open": "on",
    }


def meeting_api_body(w: World) -> dict:
    start = timezone.now() + timedelta(days=20)
    return {
        "unit": w.almaly.slug,
        "kind": Meeting.Kind.OUTREACH,
        "title_kk": "Жаңа кездесу",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
    }


def reschedule_body(w: World, *, api: bool = False) -> dict:
    start = w.meeting.starts_at + timedelta(days=1)
    if api:
        return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat()}
    return {"starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2))}


def question_action(action: str, target: dict, body: Callable[[World], dict]) -> Call:
    return post(label=action, kwargs=kw(target, action=action), body=body)


EXTEND_REASON = "Жөндеу жұмыстары мердігерді конкурс арқылы таңдауды талап етеді, бұл бір айдан астам уақыт алады."
ANSWER = {"answer_text": "Жол жөнделді.", "outcome": Question.Outcome.RESOLVED}
MEETINGS_RULE = "meetings.permissions.can_manage_meeting (covers, akimat staff)"
QUESTIONS_TRIAGE = "questions.permissions.can_triage (covers, akimat staff or moderator)"
QUESTIONS_MANAGE = "questions.permissions.can_manage / can_answer (covers, or the assigned officer)"
QUESTIONS_SEE = "questions.permissions.staff_questions_q (covers, or the question's department)"
QUESTIONS_PRIVATE = "questions.permissions.can_see_private (covers, or the assigned officer)"
REPORTS_RULE = "reports.permissions.can_manage_reports (covers, akimat staff)"
CYCLES_RULE = "cycles.permissions.can_manage_cycle (the meetings' rule: covers, akimat staff)"
CYCLE = {"slug": lambda w: w.cycle.slug}
PRESS_RELEASE = "---\ntitle: Кездесу қорытындысы\ndate: 2026-01-01\n---\nМәтін.\n\n## Итоги встречи\n\nТекст.\n"

REGISTRY: dict[str, object] = {
    # --- Infrastructure and public pages ------------------------------------------------------
    "healthz": Infra(),
    "sitemap": Infra(),
    "api-schema": Infra(),
    "api-docs": Infra(),
    "api-root": Infra(),
    "login": Infra(),
    "logout": Infra(),
    "accounts:sign_in": Infra(),  # residents: a one-time code to their email or phone
    "accounts:sign_in_code": Infra(),
    "reports:feed": Infra(),
    "reports:feed-territory": Infra(),
    "meetings:feed": Infra(),
    # Open311 GeoReport v2: machine answers (JSON, XML); posting needs an API key, not a role.
    "open311:root": Infra(),
    "open311:discovery": Infra(),
    "open311:services": Infra(),
    "open311:service": Infra(),
    "open311:requests": Infra(),
    "open311:request": Infra(),
    "open311:token": Infra(),
    "open311:unknown": Infra(),
    "core:home": Public(),
    "districts:list": Public(),
    "districts:detail": Public(),
    "meetings:upcoming": Public(),
    "meetings:past": Public(),
    "meetings:calendar": Public(),
    "meetings:mandate": Public(),
    "meetings:plan": Public(),
    "meetings:detail": Public(),
    "meetings:register": Public(),
    "meetings:ics": Public(),
    "meetings:registration": Public(),  # the signed token in the link is the permission
    "meetings:book": Public(),
    "meetings:booking": Public(),  # the signed token in the link is the permission
    "questions:list": Public(),
    "questions:ask": Public(),
    "questions:similar": Public(),
    "questions:confirm": Public(),
    "questions:track": Public(),  # the author's secret token is the permission
    "questions:track_code": Public(),
    "questions:track_new_code": Public(),
    "questions:track_withdraw": Public(),
    "questions:track_rate": Public(),
    "questions:territory": Public(),
    "questions:meeting": Public(),
    "questions:support_confirm": Public(),
    "questions:detail": Public(),
    "questions:support": Public(),
    "reports:list": Public(),
    "reports:search": Public(),
    "reports:scorecard": Public(),
    "reports:plans": Public(),
    "reports:plan": Public(),
    "reports:item": Public(),
    "reports:open-data": Public(),
    "reports:export": Public(),
    "reports:detail": Public(),
    "cycles:list": Public(),
    "cycles:detail": Public(),
    "cycles:programme": Public(),
    "notifications:unsubscribe": Public(),  # the signed token in the link is the permission
    "accounts:password_reset": Public(),
    "accounts:password_reset_done": Public(),
    "accounts:password_reset_confirm": Public(),  # the signed token in the link is the permission
    "accounts:password_reset_complete": Public(),
    # --- Signed in, own data ------------------------------------------------------------------
    "questions:mine": Resident(login="accounts:sign_in"),
    "accounts:workspace": Resident(),
    "accounts:two_factor_verify": Resident(),
    "accounts:two_factor_setup": Resident(),
    "accounts:password_change": Resident(),
    "accounts:password_change_done": Resident(),
    "notifications:preferences": Resident(login="accounts:sign_in"),
    # --- The Django admin: every admin:* route ------------------------------------------------
    "admin:*": Admin(),
    # --- Administrators' pages outside the Django admin ---------------------------------------
    "accounts:audit": AdminPage(),
    # --- API routes: classified by operation below ------------------------------------------
    **{
        name: Api()
        for name in [
            "territory-list",
            "territory-detail",
            "akim-list",
            "akim-detail",
            "api-meeting-list",
            "api-meeting-detail",
            "api-meeting-register",
            "api-mandate",
            "api-staff-meeting-list",
            "api-staff-meeting-detail",
            "api-staff-reschedule",
            "api-staff-cancel",
            "api-staff-mark-held",
            "api-staff-registrations",
            "api-question-list",
            "api-question-confirm",
            "api-question-new-code",
            "api-question-detail",
            "api-question-categories",
            "api-staff-question-list",
            "api-staff-question-detail",
            "api-staff-question-personal-data",
            "api-staff-question-accept",
            "api-staff-question-reject",
            "api-staff-question-assign",
            "api-staff-question-extend",
            "api-staff-question-forward",
            "api-staff-question-answer",
            "api-staff-question-on-the-spot",
            "api-report-list",
            "api-report-detail",
            "api-plan-list",
            "api-item-list",
            "api-item-detail",
            "api-open-data",
            "api-staff-report-create",
            "api-staff-report",
            "api-staff-report-publish",
            "api-staff-report-unpublish",
            "api-staff-item-create",
            "api-staff-item",
            "api-staff-item-progress",
            "api-staff-item-complete",
            "api-staff-item-link",
            "api-cycle-list",
            "api-cycle-detail",
        ]
    },
    # --- Public API operations ----------------------------------------------------------------
    "GET /api/v1/territories/": Public(),
    "GET /api/v1/territories/{id}/": Public(),
    "GET /api/v1/akims/": Public(),
    "GET /api/v1/akims/{id}/": Public(),
    "GET /api/v1/meetings/": Public(),
    "GET /api/v1/meetings/{id}/": Public(),
    "POST /api/v1/meetings/{id}/registrations/": Public(),
    "GET /api/v1/mandate/": Public(),
    "GET /api/v1/questions/": Public(),
    "POST /api/v1/questions/": Public(),
    "GET /api/v1/questions/{id}/": Public(),
    "POST /api/v1/questions/confirm/": Public(),
    "POST /api/v1/questions/new-code/": Public(),
    "GET /api/v1/question-categories/": Public(),
    "GET /api/v1/reports/": Public(),
    "GET /api/v1/reports/{slug}/": Public(),
    "GET /api/v1/action-plans/": Public(),
    "GET /api/v1/cycles/": Public(),
    "GET /api/v1/cycles/{slug}/": Public(),
    # --- Staff pages: meeting cycles ----------------------------------------------------------
    "cycles:staff-list": Staff("meetings", CYCLES_RULE, (get("list", marker=mx.CYCLE_MARK),)),
    "cycles:staff-create": Staff(
        "meetings",
        CYCLES_RULE,
        (get("list"), post("create", body=lambda w: {"unit": w.almaly.slug, "kind": "reporting", "number": "1"})),
    ),
    "cycles:staff-detail": Staff(
        "meetings",
        CYCLES_RULE,
        (get(kwargs=kw(CYCLE)), post(label="add", kwargs=kw(CYCLE), body=lambda w: {"meeting": w.meeting.pk})),
    ),
    "cycles:staff-meeting-remove": Staff(
        "meetings", CYCLES_RULE, (post(kwargs=lambda w: {"slug": w.cycle.slug, "meeting_pk": w.held.pk}),)
    ),
    "cycles:staff-press": Staff(
        "meetings",
        CYCLES_RULE,
        (get(kwargs=kw(CYCLE)), post(label="import", kwargs=kw(CYCLE), body=lambda w: {"text": PRESS_RELEASE})),
    ),
    "cycles:staff-meeting-press": Staff("meetings", CYCLES_RULE, (get(kwargs=lambda w: {"pk": w.held.pk}),)),
    "GET /api/v1/action-items/": Public(),
    "GET /api/v1/action-items/{id}/": Public(),
    "GET /api/v1/open-data/{dataset}/": Public(),
    # --- Staff pages: meetings ----------------------------------------------------------------
    "meetings:staff-list": Staff("meetings", MEETINGS_RULE, (get("list", marker=mx.MEETING_MARK),)),
    "meetings:staff-create": Staff(
        "meetings",
        "meetings.permissions.can_manage_meetings (the form offers covered territories only)",
        (get("list", marker=almaly_slug), post("create", body=meeting_body)),
    ),
    "meetings:staff-mandate": Staff("meetings", "meetings.permissions.managed_units_q", (get("list"),)),
    "meetings:staff-plan": Staff(
        "meetings",
        "meetings.permissions.can_manage_meetings",
        (
            get("list", marker=mx.PLAN_ITEM_MARK),
            post(
                "create",
                label="add",
                body=lambda w: {
                    "unit": w.almaly.slug,
                    "planned_on": _later(60),
                    "kind": Meeting.Kind.REPORTING,
                    "title_kk": "Жоспар",
                },
            ),
            post(
                "create",
                label="publish",
                body=lambda w: {"publish": "1", "unit": w.almaly.slug, "year": str(timezone.localdate().year)},
            ),
        ),
    ),
    "meetings:staff-detail": Staff("meetings", MEETINGS_RULE, (get(kwargs=kw(MEETING)),)),
    "meetings:staff-edit": Staff(
        "meetings",
        MEETINGS_RULE,
        (
            get(kwargs=kw(MEETING)),
            post(
                kwargs=kw(MEETING),
                body=lambda w: {"kind": Meeting.Kind.REPORTING, "title_kk": "Өзгертілген", "capacity": "40"},
            ),
        ),
    ),
    "meetings:staff-publish": Staff("meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING)),)),
    "meetings:staff-reschedule": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: reschedule_body(w)),)
    ),
    "meetings:staff-cancel": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: {"reason": "Ауа райы"}),)
    ),
    "meetings:staff-held": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: {"attendance": "10"}),)
    ),
    "meetings:staff-speaker-add": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: {"name_kk": "Жаңа баяндамашы"}),)
    ),
    "meetings:staff-agenda-add": Staff(
        "meetings",
        MEETINGS_RULE,
        (post(kwargs=kw(MEETING), body=lambda w: {"title_kk": "Сұрақтар", "minutes": "20"}),),
    ),
    "meetings:staff-slot-add": Staff(
        "meetings",
        MEETINGS_RULE,
        (
            post(
                kwargs=kw(MEETING),
                body=lambda w: {"official_kk": "Маман", "starts_at": _local(w.meeting.starts_at), "minutes": "15"},
            ),
        ),
    ),
    "meetings:staff-speaker-remove": Staff("meetings", MEETINGS_RULE, (post(kwargs=lambda w: {"pk": w.speaker.pk}),)),
    "meetings:staff-agenda-remove": Staff("meetings", MEETINGS_RULE, (post(kwargs=lambda w: {"pk": w.agenda.pk}),)),
    "meetings:staff-registrations-csv": Staff(
        "meetings", "meetings.permissions.can_see_registrations", (get(kwargs=kw(MEETING)),)
    ),
    "meetings:staff-attendance": Staff(
        "meetings", "meetings.permissions.can_see_registrations", (get(kwargs=kw(MEETING)),)
    ),
    # --- Staff pages: questions ---------------------------------------------------------------
    "questions:staff": Staff(
        "questions", QUESTIONS_SEE, (get("list", query="?queue=all", marker=mx.WORK_QUESTION_MARK),)
    ),
    "questions:staff_bulk": Staff(
        "questions",
        QUESTIONS_TRIAGE,
        (post(label="accept", body=lambda w: {"action": "accept", "ids": [str(w.new_question.pk)]}),),
    ),
    "questions:staff_enter": Staff(
        "questions",
        "questions.permissions.can_enter_questions",
        (
            # This form's territory <select> carries pks and both names (questions.forms.TerritorySelect).
            get("list", marker=lambda w: f'data-names="{w.almaly.name_kk.lower()} {w.almaly.name_ru.lower()}"'),
            post(
                "create",
                body=lambda w: {
                    "unit": str(w.almaly.pk),
                    "category": str(w.water.pk),
                    "source": Question.Source.PAPER,
                    "language": "kk",
                    "text": "Қағаз түрінде келген сұрақ: аулада жарық жоқ.",
                    "author_name": "Ержан",
                },
            ),
        ),
    ),
    "questions:staff_detail": Staff("questions", QUESTIONS_SEE, (get(kwargs=kw(WORK_Q)),)),
    "questions:staff_personal_data": Staff(
        "questions",
        "questions.permissions.can_see_private (covers, or the assigned officer)",
        (post(kwargs=kw(WORK_Q)),),
    ),
    "questions:staff_action": Staff(
        "questions",
        f"{QUESTIONS_TRIAGE}; {QUESTIONS_MANAGE}",
        (
            question_action("accept", NEW_Q, lambda w: {"category": str(w.water.pk)}),
            question_action("category", NEW_Q, lambda w: {"category": str(w.roads_category.pk)}),
            question_action("reject", NEW_Q, lambda w: {"reason": Question.RejectReason.SPAM}),
            question_action("assign", WORK_Q, lambda w: {"department": str(w.energy.pk)}),
            question_action("extend", WORK_Q, lambda w: {"due_on": _later(40), "reason": EXTEND_REASON}),
            question_action("forward", WORK_Q, lambda w: {"forwarded_to": "Облыс әкімдігі"}),
            question_action("answer", WORK_Q, lambda w: ANSWER),
            question_action("on_the_spot", WORK_Q, lambda w: {"meeting": str(w.held.pk), **ANSWER}),
        ),
    ),
    # --- Staff pages: reports and action plans ------------------------------------------------
    "reports:staff-list": Staff("reports", REPORTS_RULE, (get("list", marker=mx.REPORT_MARK),)),
    "reports:staff-create": Staff(
        "reports",
        REPORTS_RULE,
        (
            get("list", marker=almaly_slug),
            post("create", body=lambda w: {"unit": w.almaly.slug, "title_kk": "Есеп", "body_kk": "Мәтін"}),
        ),
    ),
    "reports:staff-import": Staff(
        "reports",
        REPORTS_RULE,
        (
            get("list", marker=almaly_slug),
            post(
                "create",
                body=lambda w: {
                    "unit": w.almaly.slug,
                    "file": SimpleUploadedFile(
                        "press.txt", "Әкім тұрғындармен кездесті\n\nМәтін.".encode(), content_type="text/plain"
                    ),
                },
            ),
        ),
    ),
    "reports:staff-plans": Staff(
        "reports",
        REPORTS_RULE,
        (
            get("list", marker=mx.PLAN_MARK),
            post(
                "create",
                body=lambda w: {
                    "unit": w.almaly.slug,
                    "title_kk": "Жоспар",
                    "period_start": f"{timezone.localdate().year + 1}-01-01",
                    "period_end": f"{timezone.localdate().year + 1}-12-31",
                },
            ),
        ),
    ),
    "reports:staff-plan": Staff(
        "reports",
        REPORTS_RULE,
        (
            get(kwargs=kw(PLAN)),
            post(kwargs=kw(PLAN), body=lambda w: {"title_kk": "Жаңа іс", "due_on": _later(90), "funding": "no_cost"}),
        ),
    ),
    "reports:staff-item": Staff("reports", REPORTS_RULE, (get(kwargs=kw(ITEM)),)),
    "reports:staff-item-edit": Staff(
        "reports",
        REPORTS_RULE,
        (
            post(
                kwargs=kw(ITEM), body=lambda w: {"title_kk": "Өзгертілген", "due_on": _later(90), "funding": "no_cost"}
            ),
        ),
    ),
    "reports:staff-item-progress": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(ITEM), body=lambda w: {"progress": "50", "note": "Жарты"}),)
    ),
    "reports:staff-item-done": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(ITEM), body=lambda w: {"note": "Бітті"}),)
    ),
    "reports:staff-item-cancel": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(ITEM), body=lambda w: {"reason": "Қаражат жоқ"}),)
    ),
    "reports:staff-item-link": Staff(
        "reports",
        REPORTS_RULE,
        (post(kwargs=kw(ITEM), body=lambda w: {"questions": str(w.planned_question.pk)}),),
    ),
    "reports:staff-item-unlink": Staff(
        "reports",
        REPORTS_RULE,
        (post(kwargs=lambda w: {"pk": w.item.pk, "question_pk": w.linked_question.pk}),),
    ),
    "reports:staff-edit": Staff(
        "reports",
        REPORTS_RULE,
        (
            get(kwargs=kw(REPORT)),
            post(kwargs=kw(REPORT), body=lambda w: {"unit": w.almaly.slug, "title_kk": "Өзгертілген есеп"}),
        ),
    ),
    "reports:staff-preview": Staff("reports", REPORTS_RULE, (get(kwargs=kw(REPORT)),)),
    "reports:staff-cover": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(REPORT), body=lambda w: {"cover": _png(), "cover_alt_kk": "Сурет"}),)
    ),
    "reports:staff-publish": Staff("reports", REPORTS_RULE, (post(kwargs=kw(REPORT)),)),
    "reports:staff-unpublish": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(REPORT), body=lambda w: {"reason": "Қате бар"}),)
    ),
    # --- Staff API: meetings ------------------------------------------------------------------
    "GET /api/v1/staff/meetings/": Staff("meetings", MEETINGS_RULE, (get("list", marker=mx.MEETING_MARK),)),
    "POST /api/v1/staff/meetings/": Staff(
        "meetings", "meetings.permissions.can_manage_meetings", (post("create", body=meeting_api_body),)
    ),
    "GET /api/v1/staff/meetings/{id}/": Staff("meetings", MEETINGS_RULE, (get(kwargs=kw(MEETING)),)),
    "PATCH /api/v1/staff/meetings/{id}/": Staff(
        "meetings", MEETINGS_RULE, (patch(kwargs=kw(MEETING), body=lambda w: {"title_kk": "Өзгертілген"}),)
    ),
    "POST /api/v1/staff/meetings/{id}/reschedule/": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: reschedule_body(w, api=True)),)
    ),
    "POST /api/v1/staff/meetings/{id}/cancel/": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: {"reason": "Ауа райы"}),)
    ),
    "POST /api/v1/staff/meetings/{id}/mark-held/": Staff(
        "meetings", MEETINGS_RULE, (post(kwargs=kw(MEETING), body=lambda w: {"attendance": 10}),)
    ),
    "GET /api/v1/staff/meetings/{id}/registrations/": Staff(
        "meetings", "meetings.permissions.can_see_registrations", (get(kwargs=kw(MEETING)),)
    ),
    # --- Staff API: questions -----------------------------------------------------------------
    "GET /api/v1/staff/questions/": Staff("questions", QUESTIONS_SEE, (get("list", marker=mx.WORK_QUESTION_MARK),)),
    "GET /api/v1/staff/questions/{id}/": Staff("questions", QUESTIONS_SEE, (get(kwargs=kw(WORK_Q)),)),
    "POST /api/v1/staff/questions/{id}/personal-data/": Staff(
        "questions",
        "questions.permissions.can_see_private (covers, or the assigned officer)",
        (post(kwargs=kw(WORK_Q)),),
    ),
    "POST /api/v1/staff/questions/{id}/accept/": Staff(
        "questions", QUESTIONS_TRIAGE, (post(kwargs=kw(NEW_Q), body=lambda w: {"category": w.water.slug}),)
    ),
    "POST /api/v1/staff/questions/{id}/reject/": Staff(
        "questions", QUESTIONS_TRIAGE, (post(kwargs=kw(NEW_Q), body=lambda w: {"reason": "spam"}),)
    ),
    "POST /api/v1/staff/questions/{id}/assign/": Staff(
        "questions", QUESTIONS_MANAGE, (post(kwargs=kw(WORK_Q), body=lambda w: {"department": w.energy.pk}),)
    ),
    "POST /api/v1/staff/questions/{id}/extend/": Staff(
        "questions",
        QUESTIONS_MANAGE,
        (post(kwargs=kw(WORK_Q), body=lambda w: {"due_on": _later(40), "reason": EXTEND_REASON}),),
    ),
    "POST /api/v1/staff/questions/{id}/forward/": Staff(
        "questions", QUESTIONS_MANAGE, (post(kwargs=kw(WORK_Q), body=lambda w: {"forwarded_to": "Облыс әкімдігі"}),)
    ),
    "POST /api/v1/staff/questions/{id}/answer/": Staff(
        "questions", QUESTIONS_MANAGE, (post(kwargs=kw(WORK_Q), body=lambda w: ANSWER),)
    ),
    "POST /api/v1/staff/questions/{id}/answer-on-the-spot/": Staff(
        "questions", QUESTIONS_MANAGE, (post(kwargs=kw(WORK_Q), body=lambda w: {"meeting": w.held.pk, **ANSWER}),)
    ),
    # --- Staff API: reports and action plans --------------------------------------------------
    "POST /api/v1/staff/reports/": Staff(
        "reports", REPORTS_RULE, (post("create", body=lambda w: {"unit": w.almaly.slug, "title_kk": "Есеп"}),)
    ),
    "GET /api/v1/staff/reports/{id}/": Staff("reports", REPORTS_RULE, (get(kwargs=kw(REPORT)),)),
    "PATCH /api/v1/staff/reports/{id}/": Staff(
        "reports", REPORTS_RULE, (patch(kwargs=kw(REPORT), body=lambda w: {"title_kk": "Өзгертілген"}),)
    ),
    "POST /api/v1/staff/reports/{id}/publish/": Staff("reports", REPORTS_RULE, (post(kwargs=kw(REPORT)),)),
    "POST /api/v1/staff/reports/{id}/unpublish/": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(REPORT), body=lambda w: {"reason": "Қате бар"}),)
    ),
    "POST /api/v1/staff/action-plans/{id}/items/": Staff(
        "reports",
        REPORTS_RULE,
        (post(kwargs=kw(PLAN), body=lambda w: {"title_kk": "Жаңа іс", "due_on": _later(90), "funding": "no_cost"}),),
    ),
    "PATCH /api/v1/staff/action-items/{id}/": Staff(
        "reports", REPORTS_RULE, (patch(kwargs=kw(ITEM), body=lambda w: {"title_kk": "Өзгертілген"}),)
    ),
    "POST /api/v1/staff/action-items/{id}/progress/": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(ITEM), body=lambda w: {"progress": 50, "note": "Жарты"}),)
    ),
    "POST /api/v1/staff/action-items/{id}/complete/": Staff(
        "reports", REPORTS_RULE, (post(kwargs=kw(ITEM), body=lambda w: {"note": "Бітті"}),)
    ),
    "POST /api/v1/staff/action-items/{id}/link-questions/": Staff(
        "reports",
        REPORTS_RULE,
        (post(kwargs=kw(ITEM), body=lambda w: {"question_ids": [w.planned_question.pk]}),),
    ),
}

ADMIN_WILDCARD = "admin:*"


# --- Collecting routes and operations ---------------------------------------------------------


def _walk(resolver: URLResolver, namespace: str = "", prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            yield from _walk(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern), pattern


def url_routes() -> dict[str, str]:
    """Every named route (namespace:name) → its pattern. Unnamed routes must be the admin's own
    redirects or the media files DEBUG serves; anything else is reported as unclassifiable."""
    routes: dict[str, str] = {}
    for name, route, pattern in _walk(get_resolver()):
        if name is None:
            module = getattr(pattern.callback, "__module__", "")
            if "/admin/" in "/" + route or module == "django.views.static":
                continue
            routes[f"<unnamed {route}>"] = route
            continue
        routes.setdefault(name, route)
    return routes


def api_operations() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def _is_operation(key: str) -> bool:
    return bool(re.match(r"^(GET|POST|PUT|PATCH|DELETE) /", key))


def test_every_route_is_classified():
    routes = url_routes()
    unclassified = sorted(
        name
        for name in routes
        if name not in REGISTRY and not (name.startswith("admin:") and ADMIN_WILDCARD in REGISTRY)
    )
    assert not unclassified, (
        "Routes with no entry in tests/test_permission_matrix.py REGISTRY — add them to the registry "
        f"(public, resident, staff with its rule and calls, admin or infra): {unclassified}"
    )
    route_keys = {key for key in REGISTRY if not _is_operation(key) and key != ADMIN_WILDCARD}
    gone = sorted(route_keys - set(routes))
    assert not gone, f"REGISTRY entries for routes that no longer exist — remove them: {gone}"
    assert any(name.startswith("admin:") for name in routes), "REGISTRY classifies admin:* but there is no admin"


def test_every_api_operation_is_classified(db):
    operations = api_operations()
    unclassified = sorted(operations - set(REGISTRY))
    assert not unclassified, (
        "API operations with no entry in tests/test_permission_matrix.py REGISTRY — add them to the registry: "
        f"{unclassified}"
    )
    gone = sorted(key for key in REGISTRY if _is_operation(key) and key not in operations)
    assert not gone, f"REGISTRY entries for API operations that no longer exist — remove them: {gone}"
    for key, entry in REGISTRY.items():
        if _is_operation(key):
            assert not isinstance(entry, Api), f"{key}: an operation needs a classification, not Api()"


def test_staff_routes_are_classified_as_staff():
    """A route under a staff path can never be classified public by mistake."""
    misfiled = sorted(
        key
        for key, entry in REGISTRY.items()
        if ("staff" in key.split(":")[-1] or "/staff/" in key) and not isinstance(entry, Staff | Api)
    )
    assert not misfiled, f"staff routes classified as something other than Staff: {misfiled}"


# --- The shared world ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end; each test runs in
    a savepoint inside it, so an allowed write never leaks into the next test."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield mx.build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "matrix-media"


SNAPSHOT_MODELS = [
    Meeting,
    MeetingEvent,
    Speaker,
    AgendaItem,
    ReceptionSlot,
    Registration,
    PlanItem,
    Question,
    QuestionEvent,
    Report,
    ReportEvent,
    ActionPlan,
    ActionItem,
    ActionItemEvent,
    StaffRole,
    PersonalDataAccess,  # a refused "show the contact" records nothing either
]


def snapshot() -> dict:
    """Every row of every table a staff write could touch: the matrix world is small."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}


# --- Running a call -----------------------------------------------------------------------------


def _url(key: str, call: Call, w: World) -> str:
    kwargs = call.kwargs(w) if call.kwargs else {}
    if _is_operation(key):
        path = key.split(" ", 1)[1]
        for name, value in kwargs.items():
            path = path.replace("{" + ("id" if name == "pk" else name) + "}", str(value))
        assert "{" not in path, f"{key}: no value for a path parameter"
        return path + call.query
    return reverse(key, kwargs=kwargs) + call.query


def _request(client, key: str, call: Call, w: World):
    url = _url(key, call, w)
    body = call.body(w) if call.body else {}
    if _is_operation(key):
        if call.method == "GET":
            return client.get(url, HTTP_ACCEPT_LANGUAGE="kk")
        return client.generic(
            call.method, url, data=_json(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="kk"
        )
    if call.method == "GET":
        return client.get(url)
    return client.post(url, body)


def _json(body: dict) -> str:
    return json.dumps(body)


def _marker(call: Call, w: World) -> str | None:
    return call.marker(w) if callable(call.marker) else call.marker


def _cases():
    for key, entry in REGISTRY.items():
        if not isinstance(entry, Staff):
            continue
        for call in entry.calls:
            call_id = f"{key}[{call.label or call.method}]" if call.label or len(entry.calls) > 1 else key
            for persona in PERSONAS:
                yield pytest.param(key, entry, call, persona, id=f"{call_id}-{persona}")


WORKSPACE_MEMBERS = {
    # Who gets past each app's workspace gate (meetings/reports staff_required, questions _staff).
    "meetings": {"medeu_staff", "almaly_staff", "almaty_staff", "administrator"},
    "reports": {"medeu_staff", "almaly_staff", "almaty_staff", "administrator"},
    "questions": {"medeu_staff", "almaly_staff", "almaty_staff", "other_officer", "administrator"},
}
# What a signed-in person outside the workspace gets on a page of that app.
NON_MEMBER_PAGE_STATUS = {"meetings": 403, "reports": 403, "questions": 404}


def _describe(response) -> str:
    text = response.content[:300].decode(errors="replace").replace("\n", " ")
    return f"{response.status_code} {response.get('Location', '')} {text}"


def _assert_allowed(response, *, key: str, call: Call, is_api: bool, marker: str | None):
    status = response.status_code
    where = f"{call.method} {key}"
    if call.method == "GET":
        assert status == 200, f"{where}: an allowed persona was refused: {_describe(response)}"
        if marker:
            assert marker in response.content.decode(), f"{where}: the Almaly row {marker!r} is missing"
        return
    if status in (301, 302, 303):
        assert not response["Location"].startswith(reverse("login")), f"{where}: sent to login"
        return
    # 400: the input was refused; 409 (API): the row's state refused the action. Both let the
    # persona in: neither is a permission answer.
    assert status in (200, 201, 400) or (is_api and status == 409), (
        f"{where}: an allowed persona was refused: {_describe(response)}"
    )
    if status in (400, 409) and is_api:
        body = response.json()
        assert body.get("message") and "errors" in body, f"{where}: {status} without the error shape: {body}"


def _assert_denied(response, *, key: str, entry: Staff, call: Call, persona: str, is_api: bool, marker: str | None):
    status = response.status_code
    where = f"{call.method} {key} as {persona}"
    if persona == "anonymous":
        if is_api:
            assert status in (401, 403), f"{where}: LEAK — expected 401/403, got {_describe(response)}"
        else:
            assert status == 302, f"{where}: LEAK — expected a redirect to login, got {_describe(response)}"
            assert response["Location"].startswith(reverse("login")), f"{where}: redirected elsewhere"
        return
    member = persona in WORKSPACE_MEMBERS[entry.workspace]
    if not is_api and not member:
        expected = NON_MEMBER_PAGE_STATUS[entry.workspace]
        assert status == expected, f"{where}: LEAK — expected {expected}, got {_describe(response)}"
        return
    if call.scope == "object":
        assert status == 404, f"{where}: LEAK — expected 404 outside the territory, got {_describe(response)}"
    elif call.scope == "list":
        assert status == 200, f"{where}: expected the (filtered) page, got {_describe(response)}"
        if marker:
            assert marker not in response.content.decode(), f"{where}: LEAK — the Almaly row {marker!r} is shown"
    else:
        assert status in (400, 403, 404), f"{where}: LEAK — expected a refusal, got {_describe(response)}"


@pytest.mark.parametrize(("key", "entry", "call", "persona"), list(_cases()))
def test_staff_matrix(world, db, client, key, entry, call, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    is_api = _is_operation(key)
    marker = _marker(call, world)
    writes = call.method != "GET"
    before = snapshot() if writes and persona not in ALLOWED else None

    response = _request(client, key, call, world)

    if persona in ALLOWED:
        _assert_allowed(response, key=key, call=call, is_api=is_api, marker=marker)
    else:
        _assert_denied(response, key=key, entry=entry, call=call, persona=persona, is_api=is_api, marker=marker)
        if before is not None:
            assert snapshot() == before, f"{call.method} {key} as {persona}: LEAK — the database changed"


# --- Public, resident, admin and infra routes ---------------------------------------------------


def _no_arg_routes(kind) -> list[str]:
    """Routes of this kind that take no URL arguments (the others are opened by their app's tests)."""
    routes = url_routes()
    return sorted(
        key
        for key, entry in REGISTRY.items()
        if isinstance(entry, kind) and key in routes and "<" not in routes[key] and "(?P" not in routes[key]
    )


@pytest.mark.parametrize("name", _no_arg_routes(Public) + _no_arg_routes(Infra))
def test_public_pages_open_to_anyone(world, db, client, name):
    response = client.get(reverse(name))
    if name == "logout":  # a GET is not a sign-out (Django answers 405); it is never a login wall
        assert response.status_code == 405
        return
    assert response.status_code not in (401, 403), _describe(response)
    if response.status_code in (301, 302):
        assert not response["Location"].startswith(reverse("login")), _describe(response)


@pytest.mark.parametrize(
    "key",
    sorted(
        key
        for key, entry in REGISTRY.items()
        if isinstance(entry, Public) and key.startswith("GET /") and "{" not in key
    ),
)
def test_public_api_reads_open_to_anyone(world, db, client, key):
    response = client.get(key.split(" ", 1)[1], HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code not in (401, 403, 404), _describe(response)


@pytest.mark.parametrize("name", _no_arg_routes(Resident))
@pytest.mark.parametrize("persona", ["anonymous", "resident"])
def test_resident_pages_ask_to_sign_in(world, db, client, name, persona):
    if persona == "resident":
        client.force_login(world.personas["resident"])
    response = client.get(reverse(name))
    if persona == "anonymous":
        assert response.status_code == 302, _describe(response)
        assert response["Location"].startswith(reverse(REGISTRY[name].login) + "?next="), _describe(response)
    else:
        assert response.status_code == 200, _describe(response)


def _admin_pages() -> list[str]:
    names = [name for name in url_routes() if name.startswith("admin:") and name.endswith("_changelist")]
    return ["admin:index", *sorted(names)]


@pytest.mark.parametrize("name", _admin_pages())
@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_the_administrator(world, db, client, name, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name))
    if persona == "administrator":
        assert response.status_code == 200, _describe(response)
    else:
        assert response.status_code == 302, f"{name} as {persona}: LEAK — {_describe(response)}"
        assert response["Location"].startswith(reverse("admin:login")), _describe(response)


@pytest.mark.parametrize("name", _no_arg_routes(AdminPage))
@pytest.mark.parametrize("persona", PERSONAS)
def test_administrator_pages_are_for_the_administrator_only(world, db, client, name, persona):
    user = world.personas[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(name))
    if persona == "administrator":
        assert response.status_code == 200, _describe(response)
    elif persona == "anonymous":
        assert response.status_code == 302, f"{name} as {persona}: LEAK — {_describe(response)}"
        assert response["Location"].startswith(reverse("login")), _describe(response)
    else:
        assert response.status_code == 403, f"{name} as {persona}: LEAK — {_describe(response)}"


def test_the_cast_is_what_the_matrix_says(world, db):
    """The personas' roles, so that a change to the world cannot silently empty the matrix."""
    user_model = get_user_model()
    assert set(world.personas) == set(PERSONAS)
    roles = dict(StaffRole.objects.filter(user__username__startswith="mx.").values_list("user__username", "role"))
    assert roles == {
        "mx.medeu.staff": StaffRole.Role.AKIMAT_STAFF,
        "mx.almaly.staff": StaffRole.Role.AKIMAT_STAFF,
        "mx.almaty.staff": StaffRole.Role.AKIMAT_STAFF,
        "mx.energy.officer": StaffRole.Role.DEPARTMENT_OFFICER,
    }
    assert user_model.objects.get(username="mx.admin").is_superuser
    assert world.work_question.department_id == world.roads.pk
    assert world.work_question.unit_id == world.almaly.pk
