"""Settings of the benchmark: the portal's own, plus the load-data generator's app and, for
bench/outbox.py, a mail server that journals what it is handed."""

import os

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.loaddata"]  # noqa: F405 - generate_load_data
if os.environ.get("BENCH_MAIL_JOURNAL"):
    EMAIL_BACKEND = "bench.mailsink.JournalBackend"
    BENCH_MAIL_JOURNAL = os.environ["BENCH_MAIL_JOURNAL"]
