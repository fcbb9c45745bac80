"""XSS payloads in every text field, and a checker that tells inert markup from live markup.

Shared by tests/core/test_xss.py (every page, feed, API response and export) and
tests/browser/test_xss.py (a real browser must not fire a dialog).

The fields are discovered from the models, not listed by hand: every CharField and TextField
of the project's apps that a person can type into gets a payload with its own number, so a new
text field is covered the day it is added. `EXCLUDED` names the few that are not free text
(validated formats, codes and machine-written columns), each with its reason.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser

from django.apps import apps
from django.db import models
from django.utils import timezone

from accounts.models import User
from cycles.models import Cycle, CycleMeeting, Programme
from districts.models import AdministrativeUnit
from districts.services import department_create
from meetings import services as meeting_services
from meetings.models import Meeting
from open311 import services as open311_services
from open311.models import ApiKey, Submission
from questions import services as question_services
from questions.models import Question
from reports import services as report_services
from tests.factories import UserFactory, make_akim, make_staff, make_unit
from tests.meetings.factories import in_days, make_meeting, make_venue
from tests.questions import factories as question_factories

PROJECT_APPS = ["accounts", "districts", "meetings", "questions", "reports", "cycles", "notifications"]

# (app_label.Model, field) → why it holds no free text. "*" excludes every field of the model.
EXCLUDED = {
    ("accounts.User", "password"): "a hash",
    ("accounts.User", "username"): "validated: letters, digits and @.+-_ only",
    ("accounts.User", "phone"): "validated phone number",
    ("accounts.User", "sign_in_contact"): "a normalised email address or phone number, unique",
    ("accounts.SignInCode", "*"): "keyed digests written by the sign-in service",
    ("districts.AdministrativeUnit", "kato"): "validated 9-digit code",
    ("meetings.MeetingEvent", "from_status"): "a status code written by the services",
    ("meetings.MeetingEvent", "to_status"): "a status code written by the services",
    ("meetings.Registration", "phone"): "validated phone number",
    ("meetings.Registration", "language"): "a language code",
    ("meetings.ReceptionBooking", "phone"): "validated phone number",
    ("meetings.ReceptionBooking", "language"): "a language code",
    ("questions.Question", "contact_phone"): "validated phone number",
    ("questions.Question", "iin"): "validated 12-digit IIN",
    ("questions.Support", "contact"): "a normalised email address or phone number",
    ("reports.ReportEvent", "from_status"): "a status code written by the services",
    ("reports.ReportEvent", "to_status"): "a status code written by the services",
    ("reports.ActionItemEvent", "from_status"): "a status code written by the services",
    ("reports.ActionItemEvent", "to_status"): "a status code written by the services",
    ("accounts.PersonalDataAccess", "subject_model"): "a model label written by the services",
    ("notifications.Message", "*"): "the outbox: machine-written kinds, keys and gateway errors",
    ("notifications.Unsubscription", "*"): "an address and a message kind written by a signed link",
    ("notifications.Preference", "*"): "a message kind",
}


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def text_fields() -> list[tuple[type[models.Model], str]]:
    """Every free-text column: CharField/TextField without choices that is not a slug, an email,
    a URL, a machine-written column or the untranslated twin of a translated field (its _kk and
    _ru columns are what is stored and what gets the payloads)."""
    found = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            names = {f.name for f in model._meta.concrete_fields}
            if (model_key(model), "*") in EXCLUDED:
                continue
            for f in model._meta.concrete_fields:
                if not isinstance(f, models.CharField | models.TextField):
                    continue
                if isinstance(f, models.SlugField | models.EmailField | models.URLField):
                    continue
                if f.choices or not f.editable or (model_key(model), f.name) in EXCLUDED:
                    continue
                if f"{f.name}_kk" in names and f"{f.name}_ru" in names:
                    continue  # modeltranslation's virtual original: the columns are _kk and _ru
                found.append((model, f.name))
    return found


def stale_exclusions() -> list[str]:
    """Exclusions naming a model or field that no longer exists (so the list cannot rot)."""
    stale = []
    for (model_key, name), _reason in EXCLUDED.items():
        try:
            model = apps.get_model(model_key)
        except LookupError:
            stale.append(f"{model_key}.{name}")
            continue
        if name != "*" and name not in {f.name for f in model._meta.concrete_fields}:
            stale.append(f"{model_key}.{name}")
    return stale


# --- Payloads ------------------------------------------------------------------------------------

FIRST_NUMBER = 7001


def payload_parts(number: int) -> list[str]:
    return [
        f'<script>alert("xss-{number}")</script>',
        f'"><img src=x onerror=alert({number})>',
        f"'><svg onload=alert({number})>",
        f"javascript:alert({number})",
        f'=HYPERLINK("https://evil.invalid/{number}")',
    ]


# Markdown bodies also get the tricks a Markdown renderer can be fooled with.
def markdown_parts(number: int) -> list[str]:
    return [
        f"[link-{number}](javascript:alert({number}))",
        f"[upper-{number}](JaVaScRiPt:alert({number}))",
        f"[entity-{number}](&#106;avascript:alert({number}))",
        f"![image-{number}](javascript:alert({number}))",
        f"<javascript:alert({number})>",
        f'<a href="javascript:alert({number})">raw-{number}</a>',
        f"<img src=x onerror=alert({number})>",
        f'<iframe src="javascript:alert({number})"></iframe>',
        f"[data-{number}](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        f'<p style="background:url(javascript:alert({number}))" onclick="alert({number})">styled-{number}</p>',
    ]


MARKDOWN_FIELDS = {("reports.Report", "body_kk"), ("reports.Report", "body_ru")}


def payload_for(number: int, *, max_length: int | None, markdown: bool = False) -> str:
    """All payload parts that fit, starting at a different part for each field, so that every
    kind of payload is also the *first* thing in some field (where href=, CSV cells and
    attribute values begin)."""
    parts = payload_parts(number)
    start = number % len(parts)
    parts = parts[start:] + parts[:start]
    if markdown:
        # The Markdown tricks first: after an unclosed <svg> (one of the parts above) the
        # sanitiser drops everything, which would hide them from the checks, depending on the
        # field's number.
        parts = markdown_parts(number) + parts
    text = ""
    for part in parts:
        candidate = f"{text} {part}" if text else part
        if max_length is not None and len(candidate) > max_length:
            break
        text = candidate
    return text


def marker_seen(number: int, content: str) -> bool:
    """Whether the payload numbered `number` reached this output, in any escaping."""
    return f"alert({number})" in content or f"xss-{number}" in content or f"evil.invalid/{number}" in content


@dataclass
class Payloads:
    """(model key, field) → the payload number; number → where it came from."""

    numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    def origin(self, number: int) -> str:
        for (model_key, name), n in self.numbers.items():
            if n == number:
                return f"{model_key}.{name}"
        return "?"


def fill_with_payloads() -> Payloads:
    """Overwrite every free-text column of every row with its payload. Straight UPDATEs: this is
    about what the pages do with whatever is stored, not about the forms' validation."""
    payloads = Payloads()
    values: dict[type[models.Model], dict[str, str]] = {}
    for offset, (model, name) in enumerate(text_fields()):
        number = FIRST_NUMBER + offset
        payloads.numbers[(model_key(model), name)] = number
        f = model._meta.get_field(name)
        max_length = f.max_length
        value = payload_for(number, max_length=max_length, markdown=(model_key(model), name) in MARKDOWN_FIELDS)
        values.setdefault(model, {})[name] = value
    # One UPDATE per model: an original and its public copy change together, as the
    # constraints that keep them in step require.
    for model, fields in values.items():
        model.objects.update(**fields)
    return payloads


