import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.models import Message, Unsubscription
from notifications.services import (
    notification_cancel,
    notification_enqueue,
    notification_enqueue_many,
    notification_retry,
    notifications_deliver_due,
    unsubscribe,
    unsubscribe_token,
)
from tests.notifications.mailserver import journal


def enqueue(key="k1", **overrides):
    fields = {
        "kind": "tests.hello",
        "language": "ru",
        "dedupe_key": key,
        "context": {"title": "Отчёт акима"},
        "email": "aigul@example.kz",
    }
    return notification_enqueue(**{**fields, **overrides})


def test_the_same_dedupe_key_enqueues_once(db):
    first = enqueue()
    second = enqueue(context={"title": "другое"})
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert Message.objects.get().context == {"title": "Отчёт акима"}


def test_delivery_renders_in_the_recipients_language_and_sends_once(db):
    enqueue(language="ru")
    enqueue(key="k2", language="kk", email="askar@example.kz")
    assert notifications_deliver_due() == 2
    assert notifications_deliver_due() == 0
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["aigul@example.kz"].subject == "Встречи: Отчёт акима"
    assert by_address["askar@example.kz"].subject == "Кездесулер: Отчёт акима"
    assert Message.objects.filter(status="sent", attempts=1).count() == 2


def test_a_message_carries_a_working_unsubscribe_link_and_a_stable_message_id(db, client):
    enqueue()
    notifications_deliver_due()
    email = mail.outbox[0]
    assert email.extra_headers["Message-ID"].startswith("<") and email.extra_headers["List-Unsubscribe"]
    link = next(line for line in email.body.splitlines() if "/unsubscribe/" in line)
    path = link.split("8000", 1)[1] if "8000" in link else link
    assert client.get(path).status_code == 200
    assert not Unsubscription.objects.exists()  # a GET (a mail scanner) changes nothing
    client.post(path)
    assert Unsubscription.objects.filter(address="aigul@example.kz", kind="tests.hello").exists()


def test_opted_out_addresses_get_nothing_but_essential_messages(db):
    unsubscribe(token=unsubscribe_token(address="aigul@example.kz", kind="tests.hello"))
    unsubscribe(token=unsubscribe_token(address="aigul@example.kz", kind="tests.code"))
    assert enqueue().status == Message.Status.CANCELLED
    assert enqueue(key="code", kind="tests.code").status == Message.Status.PENDING
    notifications_deliver_due()
    assert len(mail.outbox) == 1


def test_a_forged_unsubscribe_link_is_refused(client, db):
    response = client.get("/ru/notifications/unsubscribe/forged-token/")
    assert response.status_code == 400
    assert "недействительна" in response.content.decode()


def test_future_messages_wait_until_due(db):
    enqueue(due_at=timezone.now() + timedelta(hours=2))
    assert notifications_deliver_due() == 0
    assert notifications_deliver_due(now=timezone.now() + timedelta(hours=2, seconds=1)) == 1


def test_cancelling_by_prefix_stops_pending_reminders(db):
    enqueue(key="meeting:7:reminder:24h", due_at=timezone.now() + timedelta(days=1))
    enqueue(key="meeting:7:reminder:2h", due_at=timezone.now() + timedelta(days=1))
    enqueue(key="meeting:8:reminder:24h", due_at=timezone.now() + timedelta(days=1))
    assert notification_cancel(dedupe_key_prefix="meeting:7:") == 2
    assert Message.objects.filter(status="pending").count() == 1


class Gateway(BaseHTTPRequestHandler):
    """A local SMS gateway: remembers references, answers 409 to a repeat, 503 when told to fail."""

    received: list[dict] = []
    fail = False

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if Gateway.fail:
            self.send_response(503)
        elif any(r["reference"] == body["reference"] for r in Gateway.received):
            self.send_response(409)
        else:
            Gateway.received.append({**body, "auth": self.headers["Authorization"]})
            self.send_response(202)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    Gateway.received, Gateway.fail = [], False
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "notifications.channels.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    yield Gateway
    server.shutdown()


