"""Faults under load, against the app as production runs it (gunicorn, DEBUG off) in a
subprocess, on the pytest-django test database:

- PostgreSQL restarted: a TCP proxy between the server and PostgreSQL drops every connection
  and refuses new ones while residents keep submitting questions (API and form) and reading
  pages. Every answer is a translated 503 with Retry-After, never a 500; when the database is
  back the same server answers 200 again; and no question is half-written (each has its
  submission event and its confirmation in the outbox).
- Redis stopped and restarted under the same load: nothing fails at all, the questions sent
  meanwhile wait in the outbox, and cache and broker are used again once Redis is back.

The shared PostgreSQL cluster and the shared Redis are never touched: the proxy and a private
redis-server stand in for the restarts.
"""

import json
import re
import threading
import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from notifications.models import Message
from questions.models import Question, QuestionEvent
from tests.processes import (
    collect_static,
    database_address,
    database_url,
    free_port,
    redis_server,
    wait_for,
    web_server,
)
from tests.questions.factories import category
from tests.tcp_proxy import TcpProxy

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ON_POSTGRESQL, reason="a server process cannot share SQLite's in-memory test database; CI runs PostgreSQL"
    ),
]

LIMITS_OFF = {
    # The load comes from one address: the per-address limits would answer 429 instead.
    "QUESTIONS_RATE_LIMIT_PER_IP": "1000000",
    "QUESTIONS_API_SUBMIT_RATE": "1000000/minute",
    "API_ANON_RATE": "1000000/minute",
    "RATE_LIMIT_REGISTRATIONS": "1000000",
}
PAGES = ["/kk/questions/", "/ru/meetings/", "/kk/reports/", "/ru/territories/", "/kk/questions/ask/"]


# --- The load ----------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "api" or "form" (a submission), or "page"
    language: str
    started: float
    ended: float
    status: int | None  # None: the app server itself did not answer
    retry_after: str | None
    body: str
    location: str = ""
    marker: str = ""  # a submission's unique text

    def during(self, start: float, end: float) -> bool:
        return self.started >= start and self.ended <= end


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to record, not to follow


def _send(opener, url: str, *, data: bytes | None = None, headers: dict | None = None):
    request = Request(url, data=data, headers=headers or {})  # noqa: S310 - the local test server
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


class Load:
    """Threads that submit questions through the API and the form and read pages, recording
    every answer, until stopped."""

    def __init__(self, base: str, *, unit, water):
        self.base, self.unit, self.water = base, unit, water
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> "Load":
        for index in range(3):
            self._spawn(self._api, "kk" if index % 2 else "ru")
        for language in ("kk", "ru"):
            self._spawn(self._form, language)
            self._spawn(self._pages, language)
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _spawn(self, target, language: str) -> None:
        thread = threading.Thread(target=target, args=(language,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def _record(self, kind: str, language: str, started: float, answer, marker: str = "") -> None:
        status, headers, body = answer
        outcome = Outcome(
            kind,
            language,
            started,
            time.monotonic(),
            status,
            retry_after=headers.get("Retry-After") if headers else None,
            body=body,
            location=headers.get("Location", "") if headers else "",
            marker=marker,
        )
        with self._lock:
            self.outcomes.append(outcome)

    def _call(self, opener, url, **kwargs):
        try:
            return _send(opener, url, **kwargs)
        except (URLError, OSError) as error:
            return None, None, f"no answer from the app server: {error}"

    def _question(self, language: str) -> tuple[str, dict]:
        marker = f"load-{uuid.uuid4().hex}"
        return marker, {
            "text": f"Аулада су жоқ, көмектесіңіздер. Тексеру белгісі {marker}",
            "language": language,
            "author_name": "Жүктеме Тестов",
            "contact_email": f"{marker}@example.kz",
        }

    def _api(self, language: str) -> None:
        opener = build_opener(_NoRedirects)
        while not self._stop.is_set():
            marker, fields = self._question(language)
            body = json.dumps({"territory": self.unit.slug, "category": self.water.slug, **fields}).encode()
            started = time.monotonic()
            answer = self._call(
                opener,
                f"{self.base}/api/v1/questions/",
                data=body,
                headers={"Content-Type": "application/json", "Accept-Language": language},
            )
            self._record("api", language, started, answer, marker)
            time.sleep(0.02)

    def _form(self, language: str) -> None:
        opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirects)
        token = ""
        while not self._stop.is_set():
            if not token:  # the CSRF token from the form page (once it answers)
                started = time.monotonic()
                answer = self._call(opener, f"{self.base}/{language}/questions/ask/")
                self._record("page", language, started, answer)
                found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer[2])
                token = found.group(1) if found else ""
                time.sleep(0.02)
                continue
            marker, fields = self._question(language)
            data = {
                "csrfmiddlewaretoken": token,
                "unit": self.unit.pk,
                "category": self.water.pk,
                "website": "",
                **fields,
            }
            started = time.monotonic()
            answer = self._call(opener, f"{self.base}/{language}/questions/ask/", data=urlencode(data).encode())
            self._record("form", language, started, answer, marker)
            time.sleep(0.02)

    def _pages(self, language: str) -> None:
        opener = build_opener(_NoRedirects)
        index = 0
        while not self._stop.is_set():
            path = PAGES[index % len(PAGES)]
            index += 1
            started = time.monotonic()
            self._record("page", path[1:3], started, self._call(opener, f"{self.base}{path}"))
            time.sleep(0.02)

    def wait_for_answers(self, count: int, *, since: float, timeout: float = 30) -> None:
        def enough():
            with self._lock:
                return sum(1 for o in self.outcomes if o.started >= since and _ok(o)) >= count

        wait_for(enough, timeout=timeout, what=f"{count} answers")


