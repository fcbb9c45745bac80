"""The outbox with real Celery processes and Redis: nothing lost, nothing sent twice."""

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Message
from notifications.services import notification_enqueue, notification_enqueue_many
from notifications.tasks import deliver_due_task
from tests.notifications.mailserver import journal
from tests.processes import broker_at, celery, database_url, free_port, needs_redis, redis_server, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_leftover_deliveries():
    """Tasks queued by earlier tests' commits would run beside these tests' own (a threads worker
    runs two at once) and change what is in flight at a kill."""
    if settings.REDIS_URL:
        deliver_due_task.app.control.purge()


class SlowGateway(BaseHTTPRequestHandler):
    """An SMS gateway that takes a few milliseconds per message and remembers every reference."""

    accepted: Counter = Counter()
    repeats: Counter = Counter()
    lock = threading.Lock()

    def do_POST(self):
        reference = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["reference"]
        time.sleep(0.01)
        with SlowGateway.lock:
            if SlowGateway.accepted[reference]:
                SlowGateway.repeats[reference] += 1
                status = 409
            else:
                SlowGateway.accepted[reference] += 1
                status = 202
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    SlowGateway.accepted, SlowGateway.repeats = Counter(), Counter()
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowGateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/send", SlowGateway
    server.shutdown()


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(tmp_path, gateway):
    needs_redis()
    url, received = gateway
    env = {
        "DATABASE_URL": database_url(),
        "SMS_BACKEND": "notifications.channels.HttpGatewaySmsBackend",
        "SMS_GATEWAY_URL": url,
        # The killed worker's claimed rows wait this long before the next worker takes them.
        "NOTIFICATIONS_LEASE_SECONDS": "4",
    }
    total = 300
    with transaction.atomic():
        for n in range(total):
            notification_enqueue(
                kind="notifications.check", language="kk", dedupe_key=f"kill-test:{n}", phone=f"+7701{n:07d}"
            )

    with celery("worker", tmp_path / "worker-1.log", **env) as first:
        wait_for(lambda: sum(received.accepted.values()) >= 40, timeout=60, what="the first deliveries")
        first.kill()  # SIGKILL: no chance to finish or acknowledge anything
        first.wait()
    pending_after_kill = Message.objects.filter(status="pending").count()
    assert 0 < pending_after_kill < total, "the kill must land mid-batch"

    with celery("worker", tmp_path / "worker-2.log", **env):
        deliver_due_task.delay()  # what beat does every minute
        wait_for(
            lambda: not Message.objects.filter(status="pending").exists(), timeout=120, what="the rest of the batch"
        )

    assert Message.objects.filter(status="sent").count() == total
    assert len(received.accepted) == total
    assert set(received.accepted.values()) == {1}
    # At most the one message in flight at the kill reaches the gateway again, which answers
    # 409 for a reference it already has: the phone gets one SMS.
    assert sum(received.repeats.values()) <= 1


@pytest.fixture
def private_broker():
    """This process's Celery on a private Redis the test may stop and start."""
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with broker_at(url):
        yield port, url


def test_with_redis_down_the_write_succeeds_and_delivery_resumes_when_it_returns(tmp_path, private_broker):
    needs_redis()
    port, url = private_broker
    with redis_server(port):
        pass  # started and stopped: the broker is now down

    with transaction.atomic():
        message = notification_enqueue(
            kind="notifications.check", language="ru", dedupe_key="redis-down", email="aigul@example.kz"
        )
    message.refresh_from_db()
    assert message.status == "pending"

    env = {"DATABASE_URL": database_url(), "CELERY_BROKER_URL": url, "NOTIFICATIONS_DELIVER_SECONDS": "1"}
    with (
        redis_server(port),
        celery("worker", tmp_path / "worker.log", **env),
        celery("beat", tmp_path / "beat.log", **env),
    ):
        wait_for(lambda: Message.objects.get(pk=message.pk).status == "sent", timeout=90, what="delivery after Redis")
    assert "To: aigul@example.kz" in (tmp_path / "worker.log").read_text()  # the console email backend


def reminders(count: int) -> list[dict]:
    return [
        {
            "kind": "notifications.check",
            "language": "kk" if n % 2 else "ru",
            "dedupe_key": f"reminder:{n}",
            "email": f"resident{n}@example.kz",
        }
        for n in range(count)
    ]


def mail_worker_env(tmp_path, **extra) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "MAIL_JOURNAL": str(tmp_path / "mail.journal"),
        **extra,
    }


def senders(accepted) -> Counter:
    return Counter(pid for _message_id, _address, pid in accepted)