def test_sms_goes_through_the_http_gateway_with_token_and_sender(db, gateway):
    enqueue(email="", phone="+77011234567", language="kk")
    assert notifications_deliver_due() == 1
    (sms,) = gateway.received
    assert sms["to"] == "+77011234567"
    assert sms["text"] == "Кездесулер: Отчёт акима"
    assert sms["auth"] == "Bearer secret-token"
    assert sms["sender"] == "Kezdesu"


def test_a_gateway_that_already_has_the_reference_counts_as_delivered(db, gateway):
    message = enqueue(email="", phone="+77011234567")
    gateway.received.append({"reference": message.dedupe_key})
    assert notifications_deliver_due() == 1
    assert Message.objects.get().status == "sent"


def test_failures_back_off_then_give_up_and_staff_can_retry(db, gateway, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    gateway.fail = True
    enqueue(email="", phone="+77011234567")
    now = timezone.now()
    assert notifications_deliver_due(now=now) == 0
    message = Message.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.due_at == now + timedelta(minutes=1)
    assert "503" in message.last_error
    notifications_deliver_due(now=now + timedelta(minutes=2))
    notifications_deliver_due(now=now + timedelta(minutes=30))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)

    gateway.fail = False
    notification_retry(message=message)
    assert notifications_deliver_due() == 1
    assert len(gateway.received) == 1


def test_bulk_enqueue_skips_known_keys_and_honours_opt_outs(db):
    enqueue(key="r:1")
    unsubscribe(token=unsubscribe_token(address="b@example.kz", kind="tests.hello"))
    batch = [
        {"kind": "tests.hello", "language": "kk", "dedupe_key": f"r:{n}", "email": f"{c}@example.kz", "context": {}}
        for n, c in [(1, "a"), (2, "b"), (3, "c"), (3, "c")]
    ]
    assert notification_enqueue_many(messages=batch) == 2
    assert notification_enqueue_many(messages=batch) == 0
    statuses = dict(Message.objects.values_list("dedupe_key", "status"))
    assert statuses == {"r:1": "pending", "r:2": "cancelled", "r:3": "pending"}


def test_bulk_enqueue_honours_each_account_s_channel_choices(db):
    from accounts.models import User
    from notifications.services import preference_set

    quiet, loud = User.objects.create(username="quiet"), User.objects.create(username="loud")
    preference_set(user=quiet, kind="tests.hello", email=False, sms=True)
    batch = [
        {"kind": "tests.hello", "language": "ru", "dedupe_key": "p:1", "email": "q@example.kz", "user": quiet},
        {"kind": "tests.hello", "language": "ru", "dedupe_key": "p:2", "phone": "+77011234567", "user": quiet},
        {"kind": "tests.hello", "language": "ru", "dedupe_key": "p:3", "email": "l@example.kz", "user": loud},
    ]
    notification_enqueue_many(messages=batch)
    # The same answers one by one would give.
    single = [notification_enqueue(**{**m, "dedupe_key": f"s{m['dedupe_key']}"}).status for m in batch]
    statuses = dict(Message.objects.filter(dedupe_key__startswith="p:").values_list("dedupe_key", "status"))
    assert statuses == {"p:1": "cancelled", "p:2": "pending", "p:3": "pending"}
    assert single == ["cancelled", "pending", "pending"]


def test_a_secret_in_the_context_leaves_the_outbox_with_the_message(db, gateway, settings):
    from notifications import kinds

    # The test kind, declared with a secret (conftest removes it afterwards).
    kinds.register("tests.code", "Code", essential=True, secret=("code",))
    enqueue(key="sent", kind="tests.code", context={"title": "123456", "code": "123456"})
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    gateway.fail = True
    enqueue(key="failed", kind="tests.code", email="", phone="+77011234567", context={"code": "654321"})
    notifications_deliver_due()
    # The email went out with its code; the row keeps the rest of its context, not the code.
    assert "123456" in mail.outbox[0].subject
    sent = Message.objects.get(dedupe_key="sent")
    assert (sent.status, sent.context) == ("sent", {"title": "123456", "code": ""})
    failed = Message.objects.get(dedupe_key="failed")
    assert (failed.status, failed.context) == ("failed", {"code": ""})


def test_kinds_without_secrets_keep_their_context(db):
    enqueue(context={"title": "Отчёт акима", "code": "123456"})
    notifications_deliver_due()
    assert Message.objects.get().context == {"title": "Отчёт акима", "code": "123456"}


