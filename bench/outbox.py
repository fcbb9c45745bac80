"""Benchmark: 100,000 meeting reminders through the outbox, delivered by two Celery workers.

    .venv/bin/python bench/outbox.py [N]            # PostgreSQL + Redis, then SQLite
    .venv/bin/python bench/outbox.py --json [N]     # the same, figures as JSON on the last line

For each database: enqueue N reminders as the reminder job does (one bulk call per meeting's
500 registrants, each with its calendar attachment and unsubscribe link), start two worker
processes (`celery worker --pool=solo`, so two processes on two cores) and wait until the outbox
holds nothing pending. The mail server is bench/mailsink.py: it serialises each message as SMTP
would and journals its Message-ID and the time, so the run checks that every reminder went out
exactly once and times the delivery from the first message handed over to the last (the
workers' start-up is reported apart). Also the peak memory (VmHWM) of each worker.

PostgreSQL: BENCH_OUTBOX_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/kezdesu_outbox,
created when missing, its outbox emptied) with the broker on BENCH_REDIS_URL (default
redis://127.0.0.1:6379/12). SQLite: a file under var/bench/ with kombu's filesystem broker,
the embedded default. BENCH_OUTBOX_DATABASES=postgresql or sqlite runs one of them.
"""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
POSTGRES_URL = os.environ.get("BENCH_OUTBOX_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kezdesu_outbox")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
WORKERS = 2
PER_MEETING = 500

CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kezdesu//kezdesu.kz//\r\nBEGIN:VTIMEZONE\r\n"
    "TZID:Asia/Almaty\r\nBEGIN:STANDARD\r\nDTSTART:20240301T000000\r\nTZOFFSETFROM:+0600\r\n"
    "TZOFFSETTO:+0500\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:meeting-{n}@kezdesu.kz\r\n"
    "SEQUENCE:0\r\nDTSTAMP:20261120T090000Z\r\nDTSTART;TZID=Asia/Almaty:20261201T180000\r\n"
    "DTEND;TZID=Asia/Almaty:20261201T200000\r\nSUMMARY:Аудан әкімінің тұрғындармен кездесуі {n}\r\n"
    "DESCRIPTION:https://kezdesu.kz/kk/meetings/{n}/\r\nURL:https://kezdesu.kz/kk/meetings/{n}/\r\n"
    "LOCATION:№ 12 мектеп\\, Абай даңғылы 10\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def environment(vendor: str) -> dict[str, str]:
    common = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_MAIL_JOURNAL": str(VAR / f"outbox-{vendor}.journal"),
        "DEBUG": "false",  # no per-query debug log in the measurement
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x1y2z3" * 10),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if vendor == "postgresql":
        return {**common, "DATABASE_URL": POSTGRES_URL, "REDIS_URL": "", "CELERY_BROKER_URL": REDIS_URL}
    return {
        **common,
        "DATABASE_URL": f"sqlite:///{VAR / 'outbox.sqlite3'}",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "filesystem://",
        "VAR_DIR": str(VAR / "outbox-sqlite"),
    }