def test_two_workers_drain_one_outbox_and_send_each_message_once(tmp_path):
    needs_redis()
    total = 600
    env = mail_worker_env(
        tmp_path,
        DATABASE_URL=database_url(),
        MAIL_DELAY="0.002",
        NOTIFICATIONS_BATCH_SIZE="20",
        NOTIFICATIONS_BATCH_LIMIT="100",  # short runs that hand over to each other
    )
    with (
        celery("worker", tmp_path / "worker-1.log", **env),
        celery("worker", tmp_path / "worker-2.log", **env),
    ):
        for log in ("worker-1.log", "worker-2.log"):
            wait_for(lambda log=log: "ready." in (tmp_path / log).read_text(), timeout=60, what=f"{log} ready")
        with transaction.atomic():
            notification_enqueue_many(messages=reminders(total))  # kicks one delivery on commit
        deliver_due_task.delay()  # and beat another
        wait_for(lambda: not Message.objects.filter(status="pending").exists(), timeout=120, what="the outbox drained")

    opened, accepted = journal(tmp_path / "mail.journal")
    assert len(accepted) == total
    assert len({message_id for message_id, _address, _pid in accepted}) == total
    assert len(senders(accepted)) == 2, "both workers must have sent batches"
    assert len(opened) <= total // 20 + 4  # one mail connection per batch of 20 (a last partial batch each)
    assert Message.objects.filter(status="sent", attempts=1).count() == total


def test_a_worker_killed_mid_batch_of_email_repeats_at_most_that_batch(tmp_path):
    needs_redis()
    total, batch = 300, 50
    env = mail_worker_env(
        tmp_path,
        DATABASE_URL=database_url(),
        MAIL_DELAY="0.01",
        NOTIFICATIONS_BATCH_SIZE=str(batch),
        NOTIFICATIONS_LEASE_SECONDS="4",
    )
    with transaction.atomic():
        notification_enqueue_many(messages=reminders(total))
    with celery("worker", tmp_path / "worker-1.log", **env) as first:
        # Into the second batch: the first is recorded, the second half sent and unrecorded.
        wait_for(lambda: len(journal(tmp_path / "mail.journal")[1]) >= batch + batch // 2, timeout=60, what="sends")
        first.kill()  # SIGKILL: no chance to record the batch in flight
        first.wait()
    killed_pid = str(first.pid)
    held = Message.objects.filter(status="pending", claimed_until__gt=timezone.now())
    assert 0 < held.count() <= batch, "the killed worker's batch stays claimed until its lease runs out"
    assert 0 < Message.objects.filter(status="pending").count() < total

    with celery("worker", tmp_path / "worker-2.log", **env):
        deliver_due_task.delay()  # what beat does every minute
        wait_for(lambda: not Message.objects.filter(status="pending").exists(), timeout=120, what="the rest")

    _opened, accepted = journal(tmp_path / "mail.journal")
    by_id = Counter(message_id for message_id, _address, _pid in accepted)
    assert len(by_id) == total  # nothing lost
    repeated = {message_id for message_id, count in by_id.items() if count > 1}
    assert set(by_id.values()) <= {1, 2}
    # Only messages of the batch in flight went out twice: first from the killed worker, with
    # the same Message-ID both times (a mail server that deduplicates drops the copy).
    assert len(repeated) < batch
    first_senders = {message_id: pid for message_id, _address, pid in reversed(accepted)}
    assert {first_senders[message_id] for message_id in repeated} <= {killed_pid}
    assert Message.objects.filter(status="sent").count() == total


def test_two_workers_drain_an_sqlite_outbox_on_the_embedded_broker(tmp_path):
    """The embedded default: an SQLite file, kombu's filesystem broker, two worker processes."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite run covers the embedded default; this run covers PostgreSQL and Redis")
    total = 400
    database = tmp_path / "outbox.sqlite3"
    env = {
        **os.environ,
        **mail_worker_env(
            tmp_path,
            DATABASE_URL=f"sqlite:///{database}",
            VAR_DIR=str(tmp_path / "var"),
            REDIS_URL="",
            CELERY_BROKER_URL="filesystem://",
            MAIL_DELAY="0.002",
            NOTIFICATIONS_BATCH_SIZE="20",
            NOTIFICATIONS_BATCH_LIMIT="100",
        ),
    }
    run = {"cwd": settings.BASE_DIR, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run)
    enqueue = (
        "from django.db import transaction; from notifications.services import notification_enqueue_many; "
        f"from tests.notifications.test_worker import reminders\nwith transaction.atomic(): "
        f"notification_enqueue_many(messages=reminders({total}))"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", enqueue], **run)  # queues a delivery task

    def pending() -> int:
        with sqlite3.connect(database, timeout=20) as db:
            return db.execute("SELECT count(*) FROM notifications_message WHERE status = 'pending'").fetchone()[0]

    assert pending() == total
    with (
        celery("worker", tmp_path / "worker-1.log", **env),
        celery("worker", tmp_path / "worker-2.log", **env),
    ):
        wait_for(lambda: pending() == 0, timeout=180, what="the SQLite outbox drained", interval=0.5)

    _opened, accepted = journal(tmp_path / "mail.journal")
    assert len(accepted) == total
    assert len({message_id for message_id, _address, _pid in accepted}) == total
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM notifications_message WHERE status = 'sent'").fetchone()[0] == total
