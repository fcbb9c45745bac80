"""Every route of the site with concrete arguments from the demo data (`manage.py seed_demo`).

The sweeps over the whole site — no page wider than a phone, axe-core, the language of every
word, hostile query strings — walk `demo_routes()`. A route with URL arguments that
`_arguments()` does not know makes `demo_routes()` raise, so a new page joins every sweep or
every sweep fails; the audience comes from the permission matrix's REGISTRY, which fails on an
unclassified route the same way.

`complete_demo()` adds, through the services, the few objects the demo does not hold but some
pages need (a registration, a reception booking, a draft report, a question awaiting its code),
all in Almaty so that `almaty.staff` covers every staff page; and a question posted through Open311
(its token for tokens/<token>).

Use:

    call_command("seed_demo", verbosity=0)
    extras = complete_demo()
    for route in demo_routes(extras):
        for path in route.paths("ru"):
            ...
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from districts.models import AdministrativeUnit, Akim
from meetings.models import Meeting, ReceptionBooking, ReceptionSlot, Registration
from meetings.tokens import booking_token, registration_token
from notifications.services import unsubscribe_token
from questions.models import Category, Question
from reports import exports
from reports.models import ActionItem, ActionPlan, Report

LANGUAGES = ("kk", "ru")
STAFF_USERNAME = "almaty.staff"  # covers Almaty and its districts: every object below lives there
ADMIN_USERNAME = "admin"
RESIDENT_USERNAME = "resident"

# GET requests that write (a signed confirmation link): a sweep must not follow them.
WRITES_ON_GET = frozenset({"questions:confirm", "questions:support_confirm"})
# Answers that are not HTML pages, whatever their audience.
_NOT_HTML_SUFFIXES = (".ics", ".atom", ".csv", ".<str:fmt>", ".xml", ".<open311_format:fmt>")


@dataclass(frozen=True)
class DemoRoute:
    """One named route. `audience`: public, resident (any signed-in person), staff, admin (the
    site's administrator pages), machine (health, schema, feeds, sign-out) or api."""

    name: str
    pattern: str
    audience: str
    kwargs: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def is_api(self) -> bool:
        return self.audience == "api"

    @property
    def is_html_page(self) -> bool:
        """A page a person reads in a browser (not the API, a feed, a calendar or an export)."""
        return self.audience in {"public", "resident", "staff", "admin"} and not self.pattern.endswith(
            _NOT_HTML_SUFFIXES
        )

    @property
    def is_i18n(self) -> bool:
        return self.pattern.startswith("kk/")

    @property
    def writes_on_get(self) -> bool:
        return self.name in WRITES_ON_GET

    @property
    def username(self) -> str | None:
        """The demo account that may open it (None: anonymous)."""
        return {"staff": STAFF_USERNAME, "admin": ADMIN_USERNAME, "resident": RESIDENT_USERNAME}.get(self.audience)

    def paths(self, language: str = "kk") -> list[str]:
        """One path per argument set (or one, for a route without arguments), in `language`."""
        with translation.override(language):
            if not self.kwargs:
                return [reverse(self.name)]
            return [reverse(self.name, kwargs=kwargs) for kwargs in self.kwargs]


@dataclass
class DemoExtras:
    """What complete_demo() added."""

    registration: Registration
    booking: ReceptionBooking
    draft: Report
    submitted: Question
    open311_token: str


def complete_demo() -> DemoExtras:
    """Add what seed_demo lacks for some pages, through the services (idempotent enough for one
    test database: call it once after seed_demo)."""
    from meetings.services import reception_slot_book, registration_create
    from open311.models import ApiKey
    from open311.services import api_key_issue, service_request_post
    from questions.services import question_submit
    from reports.services import report_create

    almaty = AdministrativeUnit.objects.get(slug="almaty")
    staff = User.objects.get(username=STAFF_USERNAME)
    upcoming = _upcoming(almaty)
    registration = registration_create(meeting=upcoming, name="Demo Registrant", email="registrant@example.kz")
    slot = _free_slot()
    booking = reception_slot_book(slot=slot, name="Demo Visitor", phone="+77011234567")
    draft = report_create(
        actor=staff,
        unit=almaty,
        title_kk="Жоба: әкімнің есебі",
        title_ru="Черновик: отчёт акима",
        lead_kk="Қысқаша.",
        lead_ru="Кратко.",
        body_kk="Мәтін.",
        body_ru="Текст.",
    )
    submitted = question_submit(
        unit=almaty.children.order_by("pk").first(),
        category=Category.objects.filter(is_active=True).order_by("position", "pk").first(),
        text="Аулада жарық жоқ, шам қашан жөнделеді?",
        language="kk",
        author_name="Demo Author",
        contact_email="author@example.kz",
    )
    api_key = ApiKey(owner="Demo civic app")
    api_key_issue(api_key=api_key)
    posted = service_request_post(
        api_key=api_key,
        unit=submitted.unit,
        category=submitted.category,
        description="Көшеде шам жанбайды, түнде қараңғы.",
        language="kk",
        author_name="Demo Integrator",
        email="integrator@example.kz",
    )
    return DemoExtras(
        registration=registration, booking=booking, draft=draft, submitted=submitted, open311_token=posted.token
    )


def _upcoming(city: AdministrativeUnit) -> Meeting:
    return (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now() + timedelta(hours=1))
        .within(city)
        .exclude(kind=Meeting.Kind.RECEPTION)
        .order_by("starts_at")
        .first()
    )


