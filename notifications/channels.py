"""Delivery channels: email through Django's email backend, SMS through a small backend interface."""

import json
import logging
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import sha256

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel refused or failed; the message is retried later with backoff."""


def message_id_for(dedupe_key: str) -> str:
    # A stable Message-ID: a resend after a crash carries the same id, so mail systems that
    # deduplicate by Message-ID drop the copy.
    digest = sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"


class OutboxEmail(EmailMessage):
    """An email whose multipart boundary is chosen up front, at random: otherwise the standard
    library's generator compiles a new regular expression for every message to check that its
    random boundary is absent from the text (a sixth of the cost of sending a reminder)."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        if message.is_multipart():
            message.set_boundary(f"=_{uuid.uuid4().hex}")
        return message


def email_build(
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    unsubscribe_url: str = "",
    attachments: list[dict] | None = None,
) -> EmailMessage:
    headers = {"Message-ID": message_id_for(dedupe_key)}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = OutboxEmail(subject=subject, body=body, to=[to], headers=headers)
    for attachment in attachments or []:
        email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return email


@contextmanager
def email_connection() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server for a whole batch (SMTP: one login, many messages)."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # SMTP errors come in many classes; all mean "try again later"
        raise DeliveryError(f"{type(error).__name__}: {error}") from error
    try:
        yield connection
    finally:
        try:
            connection.close()
        except Exception as error:  # the messages are out; a failed QUIT changes nothing
            logger.warning("closing the mail connection failed: %s", error)


def email_send(connection: BaseEmailBackend, email: EmailMessage) -> None:
    """Send one message over the batch's connection. One message per call of send_messages,
    so that a refused address fails its own message and not the ones around it."""
    try:
        connection.send_messages([email])
    except Exception as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


class BaseSmsBackend:
    # How many messages one call of send_many carries. A gateway with a batch endpoint raises it
    # and overrides send_many with one request per batch; the outbox records the results of
    # each call before the next, so a worker killed mid-call can repeat only that call.
    batch_size = 1

    def send(self, *, to: str, text: str, reference: str) -> None:
        raise NotImplementedError

    def send_many(self, messages: list[dict]) -> list[Exception | None]:
        """Send each {"to", "text", "reference"}; returns, in order, None or the error of each."""
        outcomes: list[Exception | None] = []
        for message in messages:
            try:
                self.send(**message)
            except Exception as error:  # one refused number must not fail the others
                outcomes.append(error)
            else:
                outcomes.append(None)
        return outcomes


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints the SMS: the embedded default and development."""

    batch_size = 500

    def send(self, *, to: str, text: str, reference: str) -> None:
        print(f"SMS to {to} [{reference}]: {text}", flush=True)  # noqa: T201


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs JSON to an SMS gateway: {"to", "text", "sender", "reference"} with a bearer token.

    The reference is the message's stable key; a gateway that has seen it already answers 409,
    which counts as delivered (so a resend after a crash sends nothing twice). Its protocol has
    one message per request, so batch_size stays 1.
    """

    def send(self, *, to: str, text: str, reference: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise DeliveryError("SMS_GATEWAY_URL is not configured")
        payload = json.dumps({"to": to, "text": text, "sender": settings.SMS_SENDER, "reference": reference}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL comes from our own settings
            settings.SMS_GATEWAY_URL,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT):  # noqa: S310
                return
        except urllib.error.HTTPError as error:
            if error.code == 409:
                logger.info("SMS gateway already has reference %s", reference)
                return
            raise DeliveryError(f"SMS gateway answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"SMS gateway unreachable: {error}") from error


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
