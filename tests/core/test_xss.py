"""XSS payloads in every text field render inert on every page.

A world where every free-text column (both languages) holds `<script>`, `"><img onerror>`,
`<svg onload>`, `javascript:` and formula payloads, each numbered after its field; then every
route in the URL configuration is rendered, in Kazakh and Russian, as an anonymous visitor and
as the administrator — plus the Django admin, the API (JSON and DRF's HTML view), Atom feeds,
calendars and the open-data exports — and the output is parsed (tests/xss.py) for anything a
browser, a feed reader or a spreadsheet would run.

The test can fail: the checker flags live markup (see the self-checks), every route must be
either rendered or declared POST-only, and every payload must show up, escaped, somewhere.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import quote

import openpyxl
import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from modeltranslation.translator import translator

from accounts.views import SIGN_IN_SESSION
from meetings.models import ReceptionBooking, Registration
from meetings.tokens import booking_token, registration_token
from notifications.services import unsubscribe_token
from questions.models import Question
from reports import exports
from tests import xss
from tests.questions.factories import category as question_category
from tests.test_permission_matrix import url_routes

LANGUAGES = ("kk", "ru")
QUERY_PAYLOAD = '<script>alert("xss-query")</script>"><img src=x onerror=alert(6999)>javascript:alert(6999)'


# --- The checker can fail --------------------------------------------------------------------------

UNSAFE = [
    '<p>hello</p><script>alert("xss-1")</script>',
    '<div title=""><img src=x onerror=alert(1)>">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<iframe src="https://example.com"></iframe>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]
SAFE = [
    "<p>&lt;script&gt;alert(&quot;xss-1&quot;)&lt;/script&gt;</p>",
    '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>',
    "<p>javascript:alert(1)</p>",
    '<a href="/kk/reports/?q=javascript%3Aalert(1)">next</a>',
    '<script src="/static/js/kezdesu.js" defer></script>',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
]


@pytest.mark.parametrize("snippet", UNSAFE)
def test_the_checker_flags_live_markup(snippet):
    assert xss.unsafe_markup(snippet), snippet


@pytest.mark.parametrize("snippet", SAFE)
def test_the_checker_passes_escaped_payloads(snippet):
    assert xss.unsafe_markup(snippet) == []


def test_an_unescaped_template_would_be_caught():
    """The whole pipeline, not only the parser: the same payload through a template with and
    without autoescaping."""
    from django.template import engines

    payload = xss.payload_for(7001, max_length=None)
    engine = engines["django"]
    escaped = engine.from_string("<p>{{ value }}</p>").render({"value": payload})
    raw = engine.from_string("<p>{{ value|safe }}</p>").render({"value": payload})
    assert xss.unsafe_markup(escaped) == []
    assert xss.unsafe_markup(raw)
    assert xss.marker_seen(7001, escaped)


def test_every_free_text_field_is_discovered_and_exclusions_are_current():
    fields = {f"{xss.model_key(model)}.{name}" for model, name in xss.text_fields()}
    # The fields the issue names, both languages where the content is translated.
    expected = {
        "districts.AdministrativeUnit.name_kk",
        "districts.AdministrativeUnit.name_ru",
        "districts.Akim.full_name_kk",
        "districts.Akim.full_name_ru",
        "districts.Department.name_ru",
        "districts.Department.head_name_kk",
        "meetings.Venue.address_ru",
        "meetings.Meeting.title_kk",
        "meetings.Meeting.description_ru",
        "meetings.Meeting.cancel_reason",
        "meetings.Speaker.name_kk",
        "meetings.Speaker.position_ru",
        "meetings.AgendaItem.title_ru",
        "meetings.MeetingEvent.note",
        "questions.Question.text",
        "questions.Question.answer_text",
        "questions.Question.reject_note",
        "questions.Question.extension_reason",
        "questions.Question.feedback",
        "questions.QuestionEvent.note",
        "reports.Report.title_kk",
        "reports.Report.lead_ru",
        "reports.Report.body_kk",
        "reports.Report.body_ru",
        "reports.Report.cover_alt_ru",
        "reports.ActionPlan.title_kk",
        "reports.ActionItem.title_ru",
        "reports.ActionItem.responsible",
        "accounts.User.first_name",
        "accounts.User.last_name",
    }
    assert expected <= fields, sorted(expected - fields)
    twins = {
        f"{xss.model_key(model)}.{name}"
        for model in translator.get_registered_models()
        for name in translator.get_options_for_model(model).all_fields
    }
    assert fields & twins == set(), "modeltranslation's original fields: their _kk and _ru columns are stored"
    assert xss.stale_exclusions() == []


# --- The world and everything rendered from it -----------------------------------------------------


@dataclass
class Rendered:
    route: str
    url: str
    persona: str
    status: int
    content_type: str
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8-sig", errors="replace")

    def where(self) -> str:
        return f"{self.url} as {self.persona}"


OPEN311_FORMATS = [{"fmt": "json"}, {"fmt": "xml"}]


def _targets(w: xss.World) -> dict[str, list[dict]]:
    """URL arguments for every route that takes them: each object in each state a page shows."""
    q = w.questions
    o = w.objects
    meetings = [w.upcoming, w.held, w.cancelled, w.reception]
    registration = Registration.objects.filter(meeting=w.upcoming).first()
    booking = ReceptionBooking.objects.first()
    public_questions = [question for question in q.values() if question.status in Question.PUBLIC_STATUSES]
    forged = quote(QUERY_PAYLOAD.replace("/", ""), safe="")
    pks = lambda objects: [{"pk": obj.pk} for obj in objects]  # noqa: E731
    return {
        "districts:detail": [{"slug": w.district.slug}, {"slug": w.city.slug}],
        "meetings:detail": pks(meetings),
        "meetings:ics": pks(meetings),
        "meetings:register": pks([w.upcoming]),
        "meetings:feed": [{"slug": w.city.slug}],
        "meetings:registration": [{"token": registration_token(registration)}, {"token": forged}],
        "meetings:book": pks([w.reception.reception_slots.exclude(bookings__isnull=False).first()]),
        "meetings:booking": [{"token": booking_token(booking)}],
        "meetings:staff-detail": pks(meetings),
        "meetings:staff-edit": pks(meetings),
        "meetings:staff-attendance": pks([w.upcoming]),
        "meetings:staff-registrations-csv": pks([w.upcoming]),
        "meetings:staff-publish": pks([w.upcoming]),
        "meetings:staff-reschedule": pks([w.upcoming]),
        "meetings:staff-cancel": pks([w.upcoming]),
        "meetings:staff-held": pks([w.upcoming]),
        "meetings:staff-speaker-add": pks([w.upcoming]),
        "meetings:staff-agenda-add": pks([w.upcoming]),
        "meetings:staff-slot-add": pks([w.reception]),
        "meetings:staff-speaker-remove": pks([w.upcoming.speakers.first()]),
        "meetings:staff-agenda-remove": pks([w.upcoming.agenda.first()]),
        "notifications:unsubscribe": [
            {"token": unsubscribe_token(address="reg@example.kz", kind="meetings.reminder")},
            {"token": forged},
        ],
        "accounts:password_reset_confirm": [{"uidb64": "MQ", "token": forged}],
        "questions:confirm": [{"signed": forged}],
        "questions:support_confirm": [{"signed": forged}],
        "questions:detail": pks(public_questions),
        "questions:support": pks([q["accepted"]]),
        "questions:meeting": pks([w.held, w.upcoming]),
        "questions:territory": [{"slug": w.district.slug}],
        "questions:track": [{"token": question.token} for question in q.values()] + [{"token": forged}],
        "questions:track_code": [{"token": q["submitted"].token}],
        "questions:track_new_code": [{"token": q["submitted"].token}],
        "questions:track_withdraw": [{"token": q["accepted"].token}],
        "questions:track_rate": [{"token": q["reopened"].token}],
        "questions:staff_detail": pks(q.values()),
        "questions:staff_action": [{"pk": q["new"].pk, "action": "accept"}],
        "questions:staff_personal_data": pks([q["appeal"]]),
        "reports:detail": [{"slug": o["report"].slug}],
        "cycles:detail": [{"slug": o["cycle"].slug}],
        "cycles:programme": [{"slug": o["programme"].slug}],
        "cycles:staff-detail": [{"slug": o["cycle"].slug}],
        "cycles:staff-press": [{"slug": o["cycle"].slug}],
        "cycles:staff-meeting-press": pks([w.held]),
        "cycles:staff-meeting-remove": [{"slug": o["cycle"].slug, "meeting_pk": w.held.pk}],
        "reports:scorecard": [{"slug": w.district.slug}, {"slug": w.city.slug}],
        "reports:plan": pks([o["plan"]]),
        "reports:item": pks(o["plan"].items.all()),
        "reports:feed-territory": [{"slug": w.district.slug}, {"slug": w.city.slug}],
        "reports:export": [{"dataset": name, "fmt": fmt} for name in exports.DATASETS for fmt in exports.FORMATS],
        "reports:staff-edit": pks([o["report"], o["draft"]]),
        "reports:staff-preview": pks([o["report"], o["draft"]]),
        "reports:staff-cover": pks([o["report"]]),
        "reports:staff-publish": pks([o["draft"]]),
        "reports:staff-unpublish": pks([o["report"]]),
        "reports:staff-plan": pks([o["plan"]]),
        "reports:staff-item": pks(o["plan"].items.all()),
        "reports:staff-item-edit": pks([o["item"]]),
        "reports:staff-item-progress": pks([o["item"]]),
        "reports:staff-item-done": pks([o["item"]]),
        "reports:staff-item-cancel": pks([o["item"]]),
        "reports:staff-item-link": pks([o["item"]]),
        "reports:staff-item-unlink": [{"pk": o["item"].pk, "question_pk": q["planned"].pk}],
        # The API (outside the language prefix).
        "territory-detail": pks([w.district, w.city]),
        # Open311 GeoReport v2, both formats: the payloads in categories, territories,
        # departments, texts and answers of every published question.
        **{f"open311:{name}": OPEN311_FORMATS for name in ("discovery", "services", "requests")},
        "open311:service": [{"code": "water", **fmt} for fmt in OPEN311_FORMATS],
        "open311:request": [{"pk": question.pk, **fmt} for question in public_questions for fmt in OPEN311_FORMATS],
        "open311:token": [
            {"token": token, **fmt} for token in ("xss-open311-token", forged) for fmt in OPEN311_FORMATS
        ],
        "akim-detail": pks([o["akim"]]),
        "api-meeting-detail": pks(meetings),
        "api-meeting-register": pks([w.upcoming]),
        "api-question-detail": pks(public_questions),
        "api-report-detail": [{"slug": o["report"].slug}],
        "api-cycle-detail": [{"slug": o["cycle"].slug}],
        "api-item-detail": pks(o["plan"].items.all()),
        "api-open-data": [{"dataset": name} for name in exports.DATASETS],
        "api-staff-meeting-detail": pks(meetings),
        "api-staff-registrations": pks([w.upcoming]),
        "api-staff-reschedule": pks([w.upcoming]),
        "api-staff-cancel": pks([w.upcoming]),
        "api-staff-mark-held": pks([w.upcoming]),
        "api-staff-question-detail": pks(q.values()),
        "api-staff-question-personal-data": pks([q["appeal"]]),
        **{
            f"api-staff-question-{action}": pks([q["new"]])
            for action in ("accept", "reject", "assign", "extend", "forward", "answer", "on-the-spot")
        },
        "api-staff-report": pks([o["report"], o["draft"]]),
        "api-staff-report-publish": pks([o["draft"]]),
        "api-staff-report-unpublish": pks([o["report"]]),
        "api-staff-item-create": pks([o["plan"]]),
        "api-staff-item": pks([o["item"]]),
        "api-staff-item-progress": pks([o["item"]]),
        "api-staff-item-complete": pks([o["item"]]),
        "api-staff-item-link": pks([o["item"]]),
    }


# Query strings that make a page show more: search results and their snippets, filters.
QUERIES = {
    "api-mandate": ["?territory=xss-city"],
    "meetings:mandate": ["?territory=xss-city"],
    "reports:search": ["?q=alert", "?q=script", "?q=xss"],
    "questions:list": ["?q=alert"],
    "reports:list": ["?territory=xss-district", "?q=alert"],
    "questions:similar": ["?unit={district}&text=alert+script+img+onerror+svg+onload"],
    "questions:staff": ["?queue=all", "?queue=all&q=alert"],
    "reports:plans": ["?territory=xss-district"],
    "meetings:past": ["?territory=xss-city"],
}


def _has_arguments(route: str) -> bool:
    return "<" in route or "(?P" in route


SIGNED_IN_ROUTES = ("accounts:", "questions:mine", "notifications:preferences")
# Residents' sign-in by a one-time code: rendered for a visitor half-way through it (a code sent).
SIGN_IN_ROUTES = ("accounts:sign_in", "accounts:sign_in_code")
SIGNING_IN_CONTACT = "xss.resident@example.kz"
MACHINE_ROUTES = ("healthz", "sitemap", "api-schema", "api-docs", "api-root")
SEARCHED_ADMIN_MODELS = ("questions.question", "meetings.meeting", "reports.report", "accounts.user")


def _personas(name: str, route: str) -> dict[str, tuple[str, ...]]:
    """Who renders a route, in which languages. Staff and account pages: the administrator (an
    anonymous visitor only gets the login redirect). Public pages: anonymous in both languages,
    the administrator in one (the header and the staff links differ, the content does not). Machine output (API, feeds,
    calendars, exports) does not depend on who asks: one persona, one language."""
    if name in SIGN_IN_ROUTES:
        return {"signing_in": LANGUAGES}
    staff = "staff" in name or name.startswith(SIGNED_IN_ROUTES)
    if route.startswith(("api/", "open311/")) or name in MACHINE_ROUTES:
        return {"administrator" if staff else "anonymous": (None,)}
    if staff:
        return {"administrator": LANGUAGES}
    if route.endswith((".atom", ".ics", ".<str:fmt>")):
        return {"anonymous": LANGUAGES}
    return {"anonymous": LANGUAGES, "administrator": ("kk",)}


def _admin_urls() -> list[str]:
    """The admin's index, and every changelist and the change form of one row of each model of
    the project's apps (the third-party ones hold no text of ours)."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        if model._meta.app_label not in xss.PROJECT_APPS:
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{info}_changelist"))
        if f"{model._meta.app_label}.{model._meta.model_name}" in SEARCHED_ADMIN_MODELS:
            urls.append(reverse(f"{info}_changelist") + "?q=" + quote(QUERY_PAYLOAD))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{info}_change", args=[first.pk]))
    return urls


