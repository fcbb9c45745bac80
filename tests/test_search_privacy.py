"""Searching cannot reveal hidden data: no search surface finds a question or a report by what
its public page hides.

Three questions are sent through the services, confirmed, accepted and answered; their texts
and answers hide an IIN, a mobile, landlines and an email. A report's body hides the same kinds.
Every surface that takes a search word — found from the URL configuration, by asking each
route which query parameters it reads (tests/query_reads.py) — is asked, in Kazakh and
Russian, for every hidden value as written and as bare digits, and for every prefix of them
from 4 characters: none may list a question or report that only its hidden part would match.
Controls prove each surface searches at all: a unique word of a control question (or report)
is found, and so is a visible word of each secret one. A route that starts reading `q` (or
another text filter) and is not probed here fails `test_every_route_that_takes_a_search_word_is_probed`.

Staff who cover the territory search the originals (they read them anyway): checked too. Staff
of another territory search nothing of it. Runs on PostgreSQL and SQLite.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from districts.models import AdministrativeUnit
from questions import services as question_services
from questions.models import Question
from reports import services as report_services
from reports.models import Report
from tests import xss
from tests.core.test_xss import _targets
from tests.factories import make_staff, make_unit
from tests.query_reads import recording_query_reads
from tests.questions import factories as question_factories
from tests.test_permission_matrix import url_routes

LANGUAGES = ("kk", "ru")
# The hidden values, as residents and staff wrote them.
IIN = "850715 304274"
MOBILE = "+7 701 555 44 33"
LANDLINE = "+7 (7172) 55-66-77"
IIN_IN_ANSWER = "761101300455"
EMAIL = "aigerim.secret@mail.kz"
LANDLINE_IN_ANSWER = "8 (727) 255-66-77"
HIDDEN = (IIN, MOBILE, LANDLINE, IIN_IN_ANSWER, EMAIL, LANDLINE_IN_ANSWER)

# Words that only the visible part of each text holds.
CONTROL_WORD = "Жапырақгүл"
OUTSIDER_WORD = "Шалғынсай"
VISIBLE = {"iin": "Тасбақажол", "landline": "Құмырсқатау", "email": "Сарыжайлау"}
REPORT_CONTROL_WORD = "Көкжиекбақ"
REPORT_SECRET_WORD = "Жидебайтал"

TEXTS = {
    "iin": (
        f"{VISIBLE['iin']} көшесінде тротуар бұзылған. Менің ЖСН {IIN}, хабарласыңыз.",
        f"Тротуар жөнделеді. Сұрақтар бойынша {MOBILE} нөміріне қоңырау шалыңыз.",
    ),
    "landline": (
        f"{VISIBLE['landline']} ауласында жарық жоқ. Үй телефоным {LANDLINE}.",
        f"Жарық қосылды. Өтініш берушінің ЖСН {IIN_IN_ANSWER} тексерілді.",
    ),
    "email": (
        f"{VISIBLE['email']} саябағында орындықтар сынған. Жауапты {EMAIL} поштасына жіберіңіз.",
        f"Орындықтар ауыстырылды, байланыс телефоны {LANDLINE_IN_ANSWER}.",
    ),
}
TEXT_PARAMETERS = {"q", "text", "search", "query", "term", "contains", "keyword", "keywords"}
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _forms(value: str) -> list[str]:
    """A value as written, as bare digits, and a Kazakhstan phone with 8, 7 or nothing first."""
    forms = [value]
    digits = _digits(value)
    if "@" not in value:
        forms.append(digits)
        if len(digits) == 11 and digits[0] in "78":
            forms += ["8" + digits[1:], "7" + digits[1:], digits[1:]]
    else:
        forms.append(value.split("@")[1])
    return list(dict.fromkeys(forms))


def probes() -> list[str]:
    """Every form of every hidden value, whole and every prefix from 4 characters."""
    found = []
    for value in HIDDEN:
        for form in _forms(value):
            found += [form[:length] for length in range(4, len(form) + 1)]
    return list(dict.fromkeys(probe.strip() for probe in found if probe.strip()))


# --- The world ----------------------------------------------------------------------------------


@dataclass
class PrivacyWorld:
    base: xss.World
    secrets: dict[str, Question]
    control: Question
    outsider: User
    outsider_unit: AdministrativeUnit
    outsider_question: Question
    secret_report: Report
    control_report: Report
    labels: dict[str, object] = field(default_factory=dict)


def _answered(unit, staff, department, text: str, answer: str, **fields) -> Question:
    question = question_factories.assigned(unit, staff, department, text=text, **fields)
    return question_services.question_answer(question=question, actor=staff, answer_text=answer, outcome="resolved")


def build_privacy_world() -> PrivacyWorld:
    base = xss.build_world()
    district, staff, department = base.district, base.staff, base.objects["department"]
    secrets = {
        name: _answered(district, staff, department, text, answer, meeting=base.upcoming)
        for name, (text, answer) in TEXTS.items()
    }
    control = _answered(
        district,
        staff,
        department,
        f"{CONTROL_WORD} алаңында балалар ойыншықтары сынған, жөндеу керек.",
        "Ойыншықтар жөнделді.",
        meeting=base.upcoming,
    )
    outsider_unit = make_unit(AdministrativeUnit.Kind.DISTRICT, parent=base.city, slug="privacy-other")
    outsider = make_staff(outsider_unit, username="privacy.outsider")
    outsider_question = question_factories.accepted(
        outsider_unit, outsider, text=f"{OUTSIDER_WORD} ауылында көпір құлаған, жаңасы керек."
    )
    secret_report = report_services.report_publish(
        report=report_services.report_create(
            actor=staff,
            unit=district,
            slug="privacy-secret-report",
            title_kk=f"{REPORT_SECRET_WORD}: тұрғындармен кездесу",
            title_ru=f"{REPORT_SECRET_WORD}: встреча с жителями",
            body_kk=f"Сұрақтар: {MOBILE}, ЖСН {IIN}, пошта {EMAIL}.",
            body_ru=f"Вопросы: {LANDLINE}, ИИН {IIN_IN_ANSWER}, почта {EMAIL}.",
        ),
        actor=staff,
    )
    control_report = report_services.report_publish(
        report=report_services.report_create(
            actor=staff,
            unit=district,
            slug="privacy-control-report",
            title_kk=f"{REPORT_CONTROL_WORD}: есеп",
            body_kk="Жолдар жөнделді.",
        ),
        actor=staff,
    )
    return PrivacyWorld(
        base=base,
        secrets=secrets,
        control=control,
        outsider=outsider,
        outsider_unit=outsider_unit,
        outsider_question=outsider_question,
        secret_report=secret_report,
        control_report=control_report,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("privacy-media"), REPORTS_CACHE_SECONDS=0),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_privacy_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- The surfaces --------------------------------------------------------------------------------


def _html(response) -> str:
    return response.content.decode()


def _json(response) -> dict:
    return json.loads(response.content)


def _question_pages(response, w: PrivacyWorld) -> set[int]:
    return {int(pk) for pk in re.findall(r'/questions/(\d+)/"', _html(response))}


def _staff_pages(response, w: PrivacyWorld) -> set[int]:
    return {int(pk) for pk in re.findall(r'/questions/staff/(\d+)/"', _html(response))}


def _report_pages(response, w: PrivacyWorld) -> set[str]:
    return set(re.findall(r'/reports/(privacy-[\w-]+)/"', _html(response)))


def _api_ids(response, w: PrivacyWorld) -> set[int]:
    return {row["id"] for row in _json(response)["results"]}


def _api_slugs(response, w: PrivacyWorld) -> set[str]:
    return {row["slug"] for row in _json(response)["results"]}


@dataclass(frozen=True)
class Surface:
    """A route that takes a search word: how to ask it and what it lists.

    `lists` is "questions", "reports" or "both"; `found` reads question ids and report slugs
    from the answer; `persona` "outsider" is staff of another district (they must find
    nothing of this one), "insider" the district's own staff.
    """

    route: str
    url: Callable[[PrivacyWorld, str, str], str]
    found: tuple[Callable, ...]
    lists: str = "questions"
    persona: str = "anonymous"
    api: bool = False


def _q(query: str) -> str:
    return quote(query, safe="")


SURFACES = [
    Surface("questions:list", lambda w, lang, q: f"/{lang}/questions/?q={_q(q)}", (_question_pages,)),
    Surface(
        "questions:territory",
        lambda w, lang, q: f"/{lang}/questions/territory/{w.base.district.slug}/?q={_q(q)}",
        (_question_pages,),
    ),
    Surface(
        "questions:meeting",
        lambda w, lang, q: f"/{lang}/questions/meeting/{w.base.upcoming.pk}/?q={_q(q)}",
        (_question_pages,),
    ),
    Surface(
        "questions:similar",
        lambda w, lang, q: f"/{lang}/questions/similar/?unit={w.base.district.pk}&text={_q(q)}",
        (_question_pages,),
    ),
    Surface("reports:list", lambda w, lang, q: f"/{lang}/reports/?q={_q(q)}", (_report_pages,), lists="reports"),
    Surface(
        "reports:search",
        lambda w, lang, q: f"/{lang}/reports/search/?q={_q(q)}",
        (_question_pages, _report_pages),
        lists="both",
    ),
    Surface("api-question-list", lambda w, lang, q: f"/api/v1/questions/?q={_q(q)}", (_api_ids,), api=True),
    Surface(
        "api-report-list", lambda w, lang, q: f"/api/v1/reports/?q={_q(q)}", (_api_slugs,), lists="reports", api=True
    ),
    Surface(
        "questions:staff",
        lambda w, lang, q: f"/{lang}/questions/staff/?queue=all&q={_q(q)}",
        (_staff_pages,),
        persona="outsider",
    ),
    Surface(
        "api-staff-question-list",
        lambda w, lang, q: f"/api/v1/staff/questions/?q={_q(q)}",
        (_api_ids,),
        persona="outsider",
        api=True,
    ),
]
SURFACE_ROUTES = {surface.route for surface in SURFACES}
# Routes that read a text parameter but search nothing a resident wrote, each with its reason.
NOT_SEARCHES: dict[str, str] = {}


def _ask(client: Client, surface: Surface, w: PrivacyWorld, language: str, query: str):
    url = surface.url(w, language, query)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language) if surface.api else client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    found: set = set()
    for read in surface.found:
        found |= read(response, w)
    body = response.content.decode()
    assert not _PRIVATE_USE.search(body), f"{url}: a masking marker reached the output unrendered"
    for value in HIDDEN:
        # (A search page shows the words it was asked for: that is the asker's own input.)
        assert value in query or value not in body, f"{url}: the hidden {value!r} is in the answer"
    return found


def _client(surface: Surface, w: PrivacyWorld) -> Client:
    client = Client()
    if surface.persona == "outsider":
        client.force_login(w.outsider)
    elif surface.persona == "insider":
        client.force_login(w.base.staff)
    return client


def _targets_of(surface: Surface, w: PrivacyWorld) -> dict[str, object]:
    """What a hidden value could wrongly find on this surface, by the key the surface lists."""
    targets: dict[str, object] = {}
    if surface.lists in ("questions", "both"):
        targets |= {f"question {name}": question.pk for name, question in w.secrets.items()}
    if surface.lists in ("reports", "both"):
        targets["the secret report"] = w.secret_report.slug
    return targets


# --- The tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.route)
def test_no_search_surface_finds_anything_by_its_hidden_part(world, db, surface, language):
    w = world
    client = _client(surface, w)
    targets = _targets_of(surface, w)

    # The surface searches: a control is found by its unique word.
    if surface.persona == "outsider":
        control_query, expected = OUTSIDER_WORD, {w.outsider_question.pk}
    elif surface.route == "questions:similar":
        control_query, expected = w.control.text_public, {w.control.pk}
    elif surface.lists == "reports":
        control_query, expected = REPORT_CONTROL_WORD, {w.control_report.slug}
    else:
        control_query, expected = CONTROL_WORD, {w.control.pk}
    assert expected <= _ask(client, surface, w, language, control_query), f"{surface.route}: the control"

    # Each secret is found by a word of its visible part, so absence below means something.
    if surface.persona != "outsider":
        if surface.lists in ("questions", "both"):
            for name, question in w.secrets.items():
                query = question.text_public if surface.route == "questions:similar" else VISIBLE[name]
                assert question.pk in _ask(client, surface, w, language, query), f"{surface.route}: {name}"
        if surface.lists in ("reports", "both"):
            assert w.secret_report.slug in _ask(client, surface, w, language, REPORT_SECRET_WORD)

    leaks = []
    for probe in probes():
        found = _ask(client, surface, w, language, probe)
        leaks += [f"{probe!r} finds {label}" for label, key in targets.items() if key in found]
    assert leaks == [], f"{surface.route} ({language}): " + "; ".join(leaks[:10])


def test_the_probes_are_what_the_originals_hold(world, db):
    """The probes would find the secrets in the originals: every hidden value is stored there,
    and none of them, nor any 4-character prefix of one, is in the public copies."""
    originals = " ".join(f"{q.text} {q.answer_text}" for q in world.secrets.values())
    copies = " ".join(f"{q.text_public} {q.answer_public}" for q in world.secrets.values())
    report = world.secret_report
    originals_count = sum(value in originals for value in HIDDEN)
    assert originals_count == len(HIDDEN)
    assert len(probes()) > 100
    for probe in probes():
        assert probe not in copies, probe
        assert probe not in f"{report.body_kk} {report.body_ru} {report.title_kk}", probe


def test_staff_who_cover_the_territory_search_the_originals(world, db):
    client = Client()
    client.force_login(world.base.staff)
    for language in LANGUAGES:
        page = client.get(f"/{language}/questions/staff/?queue=all&q={_q(IIN)}")
        assert page.status_code == 200
        assert world.secrets["iin"].pk in _staff_pages(page, world)
    body = client.get(f"/api/v1/staff/questions/?q={_q(EMAIL)}").json()
    assert world.secrets["email"].pk in {row["id"] for row in body["results"]}


# --- Every route that takes a search word is probed ----------------------------------------------


def _walk_urls(w: PrivacyWorld) -> tuple[list[tuple[str, str]], list[str]]:
    targets = _targets(w.base)
    urls, missing = [], []
    for name, route in sorted(url_routes().items()):
        if name.startswith("admin:"):
            continue
        if "<" in route or "(?P" in route:
            if name not in targets:
                missing.append(name)
                continue
            urls.append((name, reverse(name, kwargs=targets[name][0])))
        else:
            urls.append((name, reverse(name)))
    return urls, missing


def test_every_route_that_takes_a_search_word_is_probed(world, db, django_db_blocker):
    """Each route is asked (as a visitor and as the administrator) with every text parameter
    set, and the parameters it reads are recorded: the ones that read any must be above."""
    w = world
    urls, missing = _walk_urls(w)
    assert missing == [], f"routes with arguments unknown to tests/core/test_xss.py _targets(): {missing}"
    words = "&".join(f"{name}=probe" for name in sorted(TEXT_PARAMETERS))
    queries = [f"?{words}", f"?{words}&unit={w.base.district.pk}&territory={w.base.district.slug}&queue=all"]
    clients = {"anonymous": Client(), "administrator": Client()}
    clients["administrator"].force_login(w.base.administrator)
    readers: dict[str, set[str]] = {}
    with recording_query_reads() as reads:
        for name, url in urls:
            for client in clients.values():
                for query in queries:
                    reads.clear()
                    savepoint = transaction.savepoint()
                    client.get(url + query, HTTP_ACCEPT_LANGUAGE="kk")
                    transaction.savepoint_rollback(savepoint)
                    if reads & TEXT_PARAMETERS:
                        readers.setdefault(name, set()).update(reads & TEXT_PARAMETERS)
    assert len(urls) > 100
    unprobed = sorted(set(readers) - SURFACE_ROUTES - set(NOT_SEARCHES))
    assert unprobed == [], (
        f"routes that take a search word and are not probed in tests/test_search_privacy.py SURFACES: {unprobed}"
    )
    gone = sorted((SURFACE_ROUTES | set(NOT_SEARCHES)) - set(readers))
    assert gone == [], f"SURFACES entries whose route reads no search word any more: {gone}"
