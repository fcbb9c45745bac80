"""The outbox with real Celery processes and Redis: nothing lost, nothing sent twice."""

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from notifications.models import Message
from notifications.services import notification_enqueue
from notifications.tasks import deliver_due_task
from tests.processes import broker_at, celery, database_url, free_port, needs_redis, redis_server, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


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