def _plan(w: xss.World) -> tuple[list[tuple[str, str, str, dict]], list[str]]:
    """(route, url, persona, headers) to render, and the routes with arguments _targets() does
    not know."""
    targets = _targets(w)
    plan: list[tuple[str, str, str, dict]] = []
    missing = []
    for name, route in sorted(url_routes().items()):
        if name.startswith("admin:"):
            continue
        if _has_arguments(route) and name not in targets:
            missing.append(name)
            continue
        combinations = [(p, lang) for p, languages in _personas(name, route).items() for lang in languages]
        for index, (persona, language) in enumerate(combinations):
            headers = {"HTTP_ACCEPT_LANGUAGE": language or "ru"}
            with translation.override(language or "kk"):
                if _has_arguments(route):
                    # Every object in every state once; the other persona and language see the
                    # first one (the _ru payloads, the staff links).
                    kwargs_list = targets[name] if index == 0 else targets[name][:1]
                    urls = [reverse(name, kwargs=kwargs) for kwargs in kwargs_list]
                else:
                    urls = [reverse(name)]
                    if index == 0:
                        urls += [urls[0] + query.format(district=w.district.pk) for query in QUERIES.get(name, [])]
                    if index == 0 and name not in MACHINE_ROUTES:
                        # Whatever the page does with a query string it is given.
                        urls.append(f"{urls[0]}?q={quote(QUERY_PAYLOAD)}&territory={quote(QUERY_PAYLOAD)}")
            plan += [(name, url, persona, headers) for url in urls]
            if route.startswith("api/v1/") and (persona == "anonymous" or name.endswith(("-detail", "-list"))):
                # DRF's browsable HTML view of the same data, once per route that shows data
                # (the staff actions only take a POST: their HTML view is the same empty form).
                plan.append((name, urls[0], persona, {**headers, "HTTP_ACCEPT": "text/html"}))
    plan += [("admin:*", url, "administrator", {}) for url in _admin_urls()]
    return plan, missing


