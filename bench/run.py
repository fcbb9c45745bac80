"""Benchmarks: server-side time and SQL queries of public pages (never part of `make test`).

Usage: make bench   (uses the configured database; loads the demo data when it is empty)
Later issues add the national-scale generator and more pages here.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Its own database, never the one `make run` uses.
DEFAULT_DATABASE = f"sqlite:///{ROOT / 'var' / 'bench' / 'pages.sqlite3'}"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)
os.environ.setdefault("HTTPS", "false")
os.environ["STATIC_ROOT"] = str(ROOT / "var" / "bench" / "static")  # production-like: hashed, compressed
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

import django

django.setup()

from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings

from districts.models import AdministrativeUnit
from reports.models import Report

WARMUP, REQUESTS = 20, 200


def measure(client: Client, url: str) -> tuple[float, float, int]:
    for _ in range(WARMUP):
        client.get(url)
    timings = []
    with override_settings(DEBUG=True):  # only so that connection.queries is recorded
        for _ in range(REQUESTS):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        queries = len(connection.queries)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not AdministrativeUnit.objects.exists():
        call_command("seed_demo", verbosity=0)
    client = Client(SERVER_NAME="localhost")
    reports = Report.objects.filter(status="published").order_by("pk").first()
    city = AdministrativeUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    pages = {
        "home (kk)": "/kk/",
        "territories (ru)": "/ru/territories/",
        "territory page": f"/kk/territories/{city.slug}/",
        "meetings (ru)": "/ru/meetings/",
        "report list": "/ru/reports/",
        "report page": reports.get_absolute_url() if reports else "/ru/reports/",
        "questions (kk)": "/kk/questions/",
        "API territories": "/api/v1/territories/",
    }
    print(f"{'page':<22}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    for name, url in pages.items():
        median, p95, queries = measure(client, url)
        print(f"{name:<22}{median:>10.2f}{p95:>10.2f}{queries:>9}")


if __name__ == "__main__":
    main()
