"""Benchmark: enqueue and deliver 100,000 reminders through the outbox (console email backend).

    BENCH_OUTBOX_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kezdesu_outbox .venv/bin/python bench/outbox.py [N]

Defaults to an SQLite file under var/bench/ (its own database: it empties the outbox).
Prints time, rate and peak memory (max RSS).
"""

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_OUTBOX_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'outbox.sqlite3'}"
)
os.environ["EMAIL_URL"] = "consolemail://"
os.environ["DEBUG"] = "false"  # no per-query debug log in the measurement
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x1y2z3" * 10)
# No broker round-trips in the measurement: the bench delivers in this process.
os.environ["CELERY_BROKER_URL"] = "memory://"
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Message
from notifications.services import notification_enqueue_many, notifications_deliver_due


def main(total: int) -> None:
    if total <= 0:
        print("outbox benchmark skipped (BENCH_OUTBOX_MESSAGES=0)")
        return
    call_command("migrate", verbosity=0)
    Message.objects.all().delete()
    started = time.perf_counter()
    # As the reminder job does: one bulk call per meeting's registrants (500 a meeting here).
    for start in range(0, total, 500):
        with transaction.atomic():
            notification_enqueue_many(
                messages=[
                    {
                        "kind": "notifications.check",
                        "language": "kk" if n % 2 else "ru",
                        "dedupe_key": f"bench:meeting:{n // 500}:reminder:{n}",
                        "email": f"resident{n}@example.kz",
                        "context": {"title": f"Кездесу {n // 500}"},
                    }
                    for n in range(start, min(start + 500, total))
                ]
            )
    enqueued = time.perf_counter() - started

    stdout, sys.stdout = sys.stdout, open(os.devnull, "w")  # noqa: SIM115 - the console backend prints every email
    try:
        started = time.perf_counter()
        sent = notifications_deliver_due(now=timezone.now(), limit=total)
        delivered = time.perf_counter() - started
    finally:
        sys.stdout.close()
        sys.stdout = stdout

    assert sent == total, (sent, total)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"outbox on {connection.vendor}: {total:,} messages")
    print(f"  enqueue  {enqueued:8.1f} s  {total / enqueued:9,.0f} msg/s")
    print(f"  deliver  {delivered:8.1f} s  {total / delivered:9,.0f} msg/s  (console email backend)")
    print(f"  peak RSS {peak_mb:8.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
