"""A mail server for the outbox's tests, as an email backend: it appends a line to a journal file
for every connection opened and every message accepted, so tests in this process and real
worker processes alike can count what reached "the server". Appends of one short line with
O_APPEND are atomic, so several processes may share the journal."""

import os
import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

REFUSED_DOMAIN = "@refused.example"


def _append(line: str) -> None:
    descriptor = os.open(settings.MAIL_JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, f"{line}\n".encode())
    finally:
        os.close(descriptor)


class JournalBackend(BaseEmailBackend):
    opened = False

    def open(self):
        if self.opened:
            return False
        self.opened = True
        _append(f"OPEN {os.getpid()}")
        return True

    def close(self):
        self.opened = False

    def send_messages(self, email_messages):
        for email in email_messages:
            time.sleep(getattr(settings, "MAIL_DELAY", 0))
            if email.to[0].endswith(REFUSED_DOMAIN):
                raise smtplib.SMTPRecipientsRefused({email.to[0]: (550, b"No such user")})
            _append(f"SENT {email.extra_headers['Message-ID']} {email.to[0]} {os.getpid()}")
        return len(email_messages)


def journal(path: Path) -> tuple[list[str], list[tuple[str, str, str]]]:
    """(the processes that opened a connection, one per connection; the messages accepted:
    Message-ID, address, process)."""
    lines = path.read_text().splitlines() if path.exists() else []
    opened = [line.split()[1] for line in lines if line.startswith("OPEN ")]
    accepted = [tuple(line.split()[1:]) for line in lines if line.startswith("SENT ")]
    return opened, accepted
