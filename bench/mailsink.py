"""The benchmark's mail server, as an email backend: each message is serialised as SMTP would
send it, then its Message-ID is appended to a journal (BENCH_MAIL_JOURNAL), one line per
message, so that bench/outbox.py can check that every reminder left exactly once. Worker
processes share the journal: a short write with O_APPEND is atomic."""

import os
import time

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class JournalBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        lines = []
        for email in email_messages:
            email.message().as_bytes(linesep="\r\n")
            lines.append(f"{email.extra_headers['Message-ID']} {email.to[0]} {time.time():.6f}\n")
        descriptor = os.open(settings.BENCH_MAIL_JOURNAL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, "".join(lines).encode())
        finally:
            os.close(descriptor)
        return len(email_messages)
