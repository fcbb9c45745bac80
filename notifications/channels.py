"""Delivery channels: email through Django's email backend, SMS through a small backend interface."""

import json
import logging
import urllib.error
import urllib.request
from hashlib import sha256

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The channel refused or failed; the message is retried later with backoff."""


def message_id_for(dedupe_key: str) -> str:
    # A stable Message-ID: a resend after a crash carries the same id, so mail systems that
    # deduplicate by Message-ID drop the copy.
    digest = sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"


def send_email(
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    unsubscribe_url: str = "",
    attachments: list[dict] | None = None,
) -> None:
    headers = {"Message-ID": message_id_for(dedupe_key)}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMessage(subject=subject, body=body, to=[to], headers=headers)
    for attachment in attachments or []:
        email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    try:
        email.send(fail_silently=False)
    except Exception as error:  # SMTP errors come in many classes; all mean "try again later"
        raise DeliveryError(f"{type(error).__name__}: {error}") from error


class BaseSmsBackend:
    def send(self, *, to: str, text: str, reference: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Prints the SMS: the embedded default and development."""

    def send(self, *, to: str, text: str, reference: str) -> None:
        print(f"SMS to {to} [{reference}]: {text}", flush=True)  # noqa: T201


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs JSON to an SMS gateway: {"to", "text", "sender", "reference"} with a bearer token.

    The reference is the message's stable key; a gateway that has seen it already answers 409,
    which counts as delivered (so a resend after a crash sends nothing twice).
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


def send_sms(*, to: str, text: str, reference: str) -> None:
    sms_backend().send(to=to, text=text, reference=reference)