def _ok(outcome: Outcome) -> bool:
    if outcome.kind == "api":
        return outcome.status == 201
    if outcome.kind == "form":
        return outcome.status == 302 and "/questions/track/" in outcome.location
    return outcome.status == 200


def _describe(outcomes: list[Outcome]) -> str:
    return "\n".join(
        f"{o.kind} {o.language} {o.status} after {o.ended - o.started:.2f}s: {o.body[:160]!r}" for o in outcomes[:10]
    )


def unavailable(language: str) -> str:
    with translation.override(language):
        return gettext("Temporarily unavailable")


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    return collect_static(tmp_path_factory.mktemp("faults") / "static")


@pytest.fixture
def world(almaly):
    return almaly, category("water")


def assert_no_half_written_question() -> None:
    """What one submission writes (questions.services.question_submit): the question, its
    "submitted" event and the confirmation message in the outbox — all three or none."""
    questions = list(Question.objects.values_list("pk", flat=True))
    submitted = QuestionEvent.objects.filter(kind=QuestionEvent.Kind.SUBMITTED)
    confirmations = Message.objects.filter(kind="questions.confirmation")
    assert submitted.count() == len(questions) == confirmations.count()
    for pk in questions:
        assert submitted.filter(question_id=pk).count() == 1, pk
        assert confirmations.filter(dedupe_key__startswith=f"questions:{pk}:questions.confirmation:").count() == 1, pk


def assert_stored_exactly_what_was_answered(outcomes: list[Outcome], *, ambiguous=lambda o: False) -> None:
    """A submission answered as saved is in the database; one answered 503 is not — except one
    in flight when the connection dropped (the COMMIT may have reached PostgreSQL)."""
    stored = {text.rsplit(" ", 1)[1] for text in Question.objects.values_list("text", flat=True)}
    for outcome in (o for o in outcomes if o.kind in ("api", "form")):
        if _ok(outcome):
            assert outcome.marker in stored, f"answered as saved but missing: {outcome}"
        elif outcome.status == 503 and not ambiguous(outcome):
            assert outcome.marker not in stored, f"answered 503 but stored: {outcome}"


# --- PostgreSQL restarted ------------------------------------------------------------------------