@pytest.fixture
def mail_server(settings, tmp_path):
    settings.EMAIL_BACKEND = "tests.notifications.mailserver.JournalBackend"
    settings.MAIL_JOURNAL = str(tmp_path / "mail.journal")
    return tmp_path / "mail.journal"


def enqueue_many(count: int, *, prefix: str = "bulk") -> None:
    notification_enqueue_many(
        messages=[
            {
                "kind": "tests.hello",
                "language": "kk",
                "dedupe_key": f"{prefix}:{n}",
                "email": f"resident{n}@example.kz",
                "context": {"title": "Кездесу"},
            }
            for n in range(count)
        ]
    )


def test_each_batch_goes_out_over_one_mail_connection(db, mail_server, settings):
    settings.NOTIFICATIONS_BATCH_SIZE = 10
    enqueue_many(25)
    assert notifications_deliver_due() == 25
    opened, accepted = journal(mail_server)
    assert len(opened) == 3
    assert sorted(address for _id, address, _pid in accepted) == sorted(f"resident{n}@example.kz" for n in range(25))
    assert Message.objects.filter(status="sent", attempts=1, claim_token="", claimed_until=None).count() == 25


def test_an_address_the_mail_server_refuses_fails_only_its_own_message(db, mail_server):
    enqueue(key="first", email="first@example.kz")
    enqueue(key="refused", email="nobody@refused.example")
    enqueue(key="last", email="last@example.kz")
    now = timezone.now()
    assert notifications_deliver_due(now=now) == 2
    refused = Message.objects.get(dedupe_key="refused")
    assert (refused.status, refused.attempts, refused.due_at) == ("pending", 1, now + timedelta(minutes=1))
    assert "SMTPRecipientsRefused" in refused.last_error
    assert set(Message.objects.exclude(pk=refused.pk).values_list("status", flat=True)) == {"sent"}


def test_a_message_held_by_a_worker_that_died_waits_for_the_lease_then_goes_out_once(db, mail_server):
    message = enqueue()
    lease_ends = timezone.now() + timedelta(minutes=5)
    # What a worker killed after its claim leaves behind: a claim whose lease still runs.
    Message.objects.filter(pk=message.pk).update(claim_token="dead-worker", claimed_until=lease_ends, attempts=1)
    assert notifications_deliver_due() == 0
    with time_machine.travel(lease_ends + timedelta(seconds=1)):
        assert notifications_deliver_due() == 1
        assert notifications_deliver_due() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claim_token) == ("sent", 2, "")
    assert len(journal(mail_server)[1]) == 1


def test_a_message_whose_worker_died_in_its_last_attempt_fails_unsent(db, mail_server, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    message = enqueue()
    Message.objects.filter(pk=message.pk).update(
        claim_token="dead-worker", claimed_until=timezone.now() - timedelta(seconds=1), attempts=3
    )
    assert notifications_deliver_due() == 0
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "the worker stopped")
    assert journal(mail_server) == ([], [])


def test_a_run_stops_at_its_limit_and_leaves_the_rest_claimable(db, mail_server, settings):
    from notifications.selectors import messages_due_remain

    settings.NOTIFICATIONS_BATCH_SIZE = 4
    enqueue_many(10)
    assert notifications_deliver_due(limit=6) == 6
    assert messages_due_remain()
    assert notifications_deliver_due() == 4
    assert not messages_due_remain()


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_never_send_the_same_message(mail_server, settings):
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database locks whole tables across threads (shared cache), "
            "unlike a database file: test_worker.py drains a file with two worker processes"
        )
    settings.NOTIFICATIONS_BATCH_SIZE = 7
    settings.MAIL_DELAY = 0.001  # so that the two really interleave
    enqueue_many(300)
    counts, errors = [], []

    def worker():
        try:
            counts.append(notifications_deliver_due())
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sum(counts) == 300
    assert all(counts), "both workers must have taken batches"
    _opened, accepted = journal(mail_server)
    assert len(accepted) == 300
    assert len({message_id for message_id, _address, _pid in accepted}) == 300
    assert Message.objects.filter(status="sent").count() == 300