# --- The world ---------------------------------------------------------------------------------


@dataclass
class World:
    city: AdministrativeUnit
    district: AdministrativeUnit
    administrator: User
    staff: User
    resident: User
    upcoming: Meeting
    held: Meeting
    cancelled: Meeting
    reception: Meeting
    questions: dict[str, Question]
    objects: dict[str, object]
    payloads: Payloads | None = None


def build_world() -> World:
    """Every kind of row that carries text, in every state a page shows differently."""
    city = make_unit(AdministrativeUnit.Kind.REPUBLICAN_CITY, slug="xss-city")
    district = make_unit(AdministrativeUnit.Kind.DISTRICT, parent=city, slug="xss-district")
    department = department_create(
        unit=city, name_kk="Бөлім", name_ru="Отдел", head_name_kk="Басшы", head_name_ru="Руководитель"
    )
    administrator = UserFactory(username="xss.admin", is_staff=True, is_superuser=True)
    staff = make_staff(district, username="xss.staff", first_name="Staff", last_name="Member")
    officer = make_staff(city, "department_officer", department=department, username="xss.officer")
    resident = UserFactory(username="xss.resident", first_name="Res", last_name="Ident")
    akim = make_akim(district, full_name_kk="Әкім", full_name_ru="Аким", term_start=date(2020, 1, 1))
    venue = make_venue(district, capacity=100, accessibility_kk="Пандус", accessibility_ru="Пандус")

    upcoming = meeting_services.meeting_schedule(
        actor=staff,
        unit=district,
        kind=Meeting.Kind.REPORTING,
        title_kk="Кездесу",
        title_ru="Встреча",
        description_kk="Сипаттама",
        description_ru="Описание",
        starts_at=in_days(10),
        ends_at=in_days(10, hour=13),
        venue=venue,
        host=akim,
    )
    meeting_services.speaker_add(meeting=upcoming, actor=staff, name_kk="Спикер", position_kk="Лауазым")
    meeting_services.agenda_item_add(meeting=upcoming, actor=staff, title_kk="Есеп", minutes=30, is_akim_report=True)
    meeting_services.registration_create(meeting=upcoming, name="Тіркелген", email="reg@example.kz", user=resident)
    reception = make_meeting(district, kind=Meeting.Kind.RECEPTION, starts_at=in_days(12), title_kk="Қабылдау")
    slot = meeting_services.reception_slot_add(
        meeting=reception, actor=staff, official_kk="Маман", position_kk="Бөлім басшысы", starts_at=in_days(12)
    )
    meeting_services.reception_slot_add(
        meeting=reception, actor=staff, official_kk="Маман", starts_at=in_days(12) + timedelta(minutes=30)
    )
    meeting_services.reception_slot_book(slot=slot, name="Қабылдауға", email="book@example.kz", topic="Тақырып")
    cancelled = make_meeting(district, starts_at=in_days(15), title_kk="Болмайды")
    meeting_services.meeting_cancel(meeting=cancelled, actor=staff, reason="Себебі бар")
    held = make_meeting(
        district,
        starts_at=in_days(-5),
        status=Meeting.Status.HELD,
        attendance=120,
        host=akim,
        venue=venue,
        title_kk="Өткен",
    )
    meeting_services.plan_item_create(
        actor=staff,
        unit=district,
        planned_on=timezone.localdate() + timedelta(days=40),
        kind=Meeting.Kind.REPORTING,
        title_kk="Жоспар",
    )

    questions = _questions(district, staff, department, held, upcoming, resident)
    # The question awaiting its code, as if posted through Open311 (tokens/<token>).
    open311_key = ApiKey(owner="XSS app")
    open311_services.api_key_issue(api_key=open311_key)
    Submission.objects.create(question=questions["submitted"], api_key=open311_key, token="xss-open311-token")

    report = report_services.report_create(
        actor=staff,
        unit=district,
        meeting=held,
        title_kk="Есеп",
        title_ru="Отчёт",
        lead_kk="Лид",
        lead_ru="Лид",
        body_kk="Мәтін",
        body_ru="Текст",
        cover_alt_kk="Сурет",
        cover_alt_ru="Фото",
        author_name="Автор",
    )
    report = report_services.report_publish(report=report, actor=staff)
    draft = report_services.report_create(actor=staff, unit=district, title_kk="Жоба", body_kk="Мәтін")
    plan = report_services.action_plan_create(
        actor=staff,
        unit=district,
        title_kk="Жоспар",
        title_ru="План",
        period_start=date(timezone.localdate().year, 1, 1),
        period_end=date(timezone.localdate().year, 12, 31),
        source_meetings=[held],
    )
    item = report_services.action_item_create(
        actor=staff,
        plan=plan,
        title_kk="Іс",
        title_ru="Дело",
        department=department,
        responsible="Жауапты",
        due_on=timezone.localdate() + timedelta(days=20),
        budget=Decimal("1000000"),
    )
    report_services.action_item_progress(item=item, actor=staff, progress=10, note="Басталды")
    report_services.action_item_link_questions(item=item, actor=staff, question_ids=[questions["planned"].pk])
    cancelled_item = report_services.action_item_create(
        actor=staff, plan=plan, title_kk="Тоқтатылған", due_on=timezone.localdate() + timedelta(days=60)
    )
    report_services.action_item_cancel(item=cancelled_item, actor=staff, reason="Қаражат жоқ")

    # A cycle of the district's meetings, in a programme (the cycles app's pages).
    programme = Programme.objects.create(
        unit=district, title_kk="Бағдарлама", title_ru="Программа", slug="xss-programme"
    )
    cycle = Cycle.objects.create(
        unit=district,
        host=akim,
        kind=Cycle.Kind.PROGRAMME_1,
        number=1,
        title_kk="Цикл",
        title_ru="Цикл",
        starts_on=timezone.localdate(held.starts_at),
        ends_on=timezone.localdate(held.starts_at),
        slug="xss-cycle",
        programme=programme,
    )
    CycleMeeting.objects.create(cycle=cycle, meeting=held)

    return World(
        city=city,
        district=district,
        administrator=administrator,
        staff=staff,
        resident=resident,
        upcoming=upcoming,
        held=held,
        cancelled=cancelled,
        reception=reception,
        questions=questions,
        objects={
            "department": department,
            "akim": akim,
            "venue": venue,
            "slot": slot,
            "report": report,
            "draft": draft,
            "plan": plan,
            "item": item,
            "officer": officer,
            "cycle": cycle,
            "programme": programme,
        },
    )