def create_postgres_database() -> None:
    import psycopg2
    from psycopg2 import sql

    name = POSTGRES_URL.rsplit("/", 1)[1]
    admin = psycopg2.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def enqueue(total: int) -> None:
    """In a child process set up for one database: empty the outbox, queue `total` reminders."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from notifications.models import Message
    from notifications.services import notification_enqueue_many

    call_command("migrate", verbosity=0)
    Message.objects.all().delete()
    started = time.perf_counter()
    for start in range(0, total, PER_MEETING):
        meeting = start // PER_MEETING
        with transaction.atomic():  # each commit kicks one delivery task, as the reminder job's do
            notification_enqueue_many(
                messages=[
                    {
                        "kind": "meetings.reminder",
                        "language": "kk" if n % 2 else "ru",
                        "dedupe_key": f"meetings:{meeting}:seq0:reminder:24h:{n}",
                        "email": f"resident{n}@example.kz",
                        "context": {
                            "name": f"Тұрғын {n}",
                            "title": f"Аудан әкімінің тұрғындармен кездесуі {meeting}",
                            "when": "1 желтоқсан 2026 ж. 18:00",
                            "where": "№ 12 мектеп, Абай даңғылы 10",
                            "meeting_url": f"https://kezdesu.kz/kk/meetings/{meeting}/",
                            "ics_url": f"https://kezdesu.kz/kk/meetings/{meeting}.ics",
                            "manage_url": f"https://kezdesu.kz/kk/meetings/registration/{n:x}.{meeting:x}:bench/",
                            "livestream_url": "",
                            "status": "registered",
                            "label": "24h",
                            "attachments": [
                                {
                                    "filename": "kezdesu-meeting.ics",
                                    "content": CALENDAR.format(n=meeting),
                                    "mimetype": "text/calendar",
                                }
                            ],
                        },
                    }
                    for n in range(start, min(start + PER_MEETING, total))
                ]
            )
    print(json.dumps({"enqueue_seconds": time.perf_counter() - started}))


def peak_memory_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def pending_counter(vendor: str, env: dict):
    if vendor == "sqlite":
        path = env["DATABASE_URL"].removeprefix("sqlite:///")

        def pending() -> int:
            with sqlite3.connect(path, timeout=30) as db:
                return db.execute("SELECT count(*) FROM notifications_message WHERE status = 'pending'").fetchone()[0]

        return pending
    import psycopg2

    db = psycopg2.connect(env["DATABASE_URL"])
    db.autocommit = True

    def pending() -> int:
        with db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM notifications_message WHERE status = 'pending'")
            return cursor.fetchone()[0]

    return pending


def sent_count(vendor: str, env: dict) -> int:
    query = "SELECT count(*) FROM notifications_message WHERE status = 'sent'"
    if vendor == "sqlite":
        with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
            return db.execute(query).fetchone()[0]
    import psycopg2

    with psycopg2.connect(env["DATABASE_URL"]) as db, db.cursor() as cursor:
        cursor.execute(query)
        return cursor.fetchone()[0]


def measure(vendor: str, total: int) -> dict:
    env = {**os.environ, **environment(vendor)}
    journal = Path(env["BENCH_MAIL_JOURNAL"])
    journal.unlink(missing_ok=True)
    if vendor == "postgresql":
        create_postgres_database()
    else:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
        subprocess.run(["rm", "-rf", env["VAR_DIR"]], check=True)
    command = [sys.executable, __file__, "--enqueue", str(total)]
    enqueued = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    enqueue_seconds = json.loads(enqueued.stdout.strip().splitlines()[-1])["enqueue_seconds"]
    pending = pending_counter(vendor, env)
    assert pending() == total, "the outbox must hold exactly the reminders just queued"

    logs = [(VAR / f"outbox-{vendor}-worker-{n}.log").open("w") for n in range(WORKERS)]
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    started = time.perf_counter()
    workers = [
        subprocess.Popen([*command, f"--hostname=bench{n}@%h"], env=env, cwd=ROOT, stdout=log, stderr=log)
        for n, log in enumerate(logs)
    ]
    try:
        while (left := pending()) > 0:
            if any(worker.poll() is not None for worker in workers):
                raise RuntimeError(f"a worker exited; see {VAR}/outbox-{vendor}-worker-*.log")
            if time.perf_counter() - started > 1800:
                raise RuntimeError(f"{left} messages still pending after 30 minutes")
            time.sleep(0.2)
        drained = time.perf_counter() - started
        memory = [peak_memory_mb(worker.pid) for worker in workers]
        cpu = sum(cpu_seconds(worker.pid) for worker in workers)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        for log in logs:
            log.close()
    lines = [line.split() for line in journal.read_text().splitlines()]
    ids = {message_id for message_id, _address, _at in lines}
    moments = sorted(float(at) for _id, _address, at in lines)
    # From the first message handed over to the last, plus one message's share of the time.
    seconds = (moments[-1] - moments[0]) * len(moments) / max(len(moments) - 1, 1)
    return {
        "database": vendor,
        "messages": total,
        "workers": WORKERS,
        "enqueue_seconds": round(enqueue_seconds, 1),
        "deliver_seconds": round(seconds, 1),
        "per_second": round(total / seconds),
        "start_up_seconds": round(drained - seconds, 1),
        "handed_to_mail_server": len(lines),
        "distinct": len(ids),
        "sent_rows": sent_count(vendor, env),
        "exactly_once": len(lines) == len(ids) == total,
        "worker_peak_mb": [round(mb) for mb in memory],
        # The workers' own CPU time per message (start-up included): what two free cores could do.
        "worker_cpu_ms_per_message": round(cpu * 1000 / total, 2),
    }


def main(total: int, *, as_json: bool) -> list[dict]:
    VAR.mkdir(parents=True, exist_ok=True)
    if total <= 0:
        print("outbox benchmark skipped (BENCH_OUTBOX_MESSAGES=0)")
        return []
    vendors = os.environ.get("BENCH_OUTBOX_DATABASES", "postgresql,sqlite").split(",")
    results = []
    for vendor in vendors:
        result = measure(vendor, total)
        results.append(result)
        print(
            f"outbox on {vendor}: {total:,} reminders, {WORKERS} workers: enqueued in {result['enqueue_seconds']} s, "
            f"delivered in {result['deliver_seconds']} s ({result['per_second']:,} messages/s; the workers' start-up "
            f"{result['start_up_seconds']} s more); "
            f"{result['handed_to_mail_server']:,} handed to the mail server, {result['distinct']:,} distinct "
            f"({'exactly once' if result['exactly_once'] else 'NOT exactly once'}); "
            f"worker peak {', '.join(f'{mb} MB' for mb in result['worker_peak_mb'])}; "
            f"{result['worker_cpu_ms_per_message']} ms of worker CPU per message",
            flush=True,
        )
    # run.py reports these when it is told not to run the outbox itself (BENCH_OUTBOX_MESSAGES=0).
    (VAR / "outbox.json").write_text(json.dumps(results))
    if as_json:
        print(json.dumps(results))
    return results


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    count = int(arguments[0]) if arguments else int(os.environ.get("BENCH_OUTBOX_MESSAGES", "100000"))
    if "--enqueue" in sys.argv:
        sys.path.insert(0, str(ROOT))
        enqueue(count)
    else:
        main(count, as_json="--json" in sys.argv)
