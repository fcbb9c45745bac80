"""Settings of the worker processes that the outbox's tests start: the portal's, with the
journaling mail server of tests/notifications/mailserver.py."""

import os

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.notifications.mailserver.JournalBackend"
MAIL_JOURNAL = os.environ["MAIL_JOURNAL"]
MAIL_DELAY = float(os.environ.get("MAIL_DELAY", "0"))