def test_a_database_restart_under_load_gives_503s_then_recovers_with_nothing_half_written(tmp_path, static_root, world):
    unit, water = world
    host, port = database_address()
    with (
        TcpProxy(host, port) as proxy,
        web_server(
            tmp_path / "gunicorn.log",
            static_root=static_root,
            DATABASE_URL=database_url(port=proxy.port),
            REDIS_URL="",  # a file cache and broker of its own: this test is about the database
            CELERY_BROKER_URL="filesystem://",
            **LIMITS_OFF,
        ) as base,
        Load(base, unit=unit, water=water) as load,
    ):
        load.wait_for_answers(15, since=0)
        assert proxy.open_connections > 0  # the server really talks to PostgreSQL through the proxy

        cut_at = time.monotonic()
        proxy.cut()
        time.sleep(3)
        outage_ended = time.monotonic()
        proxy.restore()
        restored_at = time.monotonic()
        load.wait_for_answers(20, since=restored_at)
        time.sleep(1)

    outcomes = load.outcomes
    # Never a 500, and the server itself never stopped answering.
    broken = [o for o in outcomes if o.status is None or (o.status >= 500 and o.status != 503)]
    assert broken == [], _describe(broken)

    # During the outage: the translated "temporarily unavailable" page with Retry-After.
    margin = 0.2  # a request that started just before the cut may have finished its work
    outage = [o for o in outcomes if o.during(cut_at + margin, outage_ended)]
    assert len(outage) >= 20, f"only {len(outage)} requests during the outage"
    assert {o.kind for o in outage} == {"api", "form", "page"}
    not_503 = [o for o in outage if o.status != 503 or o.retry_after != "30"]
    assert not_503 == [], _describe(not_503)
    untranslated = [o for o in outage if unavailable(o.language) not in o.body]
    assert untranslated == [], _describe(untranslated)

    # Back: the same server process answers again, without a restart (CONN_HEALTH_CHECKS
    # replaces the connections the restart killed).
    after = [o for o in outcomes if o.started >= restored_at]
    failed_after = [o for o in after if not _ok(o)]
    assert failed_after == [], _describe(failed_after)
    assert {o.kind for o in after if _ok(o)} == {"api", "form", "page"}
    assert (tmp_path / "gunicorn.log").read_text().count("Booting worker") == 1  # no worker was replaced

    # No partial write.
    assert_no_half_written_question()
    assert_stored_exactly_what_was_answered(outcomes, ambiguous=lambda o: o.started < cut_at + margin)
    assert Question.objects.count() >= sum(1 for o in outcomes if o.kind in ("api", "form") and _ok(o)) > 0


# --- Redis stopped under load ----------------------------------------------------------------------


def test_redis_stopped_under_load_fails_nothing_and_is_used_again_when_back(tmp_path, static_root, world):
    import redis

    unit, water = world
    port = free_port()
    cache_url, broker_url = f"redis://127.0.0.1:{port}/0", f"redis://127.0.0.1:{port}/1"
    first_redis = ExitStack()  # closed mid-test: Redis stops while the load goes on
    first_redis.enter_context(redis_server(port))
    with (
        first_redis,
        web_server(
            tmp_path / "gunicorn.log",
            static_root=static_root,
            DATABASE_URL=database_url(),
            REDIS_URL=cache_url,
            CELERY_BROKER_URL=broker_url,
            **LIMITS_OFF,
        ) as base,
        Load(base, unit=unit, water=water) as load,
    ):
        load.wait_for_answers(15, since=0)
        assert redis.Redis.from_url(cache_url).dbsize() > 0  # pages and limits use the cache
        assert redis.Redis.from_url(broker_url).llen("celery") > 0  # submissions kick delivery
        first_redis.close()
        stopped_at = time.monotonic()
        load.wait_for_answers(20, since=stopped_at)
        time.sleep(1.5)
        with redis_server(port):
            restarted_at = time.monotonic()
            load.wait_for_answers(20, since=restarted_at)
            time.sleep(1)
            # Back: the same server writes to the cache and publishes delivery kicks again.
            assert redis.Redis.from_url(cache_url).dbsize() > 0
            assert redis.Redis.from_url(broker_url).llen("celery") > 0
    outcomes = load.outcomes

    failed = [o for o in outcomes if not _ok(o)]
    assert failed == [], _describe(failed)
    # Submissions went on while Redis was down, without waiting for it (kombu used to retry
    # the broker connection for seconds on every publish).
    during = [o for o in outcomes if o.during(stopped_at, restarted_at)]
    assert {o.kind for o in during} == {"api", "form", "page"}
    assert sum(1 for o in during if o.kind in ("api", "form")) >= 10, _describe(during)
    slow = [o for o in outcomes if o.ended - o.started > 3]
    assert slow == [], _describe(slow)
    # Nothing a resident sent is lost: the questions are stored, their messages wait in the
    # outbox for a worker (none runs here).
    assert_no_half_written_question()
    assert_stored_exactly_what_was_answered(outcomes)
    waiting = Message.objects.filter(kind="questions.confirmation", status=Message.Status.PENDING)
    sent_meanwhile = [o for o in during if o.kind in ("api", "form")]
    assert waiting.count() == Question.objects.count() >= len(sent_meanwhile) > 0