# What only the answer to a POST shows: an author's contact, IIN and address, on request.
POSTED = ("questions:staff_personal_data", "api-staff-question-personal-data")


def _posts(w: xss.World) -> list[tuple[str, str, dict]]:
    targets = _targets(w)
    return [
        (name, reverse(name, kwargs=kwargs), {"HTTP_ACCEPT_LANGUAGE": language})
        for name in POSTED
        for kwargs in targets[name]
        for language in LANGUAGES
    ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, filled with payloads, rolled back at the end of the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            ADMIN_TWO_FACTOR_REQUIRED=False,
            MEDIA_ROOT=tmp_path_factory.mktemp("xss-media"),
            REPORTS_CACHE_SECONDS=0,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # nobody signs in with them
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = xss.build_world()
            built.payloads = xss.fill_with_payloads()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def rendered(world, django_db_blocker):
    plan, missing = _plan(world)
    clients = {"anonymous": Client(), "administrator": Client(), "signing_in": Client()}
    clients["administrator"].force_login(world.administrator)
    with django_db_blocker.unblock():
        session = clients["signing_in"].session
        session[SIGN_IN_SESSION] = {"contact": SIGNING_IN_CONTACT, "next": reverse("questions:mine")}
        session.save()
    results = []
    with (
        django_db_blocker.unblock(),
        override_settings(ADMIN_TWO_FACTOR_REQUIRED=False, REPORTS_CACHE_SECONDS=0),
    ):
        for route, url, persona, headers in plan:
            # Each request in a savepoint rolled back afterwards: what one GET writes (a
            # two-factor device, a support confirmed) or sets for its transaction (SET LOCAL)
            # does not reach the next one, as with autocommit in production.
            savepoint = transaction.savepoint()
            response = clients[persona].get(url, **headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            transaction.savepoint_rollback(savepoint)
            results.append(
                Rendered(
                    route=route,
                    url=url + (" [text/html]" if headers.get("HTTP_ACCEPT") == "text/html" else ""),
                    persona=persona,
                    status=response.status_code,
                    content_type=response.get("Content-Type", "").split(";")[0],
                    headers=dict(response.headers),
                    body=body,
                )
            )
        for route, url, headers in _posts(world):
            savepoint = transaction.savepoint()
            response = clients["administrator"].post(url, **headers)
            transaction.savepoint_rollback(savepoint)
            results.append(
                Rendered(
                    route=route,
                    url=f"{url} [POST]",
                    persona="administrator",
                    status=response.status_code,
                    content_type=response.get("Content-Type", "").split(";")[0],
                    headers=dict(response.headers),
                    body=response.content,
                )
            )
    return {"results": results, "missing": missing}


def _of_type(rendered, *types) -> list[Rendered]:
    return [r for r in rendered["results"] if r.content_type in types and r.status < 300]


# --- The routes are all reached --------------------------------------------------------------------


# Routes whose GET answers something other than a page, on purpose.
NOT_RENDERED = {
    "questions:confirm": "a signed link that confirms (a write): forged here, its 400 page is checked",
    "questions:support_confirm": "a signed link that confirms (a write): forged here, its 400 page is checked",
    "open311:unknown": "Open311's answer to a path that names no method: always its 404 error list",
}


def test_every_route_is_rendered_or_is_a_write(rendered, db):
    assert rendered["missing"] == [], (
        f"Routes with URL arguments unknown to tests/core/test_xss.py — add them to _targets(): {rendered['missing']}"
    )
    server_errors = [r.where() for r in rendered["results"] if r.status >= 500]
    assert server_errors == []
    statuses: dict[str, set[int]] = {}
    for r in rendered["results"]:
        statuses.setdefault(r.route, set()).add(r.status)
    # A route that never answered 200 rendered nothing to check: it must be a write (405 to a
    # GET) or one of the few whose GET is meant to answer otherwise.
    unchecked = {
        route: sorted(codes)
        for route, codes in statuses.items()
        if 200 not in codes and codes != {405} and route not in NOT_RENDERED
    }
    assert unchecked == {}
    assert set(url_routes()) - {r for r in url_routes() if r.startswith("admin:")} <= set(statuses)


# --- HTML --------------------------------------------------------------------------------------------


def test_no_page_runs_a_payload(rendered, db):
    problems = []
    pages = _of_type(rendered, "text/html") + [
        r for r in rendered["results"] if r.content_type == "text/html" and r.status >= 400
    ]
    assert len(pages) > 300
    for r in pages:
        problems += [f"{r.where()}: {problem}" for problem in xss.unsafe_markup(r.text)]
    assert problems == [], "\n".join(problems[:40])


# Text that no page shows today (so nothing to escape yet); a page that starts showing it is
# checked like every other from then on.
AUDIT_SNAPSHOT = "a snapshot kept for the audit trail, further back than the first page of its newest events"
NOT_SHOWN = {
    "meetings.ReceptionBooking.name": "a resident's name on a reception booking: no page lists bookings",
    "meetings.ReceptionBooking.topic": "the topic of a reception booking: no page lists bookings",
    "accounts.StaffRoleEvent.username": AUDIT_SNAPSHOT,
    "accounts.StaffRoleEvent.unit_name": AUDIT_SNAPSHOT,
    "accounts.StaffRoleEvent.department_name": AUDIT_SNAPSHOT,
    "reports.TerritoryFigures.period_code": "the key of a scorecard's summary row: pages show the figures",
    "reports.TerritoryFigures.data_version": "when a scorecard's summary row was computed: never shown",
}


def test_every_payload_reaches_a_page_escaped(world, rendered, db):
    """Proof that the pages above were rendered with the payloads in them: every field's
    payload shows up (escaped) in some page, feed, API response or export."""
    everything = "\n".join(r.text for r in rendered["results"] if r.status < 400)
    unseen = {world.payloads.origin(n) for n in world.payloads.numbers.values() if not xss.marker_seen(n, everything)}
    unexplained = sorted(unseen - set(NOT_SHOWN))
    assert unexplained == [], f"payloads that no page, feed, API response or export shows: {unexplained}"
    html = "\n".join(r.text for r in _of_type(rendered, "text/html"))
    assert "&lt;script&gt;alert(" in html
    assert "<script>alert(" not in html


# --- Feeds, calendars, API, exports ----------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feeds_carry_no_markup_a_feed_reader_would_run(rendered, db):
    feeds = _of_type(rendered, "application/atom+xml")
    assert len(feeds) >= 6
    problems = []
    for r in feeds:
        root = ET.fromstring(r.body)  # noqa: S314 - our own response
        entries = root.findall(f"{ATOM}entry")
        assert entries, f"{r.where()}: the feed is empty, nothing was checked"
        for element in root.iter():
            kind = element.get("type", "text")
            content = "".join(element.itertext())
            if kind in ("html", "xhtml"):
                # A feed reader parses these as HTML: the decoded text must itself be safe.
                problems += [f"{r.where()} <{element.tag} type={kind}>: {p}" for p in xss.unsafe_markup(content)]
            href = (element.get("href") or "").strip().lower()
            if href.startswith(xss.DANGEROUS_SCHEMES):
                problems.append(f"{r.where()}: link href {href!r}")
    assert problems == [], "\n".join(problems[:20])


def _strings(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def test_the_api_returns_json_and_its_html_and_links_are_safe(rendered, db):
    responses = [
        r for r in rendered["results"] if r.url.startswith("/api/v1/") and "[text/html]" not in r.url and r.status < 300
    ]
    assert len(responses) > 30
    problems = []
    for r in responses:
        assert r.content_type == "application/json", f"{r.where()}: {r.content_type}"
        assert r.headers.get("X-Content-Type-Options") == "nosniff", r.where()
        for key, value in _strings(json.loads(r.body)):
            if key.endswith("_html"):
                problems += [f"{r.where()} {key}: {p}" for p in xss.unsafe_markup(value)]
            if (key in ("url", "href", "link") or key.endswith("_url")) and value.strip().lower().startswith(
                xss.DANGEROUS_SCHEMES
            ):
                problems.append(f"{r.where()} {key}: {value[:60]!r}")
    assert problems == [], "\n".join(problems[:20])


# Every element Open311 answers with (open311/views.py, in the spec's vocabulary).
GEOREPORT_TAGS = {
    *("discovery", "changeset", "contact", "key_service", "endpoints", "endpoint", "specification", "url", "type"),
    *("formats", "format", "services", "service", "service_code", "service_name", "description", "metadata"),
    *("keywords", "group", "service_definition", "attributes", "service_requests", "request", "service_request_id"),
    *("status", "status_notes", "agency_responsible", "service_notice", "requested_datetime", "updated_datetime"),
    *("expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url", "token", "account_id"),
    *("errors", "error", "code"),
}


def test_open311_answers_carry_payloads_as_text_never_as_markup(rendered, db):
    """JSON, or XML whose every element is one GeoReport defines: a payload stays text."""
    answers = [r for r in rendered["results"] if r.route.startswith("open311:")]
    assert len([r for r in answers if r.status == 200]) >= 12
    carried = 0
    for r in answers:
        assert r.content_type in ("application/json", "text/xml"), r.where()
        assert r.headers.get("X-Content-Type-Options") == "nosniff", r.where()
        if r.content_type == "text/xml":
            tags = {element.tag for element in ET.fromstring(r.body).iter()}  # noqa: S314 - our own response
            assert tags <= GEOREPORT_TAGS, f"{r.where()}: {tags - GEOREPORT_TAGS}"
        else:
            json.loads(r.body)
        carried += "alert(" in r.text
    assert carried, "no payload reached an Open311 answer: the check above checked nothing"


def test_exports_are_downloads_that_no_spreadsheet_runs(rendered, db):
    exported = ("reports:export", "meetings:staff-registrations-csv")
    downloads = [r for r in rendered["results"] if r.route in exported and r.status == 200]
    types = {r.content_type for r in downloads}
    assert {exports.FORMATS["xlsx"], "application/json"} <= types and any(t.startswith("text/csv") for t in types)
    problems = []
    neutralised = 0  # cells that began with "=" and were prefixed with "'"
    for r in downloads:
        assert r.headers.get("X-Content-Type-Options") == "nosniff", r.where()
        assert r.content_type != "text/html", r.where()
        if "/open-data/" in r.url:
            assert r.headers["Content-Disposition"].startswith("attachment;"), r.where()
        if r.content_type.startswith("text/csv"):
            for row in csv.reader(io.StringIO(r.text)):
                neutralised += sum(1 for cell in row if cell.startswith("'="))
                problems += [f"{r.where()}: formula cell {cell[:50]!r}" for cell in row if cell[:1] in ("=", "+", "@")]
                problems += [
                    f"{r.where()}: formula cell {cell[:50]!r}" for cell in row if cell[:1] == "-" and not _number(cell)
                ]
        elif r.content_type == exports.FORMATS["xlsx"]:
            book = openpyxl.load_workbook(io.BytesIO(r.body))
            for sheet in book.worksheets:
                for row in sheet.iter_rows():
                    problems += [f"{r.where()}: formula {c.coordinate}" for c in row if c.data_type == "f"]
    assert neutralised > 0, "no formula payload reached a CSV: the check above checked nothing"
    assert problems == [], "\n".join(problems[:20])


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_calendars_are_plain_text(rendered, db):
    calendars = [r for r in rendered["results"] if r.url.endswith(".ics") and r.status == 200]
    assert calendars
    for r in calendars:
        assert r.content_type == "text/calendar", r.where()
        assert r.headers.get("X-Content-Type-Options") == "nosniff", r.where()


# --- The links people type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "ok"]
)
def test_a_script_url_is_refused_where_staff_type_a_link(client, almaly, almaly_staff, link):
    """URL fields are not filled with payloads above: they only take what their validators let
    through, and these forms and the API are where a script URL would have to get in. ("ok":
    the same requests with a real link are accepted, so the refusals are about the link.)"""
    from meetings.models import Meeting
    from tests.meetings.factories import in_days, make_meeting

    good = link == "ok"
    link = "https://example.kz/live" if good else link
    upcoming = make_meeting(almaly, title_kk="Кездесу")
    past = make_meeting(almaly, title_kk="Өткен кездесу", starts_at=in_days(-1))
    client.force_login(almaly_staff)
    form = client.post(
        f"/kk/meetings/staff/{upcoming.pk}/edit/",
        {"kind": Meeting.Kind.REPORTING, "title_kk": "Кездесу", "livestream_url": link, "recording_url": link},
    )
    api = client.patch(
        f"/api/v1/staff/meetings/{upcoming.pk}/",
        data=json.dumps({"livestream_url": link}),
        content_type="application/json",
    )
    held = client.post(f"/kk/meetings/staff/{past.pk}/held/", {"attendance": "10", "recording_url": link})
    upcoming.refresh_from_db()
    past.refresh_from_db()
    if good:
        assert (form.status_code, api.status_code, held.status_code) == (302, 200, 302)
        assert upcoming.livestream_url == past.recording_url == link
    else:
        assert (form.status_code, api.status_code, held.status_code) == (400, 400, 400)
        assert (upcoming.livestream_url, upcoming.recording_url, past.recording_url) == ("", "", "")
        assert past.status == Meeting.Status.SCHEDULED


def test_forms_show_back_what_was_typed_as_text(client, almaly, almaly_staff):
    """A refused form shows the input again, in value="…" and <textarea>: escaped there too."""
    payload = xss.payload_for(6998, max_length=None)
    water = question_category("water")
    asked = client.post(  # no contact: refused, and the text comes back
        "/kk/questions/ask/",
        {"unit": almaly.pk, "category": water.pk, "text": payload, "language": "kk", "author_name": payload},
    )
    client.force_login(almaly_staff)
    report = client.post("/ru/reports/staff/new/", {"unit": "atlantis", "title_kk": payload, "lead_kk": payload})
    meeting = client.post(
        "/kk/meetings/staff/new/", {"unit": almaly.slug, "title_kk": payload, "description_kk": payload}
    )
    assert not Question.objects.filter(text__contains="alert(6998)").exists()
    for response in (asked, report, meeting):
        assert response.status_code in (200, 400)  # the ask form shows its errors with a 200
        page = response.content.decode()
        assert xss.marker_seen(6998, page)
        assert xss.unsafe_markup(page) == []