def _questions(district, staff, department, held, upcoming, resident) -> dict[str, Question]:
    f = question_factories
    qs = question_services
    water = f.category("water")
    submitted = f.submit(district, author=resident, meeting=upcoming)
    new = f.new(district)
    accepted = f.accepted(district, staff)
    qs.question_support(question=accepted, user=resident)
    assigned = f.assigned(district, staff, department)
    extended = qs.question_extend(
        question=f.assigned(district, staff, department),
        actor=staff,
        due_on=timezone.localdate() + timedelta(days=40),
        reason="Мердігерді конкурс арқылы таңдау керек, бұл бір айдан астам уақыт алады.",
    )
    forwarded = qs.question_forward(
        question=f.assigned(district, staff, department), actor=staff, forwarded_to="Облыс әкімдігі", note="Жіберілді"
    )
    answered = f.answered(district, staff, department, author=resident)
    answered = qs.question_rate(question=answered, satisfied=False, comment="Қанағаттанбадым")
    planned = f.answered(district, staff, department, outcome=Question.Outcome.PLANNED)
    on_the_spot = qs.question_answer_on_the_spot(
        question=f.accepted(district, staff), actor=staff, meeting=held, answer_text="Жауап берілді, жұмыс басталды."
    )
    rejected = qs.question_reject(
        question=f.new(district), actor=staff, reason=Question.RejectReason.OUT_OF_SCOPE, note="Біздің құзырда емес"
    )
    appeal = f.new(
        district,
        is_official_appeal=True,
        full_name="Толық Аты",
        postal_address="Мекенжай",
        iin="900101300176",
        category=water,
    )
    entered = qs.question_enter(
        actor=staff,
        unit=district,
        category=water,
        text="Қағаз түрінде келген сұрақ: аулада жарық жоқ.",
        language="ru",
        source=Question.Source.PAPER,
        author_name="Қағаз",
        meeting=held,
    )
    return {
        "submitted": submitted,
        "new": new,
        "accepted": accepted,
        "assigned": assigned,
        "extended": extended,
        "forwarded": forwarded,
        "reopened": answered,  # rated "not satisfied": back in work
        "planned": planned,
        "on_the_spot": on_the_spot,
        "rejected": rejected,
        "appeal": appeal,
        "entered": entered,
    }


