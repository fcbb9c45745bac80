"""Settings of the benchmark server: the portal's own, plus one bare page to compare with, and
for bench/outbox.py a mail server that journals what it is handed."""

import os

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.loaddata"]  # noqa: F405 - generate_load_data
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
if os.environ.get("BENCH_MAIL_JOURNAL"):
    EMAIL_BACKEND = "bench.mailsink.JournalBackend"
    BENCH_MAIL_JOURNAL = os.environ["BENCH_MAIL_JOURNAL"]
