"""The outbox: apps enqueue inside their own transaction; delivery happens in a Celery task."""

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F
from django.template.backends.django import Template
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from notifications import channels, kinds
from notifications.models import Message, Preference, Unsubscription
from notifications.selectors import messages_claimable

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def _kick_delivery() -> None:
    """Ask a worker to deliver now. If the broker is down the message simply waits in the
    outbox for the next beat run: the request that wrote it must not fail."""
    from notifications.tasks import deliver_due_task

    try:
        deliver_due_task.apply_async(retry=False)
    except Exception as error:  # the broker's connection errors have many classes
        logger.warning("broker unavailable, the outbox will be delivered later: %s", error)


def _opted_out(*, user, kind: str, channel: str, address: str) -> bool:
    if Unsubscription.objects.filter(address=address, kind=kind).exists():
        return True
    if user is not None:
        preference = Preference.objects.filter(user=user, kind=kind).first()
        if preference is not None and not getattr(preference, channel):
            return True
    return False


def notification_enqueue(
    *,
    kind: str,
    language: str,
    dedupe_key: str,
    context: dict | None = None,
    email: str = "",
    phone: str = "",
    user=None,
    due_at: datetime | None = None,
) -> Message:
    """Put one message in the outbox, once. Call it inside the caller's transaction.

    The channel follows the address given (email first). A second call with the same dedupe
    key returns the first message and changes nothing.
    """
    registered = kinds.get(kind)
    essential = bool(registered and registered.essential)
    channel = Message.Channel.EMAIL if email else Message.Channel.SMS
    address = email or phone
    if not address:
        raise ValueError("a message needs an email or a phone")
    status, note = Message.Status.PENDING, ""
    if not essential and _opted_out(user=user, kind=kind, channel=channel, address=address):
        status, note = Message.Status.CANCELLED, "opted out"
    message, created = Message.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "kind": kind,
            "language": language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
            "context": context or {},
            "channel": channel,
            "email": email if channel == Message.Channel.EMAIL else "",
            "phone": phone if channel == Message.Channel.SMS else "",
            "user": user,
            "essential": essential,
            "due_at": due_at or timezone.now(),
            "status": status,
            "last_error": note,
        },
    )
    if created and status == Message.Status.PENDING and message.due_at <= timezone.now():
        _kick_on_commit()
    return message


def notification_enqueue_many(*, messages: list[dict]) -> int:
    """Enqueue many messages at once (a reminder to every registrant); returns how many were new
    to this call (a concurrent call may insert some of the same keys first: the unique key keeps
    one row, and both calls count it).

    Each dict holds notification_enqueue's arguments. Same guarantees: a dedupe key already in
    the outbox is skipped, opted-out addresses get a cancelled row, essential kinds ignore
    opt-outs. Two queries and one bulk insert per thousand messages.
    """
    if not messages:
        return 0
    now = timezone.now()
    addresses = {m.get("email") or m.get("phone") for m in messages}
    opted_out = set(
        Unsubscription.objects.filter(address__in=addresses, kind__in={m["kind"] for m in messages}).values_list(
            "address", "kind"
        )
    )
    # Account holders' per-kind channel choices, as notification_enqueue reads them one by one.
    users = {getattr(m.get("user"), "pk", m.get("user")) for m in messages} - {None}
    channels_off = {
        (user_id, kind, channel)
        for user_id, kind, by_email, by_sms in Preference.objects.filter(
            user__in=users, kind__in={m["kind"] for m in messages}
        ).values_list("user_id", "kind", "email", "sms")
        for channel, on in ((Message.Channel.EMAIL, by_email), (Message.Channel.SMS, by_sms))
        if not on
    }
    keys = [m["dedupe_key"] for m in messages]
    existing = set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    rows, due_now = [], False
    for m in messages:
        if m["dedupe_key"] in existing:
            continue
        existing.add(m["dedupe_key"])
        registered = kinds.get(m["kind"])
        essential = bool(registered and registered.essential)
        email, phone = m.get("email", ""), m.get("phone", "")
        address = email or phone
        channel = Message.Channel.EMAIL if email else Message.Channel.SMS
        user_id = getattr(m.get("user"), "pk", m.get("user"))
        cancelled = not essential and (
            (address, m["kind"]) in opted_out or (user_id, m["kind"], channel) in channels_off
        )
        due_at = m.get("due_at") or now
        due_now |= not cancelled and due_at <= now
        rows.append(
            Message(
                kind=m["kind"],
                language=m["language"] if m["language"] in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
                context=m.get("context") or {},
                channel=channel,
                email=email,
                phone="" if email else phone,
                user=m.get("user"),
                essential=essential,
                dedupe_key=m["dedupe_key"],
                due_at=due_at,
                status=Message.Status.CANCELLED if cancelled else Message.Status.PENDING,
                last_error="opted out" if cancelled else "",
            )
        )
    # ignore_conflicts: a concurrent run that inserted the same key first wins, silently.
    Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if due_now:
        _kick_on_commit()
    return len(rows)


def _kick_on_commit() -> None:
    # One kick per transaction is enough, however many messages it wrote.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _kick_delivery for _sids, callback, _robust in pending):
        transaction.on_commit(_kick_delivery, robust=True)


@transaction.atomic
def notification_cancel(*, dedupe_key_prefix: str) -> int:
    """Cancel pending messages whose key starts with a prefix (e.g. a cancelled meeting's reminders)."""
    return Message.objects.filter(status=Message.Status.PENDING, dedupe_key__startswith=dedupe_key_prefix).update(
        status=Message.Status.CANCELLED, last_error="cancelled by the sender"
    )


def unsubscribe_token(*, address: str, kind: str) -> str:
    return signing.dumps({"a": address, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, address: str, kind: str, language: str) -> str:
    with translation.override(language):
        path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(address=address, kind=kind)})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def unsubscribe(*, token: str) -> Unsubscription:
    """Record the opt-out a signed link carries; raises signing.BadSignature on a forged link."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    unsubscription, _created = Unsubscription.objects.get_or_create(address=data["a"], kind=data["k"])
    Message.objects.filter(status=Message.Status.PENDING, kind=data["k"], essential=False, email=data["a"]).update(
        status=Message.Status.CANCELLED, last_error="opted out"
    )
    Message.objects.filter(status=Message.Status.PENDING, kind=data["k"], essential=False, phone=data["a"]).update(
        status=Message.Status.CANCELLED, last_error="opted out"
    )
    return unsubscription


@transaction.atomic
def preference_set(*, user, kind: str, email: bool, sms: bool) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email, "sms": sms}
    )
    return preference


class _BatchRenderer:
    """Renders the messages of a batch, inside translation.override of their language: each
    template is looked up once, and the unsubscribe link's path is reversed once per language
    (only the signed token differs from one message to the next)."""

    _PLACEHOLDER = "__token__"

    def __init__(self) -> None:
        self._templates: dict[str, Template] = {}
        self._unsubscribe_paths: dict[str, str] = {}

    def _render(self, name: str, context: dict) -> str:
        if name not in self._templates:
            self._templates[name] = get_template(name)
        return self._templates[name].render(context)

    def _unsubscribe_url(self, message: Message) -> str:
        language = translation.get_language()
        if language not in self._unsubscribe_paths:
            path = reverse("notifications:unsubscribe", kwargs={"token": self._PLACEHOLDER})
            self._unsubscribe_paths[language] = path
        token = unsubscribe_token(address=message.address, kind=message.kind)
        return f"{settings.SITE_URL}{self._unsubscribe_paths[language].replace(self._PLACEHOLDER, token)}"

    def render(self, message: Message) -> dict:
        context = {**message.context, "site_url": settings.SITE_URL}
        if not message.essential:
            context["unsubscribe_url"] = self._unsubscribe_url(message)
        base = f"notifications/{message.kind}"
        if message.channel == Message.Channel.EMAIL:
            return {
                "subject": " ".join(self._render(f"{base}/subject.txt", context).split()),
                "body": self._render(f"{base}/body.txt", context),
                "unsubscribe_url": context.get("unsubscribe_url", ""),
            }
        return {"text": " ".join(self._render(f"{base}/sms.txt", context).split())}


def _backoff(attempts: int) -> timedelta:
    minutes = settings.NOTIFICATIONS_BACKOFF_MINUTES
    return timedelta(minutes=minutes[min(attempts, len(minutes)) - 1])


def _scrubbed(message: Message) -> dict:
    """{"context": …} without the kind's secret keys (a one-time code) once the message needs
    them no more; {} for the kinds that have none."""
    registered = kinds.get(message.kind)
    if registered is None or not registered.secret:
        return {}
    return {"context": {key: "" if key in registered.secret else value for key, value in message.context.items()}}


def message_render(message: Message) -> dict:
    """One message as the outbox would send it, in its own language: {"subject", "body",
    "unsubscribe_url"} for email, {"text"} for SMS. For previews and tests."""
    with translation.override(message.language):
        return _BatchRenderer().render(message)


@contextmanager
def _short_transaction() -> Iterator[None]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Don't wait for the WAL flush of a claim or of a batch's results: a worker crash
            # still loses and doubles nothing; only a crash of PostgreSQL itself within a
            # fraction of a second could forget a "sent" mark and send those messages again.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        yield


def _claim(*, now: datetime, size: int) -> list[Message]:
    """Take up to `size` due messages for this worker: stamp a claim token and a lease on them.

    The rows are read FOR UPDATE SKIP LOCKED on PostgreSQL, so a concurrent claim takes other
    rows instead of waiting; SQLite's transactions start IMMEDIATE and run one at a time. Either
    way a claimed row carries a lease that no other claim takes until it expires. Claiming is
    an attempt: a message whose worker died counts that try against NOTIFICATIONS_MAX_ATTEMPTS.
    """
    token = uuid.uuid4().hex
    clock = timezone.now()
    leased_until = clock + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    with _short_transaction():
        messages = list(
            messages_claimable(now=now, leased_before=clock)
            .select_for_update(skip_locked=True)
            .order_by("due_at", "pk")[:size]
        )
        Message.objects.filter(pk__in=[message.pk for message in messages]).update(
            claim_token=token, claimed_until=leased_until, attempts=F("attempts") + 1
        )
    for message in messages:
        message.claim_token, message.claimed_until, message.attempts = token, leased_until, message.attempts + 1
    return messages


def _fail_abandoned(*, now: datetime) -> int:
    """A message whose worker died during its last allowed attempt (its lease ran out) fails."""
    return (
        messages_claimable(now=now, leased_before=timezone.now())
        .filter(claimed_until__isnull=False, attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS)
        .update(status=Message.Status.FAILED, claim_token="", claimed_until=None, last_error="the worker stopped")
    )


def _record(*, sent: list[Message], failed: list[tuple[Message, Exception]], now: datetime) -> None:
    """Write the outcome of one channel call back to the outbox: one UPDATE for the sent ones."""
    for message, error in failed:
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.claim_token, message.claimed_until = "", None
        if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            message.status = Message.Status.FAILED
            message.context = _scrubbed(message).get("context", message.context)
            logger.error("giving up on message %s after %s attempts: %s", message.pk, message.attempts, error)
        else:
            message.due_at = now + _backoff(message.attempts)
    with _short_transaction():
        if sent:
            # The token guards against a worker that overran its lease writing over a newer claim.
            Message.objects.filter(pk__in=[message.pk for message in sent], claim_token=sent[0].claim_token).update(
                status=Message.Status.SENT, sent_at=timezone.now(), last_error="", claim_token="", claimed_until=None
            )
            for message in sent:  # a one-time code leaves the outbox with its message (rare kinds)
                if scrubbed := _scrubbed(message):
                    Message.objects.filter(pk=message.pk).update(**scrubbed)
        if failed:
            Message.objects.bulk_update(
                [message for message, _error in failed],
                ["status", "due_at", "last_error", "claim_token", "claimed_until", "context"],
            )


def _release(messages: list[Message]) -> None:
    """Give back claimed messages this worker did not try (its lease is running out)."""
    if messages:
        Message.objects.filter(pk__in=[message.pk for message in messages], claim_token=messages[0].claim_token).update(
            claim_token="", claimed_until=None, attempts=F("attempts") - 1
        )


def _deliver_batch(messages: list[Message], *, now: datetime) -> int:
    """Render and send one claimed batch; the results of each channel call are written before
    the next call. Email: one connection for the batch, and one write of results at its end.
    SMS: one write per call of the backend's send_many (the HTTP gateway: per message)."""
    # Past half the lease, stop and give the rest back: no other worker may take a row while
    # this one could still be sending it.
    deadline = time.monotonic() + settings.NOTIFICATIONS_LEASE_SECONDS / 2
    emails, texts, failed = [], [], []
    renderer = _BatchRenderer()
    by_language = groupby(sorted(messages, key=lambda message: message.language), key=lambda m: m.language)
    for language, group in by_language:
        with translation.override(language):
            for message in group:
                try:
                    rendered = renderer.render(message)
                except Exception as error:  # a template bug must not stop the rest of the outbox
                    failed.append((message, error))
                    continue
                if message.channel == Message.Channel.EMAIL:
                    email = channels.email_build(
                        to=message.email,
                        subject=rendered["subject"],
                        body=rendered["body"],
                        dedupe_key=message.dedupe_key,
                        unsubscribe_url=rendered["unsubscribe_url"],
                        attachments=message.context.get("attachments"),
                    )
                    emails.append((message, email))
                else:
                    text = {"to": message.phone, "text": rendered["text"], "reference": message.dedupe_key}
                    texts.append((message, text))
    sent: list[Message] = []
    if emails:
        try:
            with channels.email_connection() as mail_connection:
                for position, (message, email) in enumerate(emails):
                    if time.monotonic() > deadline:
                        _release([message for message, _email in emails[position:]])
                        break
                    try:
                        channels.email_send(mail_connection, email)
                    except channels.DeliveryError as error:
                        failed.append((message, error))
                    else:
                        sent.append(message)
        except channels.DeliveryError as error:  # no connection: every email of the batch waits
            failed += [(message, error) for message, _email in emails if message not in sent]
    _record(sent=sent, failed=failed, now=now)
    total = len(sent)
    if texts:
        backend = channels.sms_backend()
        for start in range(0, len(texts), backend.batch_size):
            if time.monotonic() > deadline:
                _release([message for message, _text in texts[start:]])
                break
            chunk = texts[start : start + backend.batch_size]
            outcomes = backend.send_many([text for _message, text in chunk])
            sent = [message for (message, _text), error in zip(chunk, outcomes, strict=True) if error is None]
            _record(
                sent=sent,
                failed=[(message, error) for (message, _text), error in zip(chunk, outcomes, strict=True) if error],
                now=now,
            )
            total += len(sent)
    return total


def notifications_deliver_due(*, now: datetime | None = None, limit: int | None = None) -> int:
    """Deliver pending messages that are due, batch by batch; returns how many were sent.

    Each batch is claimed with a lease (see _claim), so any number of workers drain the outbox
    together and never take the same message. A worker killed mid-batch leaves its claimed rows
    to the others once the lease (NOTIFICATIONS_LEASE_SECONDS) runs out: its unsent messages go
    out then, once; the messages of the channel call in flight at the kill, already handed to
    the channel but not yet recorded, go out again with the same Message-ID or gateway
    reference (one SMS with the HTTP gateway, which answers 409 to it; up to a batch of email).
    """
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATIONS_BATCH_LIMIT
    _fail_abandoned(now=now)
    sent = handled = 0
    while handled < limit:
        messages = _claim(now=now, size=min(settings.NOTIFICATIONS_BATCH_SIZE, limit - handled))
        if not messages:
            break
        sent += _deliver_batch(messages, now=now)
        handled += len(messages)
    return sent


@transaction.atomic
def notification_retry(*, message: Message) -> Message:
    """Give a failed message another round of attempts (staff action)."""
    if message.status != Message.Status.FAILED:
        return message
    message.status, message.attempts, message.due_at = Message.Status.PENDING, 0, timezone.now()
    message.save(update_fields=["status", "attempts", "due_at"])
    _kick_on_commit()
    return message


def messages_delete_expired(*, now: datetime) -> int:
    """Delete delivered, failed and cancelled messages older than the retention period: they
    hold addresses and names. Pending messages are never deleted."""
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    deleted, _by_model = Message.objects.filter(created_at__lt=cutoff).exclude(status=Message.Status.PENDING).delete()
    return deleted