def _free_slot() -> ReceptionSlot:
    return (
        ReceptionSlot.objects.filter(bookings__isnull=True, starts_at__gt=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def _first(queryset):
    obj = queryset.order_by("pk").first()
    if obj is None:
        raise LookupError(f"the demo data holds no {queryset.model.__name__} for the sweeps: {queryset.query}")
    return obj


def _arguments(extras: DemoExtras) -> dict[str, list[dict]]:
    """URL arguments for every route that takes them, from the demo data."""
    almaty = AdministrativeUnit.objects.get(slug="almaty")
    district = AdministrativeUnit.objects.get(slug="almaty-almaly")
    upcoming = _upcoming(almaty)
    held = _first(Meeting.objects.within(almaty).filter(status=Meeting.Status.HELD))
    reception = _first(Meeting.objects.filter(kind=Meeting.Kind.RECEPTION))
    in_city = Question.objects.filter(unit__path__startswith=almaty.path)
    public = _first(in_city.filter(status=Question.Status.ANSWERED))
    accepted = _first(in_city.filter(status=Question.Status.ACCEPTED))
    new = _first(in_city.filter(status=Question.Status.NEW))
    report = _first(Report.objects.filter(status=Report.Status.PUBLISHED, unit__path__startswith=almaty.path))
    plan = _first(ActionPlan.objects.filter(unit__path__startswith=almaty.path))
    item = _first(ActionItem.objects.filter(plan=plan))
    linked = _first(ActionItem.objects.filter(plan__unit__path__startswith=almaty.path, questions__isnull=False))
    speaker = upcoming.speakers.order_by("pk").first() or _first(held.speakers.all())
    agenda = upcoming.agenda.order_by("pk").first() or _first(held.agenda.all())
    slot = _free_slot()
    pk = lambda obj: [{"pk": obj.pk}]  # noqa: E731
    question_actions = ("accept", "reject", "assign", "extend", "forward", "answer", "on-the-spot")
    formats = [{"fmt": "json"}, {"fmt": "xml"}]
    return {
        "districts:detail": [{"slug": almaty.slug}, {"slug": district.slug}],
        "meetings:detail": [{"pk": m.pk} for m in (upcoming, held, reception)],
        "meetings:ics": pk(upcoming),
        "meetings:register": pk(upcoming),
        "meetings:feed": [{"slug": almaty.slug}],
        "meetings:registration": [{"token": registration_token(extras.registration)}],
        "meetings:book": pk(slot),
        "meetings:booking": [{"token": booking_token(extras.booking)}],
        "meetings:staff-detail": [{"pk": m.pk} for m in (upcoming, held)],
        "meetings:staff-edit": pk(upcoming),
        "meetings:staff-attendance": pk(upcoming),
        "meetings:staff-registrations-csv": pk(upcoming),
        "meetings:staff-publish": pk(upcoming),
        "meetings:staff-reschedule": pk(upcoming),
        "meetings:staff-cancel": pk(upcoming),
        "meetings:staff-held": pk(upcoming),
        "meetings:staff-speaker-add": pk(upcoming),
        "meetings:staff-agenda-add": pk(upcoming),
        "meetings:staff-slot-add": pk(reception),
        "meetings:staff-speaker-remove": pk(speaker),
        "meetings:staff-agenda-remove": pk(agenda),
        "notifications:unsubscribe": [{"token": unsubscribe_token(address="reg@example.kz", kind="meetings.reminder")}],
        # A link that no longer works (its page; a working one redirects to the form that sets the password).
        "accounts:password_reset_confirm": [{"uidb64": "MQ", "token": "expired-token"}],
        "questions:confirm": [{"signed": "x"}],
        "questions:support_confirm": [{"signed": "x"}],
        "questions:detail": pk(public),
        "questions:support": pk(accepted),
        "questions:meeting": pk(held),
        "questions:territory": [{"slug": district.slug}],
        "questions:track": [{"token": public.token}, {"token": extras.submitted.token}],
        "questions:track_code": [{"token": extras.submitted.token}],
        "questions:track_new_code": [{"token": extras.submitted.token}],
        "questions:track_withdraw": [{"token": accepted.token}],
        "questions:track_rate": [{"token": public.token}],
        "questions:staff_detail": [{"pk": q.pk} for q in (new, public)],
        "questions:staff_action": [{"pk": new.pk, "action": "accept"}],
        "questions:staff_personal_data": pk(new),
        "reports:detail": [{"slug": report.slug}],
        "cycles:detail": [{"slug": "almaty-city-cycle-1"}, {"slug": "almaty-city-cycle-2"}],
        "cycles:programme": [{"slug": "oskemen-microdistricts"}],
        "cycles:staff-detail": [{"slug": "almaty-city-cycle-2"}],
        "cycles:staff-press": [{"slug": "almaty-city-cycle-2"}],
        "cycles:staff-meeting-press": pk(held),
        "cycles:staff-meeting-remove": [{"slug": "almaty-city-cycle-2", "meeting_pk": _cycle_meeting().pk}],
        "reports:scorecard": [{"slug": district.slug}, {"slug": almaty.slug}],
        "reports:plan": pk(plan),
        "reports:item": pk(item),
        "reports:feed-territory": [{"slug": almaty.slug}],
        "reports:export": [{"dataset": name, "fmt": fmt} for name in exports.DATASETS for fmt in exports.FORMATS],
        "reports:staff-edit": [{"pk": r.pk} for r in (report, extras.draft)],
        "reports:staff-preview": pk(extras.draft),
        "reports:staff-cover": pk(extras.draft),
        "reports:staff-publish": pk(extras.draft),
        "reports:staff-unpublish": pk(report),
        "reports:staff-plan": pk(plan),
        "reports:staff-item": pk(item),
        "reports:staff-item-edit": pk(item),
        "reports:staff-item-progress": pk(item),
        "reports:staff-item-done": pk(item),
        "reports:staff-item-cancel": pk(item),
        "reports:staff-item-link": pk(item),
        "reports:staff-item-unlink": [{"pk": linked.pk, "question_pk": linked.questions.order_by("pk").first().pk}],
        # The API (outside the language prefix).
        "territory-detail": [{"pk": almaty.pk}, {"pk": district.pk}],
        # Open311 GeoReport v2, in both its formats.
        **{f"open311:{name}": formats for name in ("discovery", "services", "requests")},
        "open311:service": [{"code": public.category.slug, **fmt} for fmt in formats],
        "open311:request": [{"pk": public.pk, **fmt} for fmt in formats],
        "open311:token": [{"token": extras.open311_token, **fmt} for fmt in formats],
        "akim-detail": pk(_first(Akim.objects.filter(unit=almaty))),
        "api-meeting-detail": [{"pk": m.pk} for m in (upcoming, held)],
        "api-meeting-register": pk(upcoming),
        "api-question-detail": pk(public),
        "api-report-detail": [{"slug": report.slug}],
        "api-item-detail": pk(item),
        "api-cycle-detail": [{"slug": "almaty-city-cycle-1"}],
        "api-open-data": [{"dataset": name} for name in exports.DATASETS],
        "api-staff-meeting-detail": pk(upcoming),
        "api-staff-registrations": pk(upcoming),
        "api-staff-reschedule": pk(upcoming),
        "api-staff-cancel": pk(upcoming),
        "api-staff-mark-held": pk(upcoming),
        "api-staff-question-detail": pk(new),
        "api-staff-question-personal-data": pk(new),
        **{f"api-staff-question-{action}": pk(new) for action in question_actions},
        "api-staff-report": pk(extras.draft),
        "api-staff-report-publish": pk(extras.draft),
        "api-staff-report-unpublish": pk(report),
        "api-staff-item-create": pk(plan),
        "api-staff-item": pk(item),
        "api-staff-item-progress": pk(item),
        "api-staff-item-complete": pk(item),
        "api-staff-item-link": pk(item),
    }


def _cycle_meeting() -> Meeting:
    from cycles.models import CycleMeeting

    return CycleMeeting.objects.filter(cycle__slug="almaty-city-cycle-2").order_by("pk").first().meeting


def _audience(name: str, pattern: str) -> str:
    from tests import test_permission_matrix as matrix

    entry = matrix.REGISTRY.get(name)
    if pattern.startswith("api/v1/") or isinstance(entry, matrix.Api):
        return "api"
    if name == "login":
        return "public"
    kinds = {
        matrix.Public: "public",
        matrix.Resident: "resident",
        matrix.Staff: "staff",
        matrix.AdminPage: "admin",
        matrix.Infra: "machine",
    }
    if type(entry) not in kinds:
        raise LookupError(f"{name} is not classified in tests/test_permission_matrix.py REGISTRY")
    return kinds[type(entry)]


def _has_arguments(pattern: str) -> bool:
    return "<" in pattern or "(?P" in pattern


def demo_routes(extras: DemoExtras) -> list[DemoRoute]:
    """Every named route except the Django admin's, with its arguments from the demo data."""
    from tests.test_permission_matrix import url_routes

    arguments = _arguments(extras)
    routes, missing = [], []
    for name, pattern in sorted(url_routes().items()):
        if name.startswith(("admin:", "<unnamed")):
            continue
        if _has_arguments(pattern) and name not in arguments:
            missing.append(name)
            continue
        kwargs = tuple(arguments.get(name, ())) if _has_arguments(pattern) else ()
        routes.append(DemoRoute(name=name, pattern=pattern, audience=_audience(name, pattern), kwargs=kwargs))
    if missing:
        raise LookupError(f"routes with URL arguments unknown to tests/demo_routes.py _arguments(): {missing}")
    return routes
