"""Benchmarks at national scale, as users feel them (never part of `make test`): `make bench`.

1. Makes sure the benchmark database (PostgreSQL) holds the national data set, generating it
   with `generate_load_data` (bench/loaddata) when it is empty.
2. Server time (median and p95 over warmed requests) and SQL queries of every public and staff
   page and API list, in this process through the whole middleware stack: public pages with the
   page cache off, the pages it serves also with it on and with an invalid `sessionid` cookie;
   staff pages signed in as the big city's staff (the audit page as an administrator).
3. The cold scorecard of the big republican city (cache emptied): time, queries, and how much
   a fresh gunicorn worker grows serving it.
4. Throughput with gunicorn (2 sync workers) and `wrk -t2 -c16 -d10s`: each page alternated
   with a bare `startproject` page (bench/bare) served the same way, 3 rounds, medians; staff
   pages with a real session cookie.
5. Writes through the API: questions and registrations per second, and their p95.
6. Worker memory (VmHWM, VmRSS) after a mixed run of every page and cold scorecards.
7. The outbox (bench/outbox.py): 100,000 reminders, two workers, PostgreSQL and SQLite.
8. Writes bench/results/latest.md: every target of the issue, met or the gap.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kezdesu_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/12; empty for the local-memory cache),
BENCH_SCALE (default 1), BENCH_REQUESTS (default 200), BENCH_SECONDS_PER_PAGE (default 15: the
in-process measurement of one page stops after this long, with at least 20 requests),
BENCH_WRK_SECONDS (default 10), BENCH_ROUNDS (default 3), BENCH_OUTBOX_MESSAGES (default
100000; 0 skips it), BENCH_PAGES_ONLY=1 stops after the server times (writes no results).
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench"
VAR.mkdir(parents=True, exist_ok=True)
RESULTS = ROOT / "bench" / "results" / "latest.md"

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kezdesu_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS_PER_PAGE", "15"))
WARMUP = 5
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OUTBOX_MESSAGES = int(os.environ.get("BENCH_OUTBOX_MESSAGES", "100000"))
WRK_THREADS, WRK_CONNECTIONS = 2, 16

# Production-like: no debug, hashed static files, the per-address limits out of the way.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CELERY_BROKER_URL": "memory://",
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x1y2z3" * 10),
    "HTTPS": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "STATIC_ROOT": str(VAR / "static"),
    "API_ANON_RATE": "100000000/minute",
    "API_USER_RATE": "100000000/minute",
    "API_REGISTER_RATE": "100000000/minute",
    "QUESTIONS_API_SUBMIT_RATE": "100000000/minute",
    "QUESTIONS_RATE_LIMIT_PER_IP": "100000000",
    "RATE_LIMIT_REGISTRATIONS": "100000000",
    "ADMIN_TWO_FACTOR_REQUIRED": "false",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

# The targets of issue 15.
TARGET_P95_MS = 50
TARGET_SEARCH_P95_MS = 60
TARGET_QUERIES = 12
TARGET_UNCACHED_RATIO = 0.15
TARGET_CACHED_RATIO = 0.60
TARGET_COLD_SCORECARD_MS = 300
TARGET_COLD_SCORECARD_MB = 40
TARGET_WORKER_MB = 150
TARGET_OUTBOX_SECONDS = {"postgresql": 60, "sqlite": 120}


def ensure_database() -> None:
    """Create the benchmark database when PostgreSQL answers but the database is missing."""
    import psycopg2
    from psycopg2 import sql

    match = re.match(r"postgres(?:ql)?://(?P<rest>[^/]*)/(?P<name>[^?]+)", DATABASE_URL)
    if not match:
        sys.exit("BENCH_DATABASE_URL must point at PostgreSQL: the targets are about PostgreSQL.")
    name = match["name"]
    try:
        admin = psycopg2.connect(DATABASE_URL.replace(f"/{name}", "/postgres", 1))
    except psycopg2.OperationalError as error:
        sys.exit(f"PostgreSQL does not answer at {DATABASE_URL}: {error}\nREADME.md 'Benchmarks' says how to start it.")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def redis_answers() -> bool:
    if not REDIS_URL:
        return False
    match = re.match(r"redis://(?P<host>[^:/]+):?(?P<port>\d*)", REDIS_URL)
    try:
        with socket.create_connection((match["host"], int(match["port"] or 6379)), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


ensure_database()
if not redis_answers():
    print(f"Redis does not answer at {REDIS_URL!r}: the cache is local memory in this run.")
    os.environ["REDIS_URL"] = SERVER_ENV["REDIS_URL"] = ""

import django

django.setup()

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import StaffRole, User
from accounts.services import staff_role_grant
from cycles.models import Cycle
from districts.models import AdministrativeUnit
from meetings.models import Meeting, Registration
from questions.models import Category, Question
from reports.models import ActionItem, Report, TerritoryFigures

# --- The data set ----------------------------------------------------------------------------


def ensure_data() -> dict:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # One stamp per database, so a quick scale-0.1 database beside the full one keeps its data.
    stamp = VAR / f"load-data-{DATABASE_URL.rsplit('/', 1)[1]}.json"
    wanted = {"scale": SCALE, "database": DATABASE_URL}
    known = json.loads(stamp.read_text()) if stamp.exists() else {}
    have = AdministrativeUnit.objects.exists()
    if have and not stamp.exists() and not os.environ.get("BENCH_REGENERATE"):
        # Data generated by hand (or on another checkout): use it as it is rather than wipe a
        # data set that took minutes to write; BENCH_REGENERATE=1 asks for a fresh one.
        print(f"Using the data already in {DATABASE_URL.rsplit('/', 1)[1]} (no stamp: scale assumed {SCALE}).")
        known = {**wanted, "seconds": None, "generated": "before this checkout's first run"}
        stamp.write_text(json.dumps(known))
    if not have or os.environ.get("BENCH_REGENERATE") or {k: known.get(k) for k in wanted} != wanted:
        print(f"Generating the data set (scale {SCALE}); at scale 1 this takes about ten minutes.", flush=True)
        started = time.monotonic()
        call_command("generate_load_data", scale=SCALE, reset=have)
        known = {**wanted, "seconds": round(time.monotonic() - started), "generated": datetime.now(UTC).isoformat()}
        stamp.write_text(json.dumps(known))
    counts = {
        "territories": AdministrativeUnit.objects.count(),
        "meetings": Meeting.objects.count(),
        "questions": Question.objects.count(),
        "registrations": Registration.objects.count(),
        "reports": Report.objects.count(),
        "action items": ActionItem.objects.count(),
    }
    return {**known, "counts": counts}


def big_city() -> AdministrativeUnit:
    """The city of republican significance with the most questions (a tenth of all at scale 1)."""
    cities = AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.REPUBLICAN_CITY)
    return max(cities, key=lambda unit: Question.objects.within(unit).count())


def bench_users(city: AdministrativeUnit) -> dict[str, User]:
    """A city's akimat staff member and an administrator, made once (the data set has no users)."""
    staff, _created = User.objects.get_or_create(username="bench.city.staff", defaults={"is_staff": True})
    if not StaffRole.objects.filter(user=staff, unit=city).exists():
        staff_role_grant(user=staff, unit=city, role=StaffRole.Role.AKIMAT_STAFF)
    admin, _created = User.objects.get_or_create(
        username="bench.admin", defaults={"is_staff": True, "is_superuser": True}
    )
    return {"staff": staff, "admin": admin}


def session_cookie(user: User) -> str:
    """A real session, as signing in leaves it: the cookie works for gunicorn too."""
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Page:
    def __init__(self, name: str, url: str, *, who: str = "anonymous", cached: bool = False, search: bool = False):
        self.name, self.url, self.who = name, quote(url, safe="/?=&"), who  # wrk and urllib send ASCII
        # Served by core/page_cache.py for anonymous readers: measured with it on, and with an
        # invalid session cookie (which must not bypass it).
        self.cached = cached
        self.search = search


def upcoming_meetings():
    """Meetings that take registrations now, soonest first."""
    return Meeting.objects.filter(status="scheduled", registration_open=True, starts_at__gt=timezone.now()).order_by(
        "starts_at"
    )


def pick_pages(city: AdministrativeUnit) -> list[Page]:
    region = AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.REGION).order_by("pk").first()
    report = Report.objects.published().within(city).order_by("-published_at").first()
    upcoming = upcoming_meetings().first() or Meeting.objects.public().order_by("-starts_at").first()
    question = Question.objects.public().within(city).order_by("-pk").first()
    okrug = AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.RURAL_OKRUG).order_by("pk").first()
    rare = okrug.name_kk.split()[0]
    rare_ru = okrug.name_ru.split()[0]
    slug = city.slug
    cycle = Cycle.objects.filter(unit=city, starts_on__lt=timezone.localdate()).order_by("-starts_on").first()
    return [
        Page("home", "/kk/"),
        Page("upcoming meetings", "/ru/meetings/"),
        Page("meeting page", f"/kk/meetings/{upcoming.pk}/"),
        Page("questions list", "/kk/questions/"),
        Page(f"questions of {slug}", f"/kk/questions/territory/{slug}/"),
        Page("question page", f"/ru/questions/{question.pk}/"),
        Page("search 'дорога' (common)", "/ru/reports/search/?q=дорога", search=True),
        Page(f"search '{rare}' (rare)", f"/kk/reports/search/?q={rare}", search=True),
        Page("search 'мектеп' (common, kk)", "/kk/reports/search/?q=мектеп", search=True),
        Page(f"search '{rare_ru}' (rare, ru)", f"/ru/reports/search/?q={rare_ru}", search=True),
        Page("questions search 'дорога'", "/ru/questions/?q=дорога", search=True),
        Page("API questions search 'мектеп'", "/api/v1/questions/?q=мектеп", search=True),
        Page(f"report list, {slug}", f"/ru/reports/?territory={slug}", cached=True),
        Page("report page", report.get_absolute_url().replace("/ru/", "/kk/"), cached=True),
        Page(f"scorecard, {slug} (warm)", f"/ru/reports/territories/{slug}/"),
        Page(f"cycle page, {slug}", f"/kk/meetings/cycles/{cycle.slug}/"),
        Page(f"mandate, {region.slug}", f"/ru/meetings/mandate/?territory={region.slug}"),
        Page("API questions", "/api/v1/questions/", cached=True),
        Page(f"API questions of {slug}", f"/api/v1/questions/?territory={slug}"),
        Page("API reports", "/api/v1/reports/", cached=True),
        Page("API meetings", "/api/v1/meetings/"),
        Page(f"staff question queue, {slug}", "/kk/questions/staff/", who="staff"),
        Page(f"staff queue, all, {slug}", "/ru/questions/staff/?queue=all", who="staff"),
        Page(f"staff queue, overdue, {slug}", "/kk/questions/staff/?queue=overdue", who="staff"),
        Page("staff API questions", "/api/v1/staff/questions/", who="staff"),
        Page("staff meetings workspace", "/kk/meetings/staff/", who="staff"),
        Page("audit page", "/kk/accounts/audit/", who="admin"),
    ]


def variants(page: Page) -> list[tuple[str, bool, str]]:
    """(label, page cache on, cookie) for each way a page is measured."""
    if page.who != "anonymous":
        return [("signed in", False, page.who)]
    rows = [("no page cache", False, "")]
    if page.cached:
        rows += [("page cache", True, ""), ("page cache, invalid sessionid", True, "invalid")]
    return rows


# --- Server time -----------------------------------------------------------------------------


def measure(client: Client, url: str, *, page_cache: bool) -> dict:
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=600 if page_cache else 0):
        for _ in range(WARMUP):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        captured = []

        def timed(execute, sql, *args):
            started = time.perf_counter()
            try:
                return execute(sql, *args)
            finally:
                captured.append((time.perf_counter() - started) * 1000)

        # Not CaptureQueriesContext: Django empties connection.queries when a request starts.
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            client.get(url)
            profiled = (time.perf_counter() - started) * 1000
        timings = []
        deadline = time.monotonic() + SECONDS_PER_PAGE
        while len(timings) < REQUESTS and (len(timings) < 20 or time.monotonic() < deadline):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "requests": len(timings),
        "median": statistics.median(timings),
        "p95": timings[max(0, int(len(timings) * 0.95) - 1)],
        "queries": len(captured),
        # Where one request's time goes: in SQL, and the rest (Python: views, templates, serialisers).
        "sql_ms": sum(captured),
        "profiled_ms": profiled,
        "kb": len(response.content) / 1024,
    }


def client_for(who: str, cookies: dict[str, str]) -> Client:
    client = Client(SERVER_NAME="localhost")
    if who in cookies:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookies[who]
    elif who == "invalid":
        client.cookies[settings.SESSION_COOKIE_NAME] = "invalid-session-key"
    return client


def server_times(pages: list[Page], cookies: dict[str, str]) -> dict:
    results = {}
    print(f"{'page':<44}{'variant':<32}{'median':>8}{'p95':>8}{'queries':>8}{'n':>5}")
    for page in pages:
        for label, page_cache, who in variants(page):
            cache.clear()
            result = measure(client_for(who, cookies), page.url, page_cache=page_cache)
            results[(page.name, label)] = result
            print(
                f"{page.name:<44}{label:<32}{result['median']:>8.1f}{result['p95']:>8.1f}"
                f"{result['queries']:>8}{result['requests']:>5}",
                flush=True,
            )
    return results


# --- Processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers: the portal (page cache on or off) or the bare project."""

    def __init__(self, *, bare: bool = False, page_cache: bool = True, workers: int = 2):
        self.port = free_port()
        command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]
        command += ["--timeout", "300", "--no-control-socket"]
        env = {**os.environ, **SERVER_ENV, "PUBLIC_PAGE_CACHE_SECONDS": "600" if page_cache else "0"}
        if bare:
            command += ["--chdir", str(ROOT / "bench" / "bare"), "bare.wsgi:application"]
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bare.settings", "PYTHONPATH": ""}
            ready = "/"
        else:
            command += ["config.wsgi:application"]
            ready = "/healthz"
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(self.base + ready, timeout=2).read()  # noqa: S310 - our http URL
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def get(self, path: str, cookie: str = "") -> bytes:
        headers = {"Cookie": cookie} if cookie else {}
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310 - our http URL
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our http URL
            return response.read()

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""


def wrk(url: str, *, cookie: str = "", script: str = "", seconds: int = WRK_SECONDS, refusals: bool = False) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script + WRK_REPORT)
    # wrk leaves answers slower than its timeout (2 s by default) out of the latencies: wait longer.
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--timeout", "60s", "-s", lua.name]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output)[1])
    if errors and int(errors[1]) > requests // 100 and not refusals:
        raise RuntimeError(f"wrk saw {errors[1]} error responses on {url}:\n{output}")
    return {
        "refused": int(errors[1]) if errors else 0,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": requests,
        "p95_ms": int(re.search(r"p95_us (\d+)", output)[1]) / 1000,
    }


def memory_mb(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+) kB", status)[1]) / 1024 for key in ("VmHWM", "VmRSS")}


def throughput(pages: list[Page], cookies: dict[str, str]) -> dict:
    """Each page and variant, alternated with the bare page: ROUNDS rounds, medians."""
    servers = {"bare": Gunicorn(bare=True), True: Gunicorn(page_cache=True), False: Gunicorn(page_cache=False)}
    results = {}
    try:
        for page in pages:
            for label, page_cache, who in variants(page):
                server = servers[page_cache]
                cookie = f"{settings.SESSION_COOKIE_NAME}={cookies.get(who, 'invalid-session-key')}" if who else ""
                for _ in range(3):  # warm the workers and the cache the variant uses
                    server.get(page.url, cookie)
                bare, runs = [], []
                for _ in range(ROUNDS):
                    bare.append(wrk(servers["bare"].base + "/"))
                    runs.append(wrk(server.base + page.url, cookie=cookie))
                result = {
                    "rps": statistics.median(run["rps"] for run in runs),
                    "p95_ms": statistics.median(run["p95_ms"] for run in runs),
                    "bare_rps": statistics.median(run["rps"] for run in bare),
                }
                result["ratio"] = result["rps"] / result["bare_rps"]
                results[(page.name, label)] = result
                print(
                    f"{page.name:<44}{label:<32}{result['rps']:>8.0f} req/s  bare {result['bare_rps']:>6.0f}"
                    f"  {result['ratio']:>6.1%}  p95 {result['p95_ms']:.0f} ms",
                    flush=True,
                )
    finally:
        for server in servers.values():
            server.stop()
    return results


# --- Cold scorecard, writes, memory ----------------------------------------------------------


def cold_scorecard(city: AdministrativeUnit) -> dict:
    """The big city's scorecard with the cache emptied: in this process (time, queries), first
    with no summary rows (TerritoryFigures: the page computes its own and its siblings' rows, as
    the beat job does), then with the rows it wrote; then in a fresh gunicorn worker with the
    rows removed again (how much it grows in the worst case)."""
    url = f"/ru/reports/territories/{city.slug}/"
    client = Client(SERVER_NAME="localhost")
    client.get("/ru/")

    def timed_get() -> tuple[float, int]:
        cache.clear()
        captured = []
        with connection.execute_wrapper(lambda execute, sql, *args: captured.append(sql) or execute(sql, *args)):
            started = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return ms, len(captured)

    TerritoryFigures.objects.all().delete()
    rows_ms, rows_queries = timed_get()
    ms, queries = timed_get()
    server = Gunicorn(workers=1)
    try:
        (worker,) = server.workers()
        server.get("/ru/")  # the worker's own baseline: Django loaded, one page served
        before = memory_mb(worker)
        TerritoryFigures.objects.all().delete()
        cache.clear()
        server.get(url)
        after = memory_mb(worker)
    finally:
        server.stop()
    return {
        "url": url,
        "ms": ms,
        "queries": queries,
        "rows_ms": rows_ms,
        "rows_queries": rows_queries,
        "before_mb": before["VmRSS"],
        "after_mb": after["VmRSS"],
        "growth_mb": after["VmHWM"] - before["VmHWM"],
    }


def writes(city: AdministrativeUnit) -> dict:
    """Questions and registrations through the API, one wrk run each (every request a new one)."""
    category = Category.objects.filter(is_active=True).order_by("pk").first()
    upcoming = list(upcoming_meetings().values_list("pk", flat=True)[:200])
    common = """
local counter = 0
local threads = 0
setup = function(thread)
  -- a global of the thread's own Lua state: each thread writes its own contacts
  thread:set("thread_id", threads)
  threads = threads + 1
end
local function unique()
  counter = counter + 1
  return string.format("%d-%d-%d", os.time(), thread_id or 0, counter)
end
"""
    question = (
        common
        + f"""
request = function()
  local body = string.format('{{"territory": "{city.slug}", "category": "{category.slug}", "language": "ru", '
    .. '"text": "Бенчмарк: на улице разбита дорога, просим отремонтировать %s", "author_name": "Тест", '
    .. '"contact_email": "bench-%s@example.kz"}}', unique(), unique())
  return wrk.format("POST", "/api/v1/questions/", {{["Content-Type"] = "application/json"}}, body)
end
"""
    )

    def registration(meetings: list[int]) -> str:
        listed = ", ".join(str(pk) for pk in meetings)
        return (
            common
            + f"""
local meetings = {{{listed}}}
request = function()
  local id = unique()
  local meeting = meetings[(counter % #meetings) + 1]
  local body = string.format('{{"name": "Тест %s", "email": "bench-%s@example.kz"}}', id, id)
  return wrk.format("POST", "/api/v1/meetings/" .. meeting .. "/registrations/",
    {{["Content-Type"] = "application/json"}}, body)
end
"""
        )

    server = Gunicorn(page_cache=True)
    try:
        # A write may be refused (a full meeting's waiting list is not; a repeated contact is): counted.
        results = {"questions": wrk(server.base, script=question, refusals=True)}
        if upcoming:
            many = registration(upcoming)
            results[f"registrations, {len(upcoming)} meetings"] = wrk(server.base, script=many, refusals=True)
            one = registration(upcoming[:1])
            results["registrations, one meeting"] = wrk(server.base, script=one, refusals=True)
        return results
    finally:
        server.stop()


def memory_after_mixed_run(pages: list[Page], cookies: dict[str, str]) -> dict:
    """A fresh gunicorn: every page (anonymous ones with the page cache off and on) and, three
    times over, the cold scorecards of every city of republican significance; then VmHWM/VmRSS."""
    cities = AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.REPUBLICAN_CITY)
    scorecards = [f"/ru/reports/territories/{city.slug}/" for city in cities]
    server = Gunicorn(page_cache=True)
    served = 0
    try:
        for _round in range(3):
            cache.clear()
            for url in scorecards:
                for _worker in range(2):  # each worker gets its share of cold work
                    server.get(url)
                    served += 1
            for page in pages:
                cookie = f"{settings.SESSION_COOKIE_NAME}={cookies[page.who]}" if page.who in cookies else ""
                served += wrk(server.base + page.url, cookie=cookie, seconds=2)["requests"]
        memory = {pid: memory_mb(pid) for pid in server.workers()}
    finally:
        server.stop()
    return {"served": served, "workers": list(memory.values())}


def outbox() -> list[dict]:
    if OUTBOX_MESSAGES <= 0:
        # The figures of the last separate run of bench/outbox.py, if any, marked as such.
        last = VAR / "outbox.json"
        if not last.exists():
            return []
        measured = datetime.fromtimestamp(last.stat().st_mtime, UTC)
        return [{**result, "separately": f"{measured:%Y-%m-%d %H:%M} UTC"} for result in json.loads(last.read_text())]
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "outbox.py"), "--json", str(OUTBOX_MESSAGES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    print(completed.stdout.rsplit("\n", 2)[0], flush=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- Results ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = names[0].strip() if names else cpu
    meminfo = Path("/proc/meminfo")
    memory = ""
    if meminfo.exists():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text())[1])
        memory = f", {kib / 1024**2:.0f} GiB RAM"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    load = os.getloadavg()[0]
    cached_in = "Redis" if SERVER_ENV["REDIS_URL"] else "local memory"
    return (
        f"{cpu}, {os.cpu_count()} cores{memory} (shared; load average {load:.1f} at the end); "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"Django {django.get_version()}, PostgreSQL {postgres}; cache: {cached_in}"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**gap**"


def write_results(run: dict) -> str:
    data, pages, timings, load = run["data"], run["pages"], run["timings"], run["throughput"]
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` in {run['minutes']:.0f} minutes on {machine()}.",
        "",
        f"Data set: scale {data['scale']:g} — "
        + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items())
        + (f"; generated in {data['seconds']} s." if data.get("seconds") else "."),
        "",
        "## Pages",
        "",
        f"Server time: in-process through the whole middleware stack, after {WARMUP} warm-up requests, "
        f"up to {REQUESTS} requests or {SECONDS_PER_PAGE:g} s (at least 20). Throughput: gunicorn, 2 sync "
        f"workers, `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s`, each run followed by the bare "
        f"`startproject` page (bench/bare: 20 rows from a template, no database) on the same gunicorn settings, "
        f"{ROUNDS} rounds, medians; 'of bare' is the page's median over the bare page's. Staff pages with a real "
        "session of the big city's akimat staff (the audit page: an administrator's). Targets: p95 ≤ "
        f"{TARGET_P95_MS} ms (search ≤ {TARGET_SEARCH_P95_MS} ms), ≤ {TARGET_QUERIES} queries, ≥ "
        f"{TARGET_UNCACHED_RATIO:.0%} of bare without the page cache, ≥ {TARGET_CACHED_RATIO:.0%} from it.",
        "",
        "| page | variant | median ms | p95 ms | queries | KiB | req/s | of bare | p95 under load ms | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    met = gaps = 0
    for page in pages:
        for label, page_cache, _who in variants(page):
            timing, rate = timings[(page.name, label)], load[(page.name, label)]
            limit = TARGET_SEARCH_P95_MS if page.search else TARGET_P95_MS
            ratio_target = TARGET_CACHED_RATIO if page_cache else TARGET_UNCACHED_RATIO
            checks = [
                (
                    timing["p95"] <= limit,
                    f"p95 {timing['p95']:.0f} > {limit} ms"
                    + (
                        f" (one request: {timing['sql_ms']:.0f} ms in SQL of {timing['profiled_ms']:.0f})"
                        if "sql_ms" in timing
                        else ""
                    ),
                ),
                (timing["queries"] <= TARGET_QUERIES, f"{timing['queries']} queries"),
                (rate["ratio"] >= ratio_target, f"{rate['ratio']:.1%} < {ratio_target:.0%} of bare"),
            ]
            failing = [why for ok, why in checks if not ok]
            met, gaps = met + (not failing), gaps + bool(failing)
            kb = f"{timing['kb']:.0f}" if "kb" in timing else "—"
            lines.append(
                f"| {page.name} | {label} | {timing['median']:.1f} | {timing['p95']:.1f} | {timing['queries']} | "
                f"{kb} | {rate['rps']:.0f} | {rate['ratio']:.1%} | {rate['p95_ms']:.0f} | "
                + ("met" if not failing else "**gap**: " + "; ".join(failing))
                + " |"
            )
    bare = statistics.median(rate["bare_rps"] for rate in load.values())
    lines += ["", f"Bare `startproject` page: median {bare:,.0f} req/s over all its runs.", ""]

    cold = run["cold"]
    ok_ms, ok_mb = cold["ms"] <= TARGET_COLD_SCORECARD_MS, cold["growth_mb"] <= TARGET_COLD_SCORECARD_MB
    lines += [
        "## Cold scorecard of a city of republican significance",
        "",
        f"`{cold['url']}` with the cache emptied, from its summary rows: {cold['ms']:,.0f} ms, "
        f"{cold['queries']} queries (target ≤ {TARGET_COLD_SCORECARD_MS} ms: {verdict(ok_ms)}); with its "
        f"summary rows missing too (computed by the page, as the beat job does every 10 minutes for the "
        f"top-level territories): {cold.get('rows_ms', 0):,.0f} ms, {cold.get('rows_queries', 0)} queries. "
        "A fresh gunicorn worker serving it without cache or rows "
        f"peaks {cold['growth_mb']:.0f} MB higher and keeps {cold['after_mb'] - cold['before_mb']:.0f} MB "
        f"(RSS {cold['before_mb']:.0f} → {cold['after_mb']:.0f} MB; target ≤ {TARGET_COLD_SCORECARD_MB} MB: "
        f"{verdict(ok_mb)}).",
        "",
        "## Writes through the API",
        "",
        f"gunicorn, 2 sync workers, `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s`, every request a "
        "new question or registration (its confirmation queued in the outbox).",
        "",
        "| write | per second | p95 ms | refused (4xx) |",
        "|---|---:|---:|---:|",
        *[
            f"| {name} | {r['rps']:.0f} | {r['p95_ms']:.0f} | {r['refused']} of {r['requests']} |"
            for name, r in run["writes"].items()
        ],
        "",
    ]
    memory = run["memory"]
    worst = max(worker["VmHWM"] for worker in memory["workers"])
    lines += [
        "## Worker memory after a mixed run",
        "",
        f"A fresh gunicorn (2 workers) served {memory['served']:,} requests: every page above and, three times "
        "over with the cache emptied, the cold scorecards of the cities of republican significance. Per worker, "
        "peak / now: "
        + ", ".join(f"{w['VmHWM']:.0f} / {w['VmRSS']:.0f} MB" for w in memory["workers"])
        + f". Target ≤ {TARGET_WORKER_MB} MB: {verdict(worst <= TARGET_WORKER_MB)}.",
        "",
    ]
    if run["outbox"]:
        lines += [
            "## Outbox",
            "",
            "bench/outbox.py: reminders with their calendar attachment, delivered by two Celery worker processes "
            "(`--pool=solo`) to a mail backend that serialises each message as SMTP would and journals its "
            "Message-ID and the time; timed from the first message handed over to the last (the workers' start-up "
            "apart).",
            "",
            "| database | messages | delivered in s | messages/s | exactly once | worker peak MB | worker CPU ms per "
            "message | target |",
            "|---|---:|---:|---:|---|---|---:|---|",
        ]
        for result in run["outbox"]:
            target = TARGET_OUTBOX_SECONDS[result["database"]]
            # The target is for 100,000 messages; a smaller run says nothing about it.
            ok = result["deliver_seconds"] <= target and result["exactly_once"] and result["messages"] >= 100_000
            separately = f" (bench/outbox.py run on its own, {result['separately']})" if "separately" in result else ""
            lines.append(
                f"| {result['database']}{separately} | {result['messages']:,} | {result['deliver_seconds']} | "
                f"{result['per_second']:,} | {'yes' if result['exactly_once'] else '**no**'} | "
                f"{', '.join(str(mb) for mb in result['worker_peak_mb'])} | "
                f"{result.get('worker_cpu_ms_per_message', '—')} | ≤ {target} s: {verdict(ok)} |"
            )
        lines.append("")
    lines += [
        "## Pages measured",
        "",
        *[f"- {page.name}: `{page.url}`" + ("" if page.who == "anonymous" else f" (as {page.who})") for page in pages],
        "",
        f"Page rows: {met} met, {gaps} with a gap.",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    return text


def main() -> None:
    if not shutil.which("wrk") and not os.environ.get("BENCH_PAGES_ONLY"):  # server times need no wrk
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    started = time.monotonic()
    data = ensure_data()
    print(f"Data: {data['counts']}", flush=True)
    city = big_city()
    users = bench_users(city)
    cookies = {who: session_cookie(user) for who, user in users.items()}
    pages = pick_pages(city)
    timings = server_times(pages, cookies)
    if os.environ.get("BENCH_PAGES_ONLY"):
        return
    run = {"data": data, "pages": pages, "timings": timings}
    print("Cold scorecard", flush=True)
    run["cold"] = cold_scorecard(city)
    print(run["cold"], flush=True)
    print("Throughput, alternated with the bare page", flush=True)
    run["throughput"] = throughput(pages, cookies)
    print("Writes", flush=True)
    run["writes"] = writes(city)
    print(run["writes"], flush=True)
    print("Memory after a mixed run", flush=True)
    run["memory"] = memory_after_mixed_run(pages, cookies)
    print(run["memory"], flush=True)
    print("Outbox", flush=True)
    run["outbox"] = outbox()
    run["minutes"] = (time.monotonic() - started) / 60
    print(write_results(run))


if __name__ == "__main__":
    main()