# --- The checker ---------------------------------------------------------------------------------

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:application", "data:image/svg")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
ACTIVE_TAGS = {"iframe", "object", "embed", "frame", "frameset", "applet", "base"}
# Attribute values that carry a URL are compared after removing what browsers ignore in a
# scheme: whitespace and control characters anywhere (`java\tscript:` still runs).
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False
        self._script_is_data = False

    def handle_starttag(self, tag, attrs):
        self._check_tag(tag, attrs)
        if tag == "script":
            self._in_script = True
            kind = (dict(attrs).get("type") or "").strip().lower()
            self._script_is_data = kind in DATA_SCRIPT_TYPES

    def handle_startendtag(self, tag, attrs):
        self._check_tag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        # The site has no inline script at all (its CSP forbids it): any script body is injected.
        # A JSON data block (DRF's CSRF settings) is not run; a payload breaking out of one
        # opens a new <script> element, which is caught.
        if self._in_script and not self._script_is_data and data.strip():
            self.problems.append(f"inline <script> with code: {data.strip()[:80]!r}")

    def _check_tag(self, tag, attrs):
        if tag in ACTIVE_TAGS:
            self.problems.append(f"<{tag}> element: {attrs!r}"[:160])
        for name, value in attrs:
            name = (name or "").lower()
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value[:60]!r}>: an event handler attribute")
            if name in URL_ATTRIBUTES or (tag == "meta" and name == "content" and "url=" in value.lower()):
                compact = _IGNORED_IN_SCHEME.sub("", value).lower()
                target = compact.split("url=", 1)[1] if tag == "meta" and "url=" in compact else compact
                for candidate in target.split(",") if name == "srcset" else [target]:
                    if candidate.startswith(DANGEROUS_SCHEMES):
                        self.problems.append(f"<{tag} {name}={value[:60]!r}>: a script URL")
            if name == "style" and ("javascript:" in value.lower() or "expression(" in value.lower()):
                self.problems.append(f"<{tag} style={value[:60]!r}>: script in a style")


def unsafe_markup(html: str) -> list[str]:
    """What in this HTML would run script in a browser: injected script elements, event handler
    attributes, script URLs in links and sources, frames and objects. Parsed, not grepped: an
    escaped payload (`&lt;script&gt;`) is text and passes; a live one is a tag and fails."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems
