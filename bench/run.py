"""Benchmarks at national scale (never part of `make test`): `make bench`.

1. Makes sure the benchmark database (PostgreSQL) holds the national data set, generating it
   with `manage.py generate_load_data` when it is empty.
2. Server time (median and p95 over 200 warmed requests) and SQL queries of the public pages
   and API lists, measured in this process through Django's full middleware stack.
3. Throughput with gunicorn (2 workers) and wrk: the home page and the report list beside a bare
   Django page rendering 20 rows, in the same run; the ratio is the target.
4. Peak memory (VmHWM) of a gunicorn worker after it has served 10,000 requests.
5. Writes bench/results/latest.md.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kezdesu_bench),
BENCH_REDIS_URL (default redis://127.0.0.1:6379/12; empty for the local-memory cache),
BENCH_SCALE (default 1), BENCH_REQUESTS (default 200), BENCH_WRK_SECONDS (default 15);
BENCH_PAGES_ONLY=1 stops after the server times (for quick iterations; writes no results).
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench"
VAR.mkdir(parents=True, exist_ok=True)
RESULTS = ROOT / "bench" / "results" / "latest.md"

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kezdesu_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
WARMUP = 20
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "15"))
MEMORY_REQUESTS = 10_000

# Production-like: no debug, hashed static files, the API's per-IP limits out of the way.
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
    "ADMIN_TWO_FACTOR_REQUIRED": "false",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

TARGET_PAGE_P95_MS = 50
TARGET_SEARCH_P95_MS = 150
TARGET_QUERIES = 12
TARGET_THROUGHPUT_RATIO = 0.60
TARGET_WORKER_MB = 150


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

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from districts.models import AdministrativeUnit
from meetings.models import Meeting, Registration
from questions.models import Question
from reports.models import ActionItem, Report

# --- The data set ----------------------------------------------------------------------------


def ensure_data() -> dict:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp = VAR / "load-data.json"
    wanted = {"scale": SCALE, "database": DATABASE_URL}
    known = json.loads(stamp.read_text()) if stamp.exists() else {}
    have = AdministrativeUnit.objects.exists()
    if not have or os.environ.get("BENCH_REGENERATE") or {k: known.get(k) for k in wanted} != wanted:
        print(f"Generating the data set (scale {SCALE}); at scale 1 this takes several minutes.", flush=True)
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


def pick_pages() -> dict[str, str]:
    """The pages of the issue, on the biggest territories of the data set."""
    # The top-level territory with the most questions in its subtree.
    cities = AdministrativeUnit.objects.filter(parent__isnull=True)
    big_city = max(cities, key=lambda unit: Question.objects.within(unit).count())
    region = AdministrativeUnit.objects.filter(kind="region").order_by("pk").first()
    district = AdministrativeUnit.objects.filter(parent=big_city).order_by("pk").first()
    report = Report.objects.published().within(big_city).order_by("-published_at").first()
    upcoming = Meeting.objects.filter(status="scheduled").order_by("starts_at").first()
    held = report.meeting if report and report.meeting_id else Meeting.objects.filter(status="held").last()
    return {
        "home (kk)": "/kk/",
        "upcoming meetings (ru)": "/ru/meetings/",
        "meeting page, upcoming (kk)": f"/kk/meetings/{upcoming.pk}/" if upcoming else "/kk/meetings/",
        "meeting page, held (ru)": f"/ru/meetings/{held.pk}/",
        f"report list, {big_city.slug} (ru)": f"/ru/reports/?territory={big_city.slug}",
        "report page (kk)": report.get_absolute_url().replace("/ru/", "/kk/"),
        f"scorecard, {big_city.slug} (ru)": f"/ru/reports/territories/{big_city.slug}/",
        f"scorecard, {district.slug} (kk)": f"/kk/reports/territories/{district.slug}/",
        f"questions of {big_city.slug} (kk)": f"/kk/questions/territory/{big_city.slug}/",
        "search 'дорога' (ru)": "/ru/reports/search/?q=дорога",
        "search 'мектеп' (kk)": "/kk/reports/search/?q=мектеп",
        f"mandate, {region.slug} (ru)": f"/ru/meetings/mandate/?territory={region.slug}",
        "API territories": "/api/v1/territories/",
        "API meetings": "/api/v1/meetings/",
        "API questions": "/api/v1/questions/",
        "API reports": "/api/v1/reports/",
        "API action items": "/api/v1/action-items/",
    }


# --- Server time -----------------------------------------------------------------------------


def measure(client: Client, url: str) -> dict:
    cache.clear()
    started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    for _ in range(WARMUP):
        client.get(url)
    captured = []
    # Not CaptureQueriesContext: Django empties connection.queries when a request starts.
    with connection.execute_wrapper(lambda execute, sql, *args: captured.append(sql) or execute(sql, *args)):
        client.get(url)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "cold": cold,
        "median": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "queries": len(captured),
        "kb": len(response.content) / 1024,
    }


# --- Throughput and memory -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, workers: int = 2):
        self.port = free_port()
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **SERVER_ENV}, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2).read()  # noqa: S310 - our http URL
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(base: str, paths: list[str], seconds: int, connections: int = 8) -> dict:
    listed = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            f"local paths = {{{listed}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
        )
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"wrk saw {errors[1]} error responses on {paths}:\n{output}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "latency": re.search(r"Latency\s+(\S+)", output)[1],
    }


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def throughput_and_memory(pages: dict[str, str], report_list: str) -> dict:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: `make bench` installs it (apt-get install wrk).")
    server = Gunicorn(workers=2)
    try:
        for path in ("/bench/bare/", "/kk/", report_list):  # warm both workers
            for _ in range(10):
                urllib.request.urlopen(server.base + path).read()  # noqa: S310 - our http URL
        results = {}
        for name, path in (("bare Django page", "/bench/bare/"), ("home", "/kk/"), ("report list", report_list)):
            results[name] = wrk(server.base, [path], WRK_SECONDS)
        # Every page in turn until each worker has served at least 10,000 requests.
        public = list(pages.values())
        served = sum(result["requests"] for result in results.values())
        while served < 2 * MEMORY_REQUESTS + 100:
            served += wrk(server.base, public, 10)["requests"]
        memory = {pid: peak_memory_mb(pid) for pid in server.workers()}
    finally:
        server.stop()
    return {"wrk": results, "served": served, "memory": memory}


# --- Report ----------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found[1].strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text())[1])
        memory = f", {kib / 1024**2:.0f} GiB RAM"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {postgres}; "
        f"cache: {'Redis' if SERVER_ENV['REDIS_URL'] else 'local memory'}"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def write_results(data: dict, pages: dict, timings: dict, load: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {machine()}.",
        "",
        f"Data set: scale {data['scale']:g} — "
        + ", ".join(f"{count:,} {name}" for name, count in data["counts"].items())
        + (f"; generated in {data['seconds']} s." if data.get("seconds") else "."),
        "",
        f"## Server time and queries ({REQUESTS} warmed requests each, in-process, full middleware)",
        "",
        "'First view' is one request right after the cache was emptied.",
        "",
        "| page | median ms | p95 ms | first view ms | queries | KiB | target | |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    all_met = True
    for name, result in timings.items():
        search = name.startswith("search")
        limit = TARGET_SEARCH_P95_MS if search else TARGET_PAGE_P95_MS
        ok = result["p95"] <= limit and result["queries"] <= TARGET_QUERIES
        all_met &= ok
        lines.append(
            f"| {name} | {result['median']:.1f} | {result['p95']:.1f} | {result['cold']:.0f} | "
            f"{result['queries']} | {result['kb']:.0f} | p95 ≤ {limit} ms, ≤ {TARGET_QUERIES} queries | {verdict(ok)} |"
        )
    bare = load["wrk"]["bare Django page"]["rps"]
    lines += [
        "",
        f"## Throughput (gunicorn, 2 sync workers; wrk, 2 threads, 8 connections, {WRK_SECONDS} s each)",
        "",
        "| page | requests/s | latency avg | of the bare page | target | |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, result in load["wrk"].items():
        ratio = result["rps"] / bare
        target = "" if name == "bare Django page" else f"≥ {TARGET_THROUGHPUT_RATIO:.0%}"
        ok = name != "report list" or ratio >= TARGET_THROUGHPUT_RATIO
        all_met &= ok
        mark = verdict(ok) if name == "report list" else ""
        lines.append(f"| {name} | {result['rps']:.0f} | {result['latency']} | {ratio:.0%} | {target} | {mark} |")
    worst = max(load["memory"].values())
    all_met &= worst <= TARGET_WORKER_MB
    lines += [
        "",
        "## Memory",
        "",
        f"Peak resident memory (VmHWM) of each gunicorn worker after {load['served']:,} requests over every page "
        f"above (about {load['served'] // 2:,} per worker): "
        + ", ".join(f"{mb:.0f} MB" for mb in load["memory"].values())
        + f". Target ≤ {TARGET_WORKER_MB} MB: {verdict(worst <= TARGET_WORKER_MB)}.",
        "",
        "## Pages",
        "",
        *[f"- {name}: `{url}`" for name, url in pages.items()],
        "",
        "Every target met." if all_met else "Some targets are not met: see the closing notes of the benchmark issue.",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    return text


def main() -> None:
    data = ensure_data()
    print(f"Data: {data['counts']}", flush=True)
    pages = pick_pages()
    client = Client(SERVER_NAME="localhost")
    timings = {}
    print(f"{'page':<40}{'median':>8}{'p95':>8}{'first':>8}{'queries':>8}")
    for name, url in pages.items():
        timings[name] = result = measure(client, url)
        print(
            f"{name:<40}{result['median']:>8.1f}{result['p95']:>8.1f}{result['cold']:>8.0f}{result['queries']:>8}",
            flush=True,
        )
    if os.environ.get("BENCH_PAGES_ONLY"):
        return
    report_list = next(url for name, url in pages.items() if name.startswith("report list"))
    load = throughput_and_memory(pages, report_list)
    print(write_results(data, pages, timings, load))


if __name__ == "__main__":
    main()
