"""A real Celery worker, on whichever broker the settings name (filesystem or Redis)."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache

from core.tasks import HEARTBEAT_CACHE_KEY, heartbeat_task

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(tmp_path):
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO"],
            cwd=settings.BASE_DIR,
            env={**os.environ},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield log
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_the_heartbeat_runs_on_a_real_worker_and_is_logged(worker):
    assert cache.get(HEARTBEAT_CACHE_KEY) is None
    heartbeat_task.delay()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and cache.get(HEARTBEAT_CACHE_KEY) is None:
        time.sleep(0.25)
    assert cache.get(HEARTBEAT_CACHE_KEY) is not None, worker.read_text()[-2000:]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "heartbeat: the Celery worker is alive" not in worker.read_text():
        time.sleep(0.2)
    assert "heartbeat: the Celery worker is alive" in worker.read_text()


def test_healthz_reports_the_database_and_the_last_heartbeat(client, db):
    assert client.get("/healthz").json() == {"database": "ok", "worker_heartbeat": None}
    heartbeat_task.apply()
    assert client.get("/healthz").json()["worker_heartbeat"] is not None
