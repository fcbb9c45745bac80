"""Real Celery worker, beat and Redis processes for the tests that depend on them."""

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import ProtectedError


def needs_redis():
    """Skip on the embedded default: these behaviours are about a Redis broker (CI runs them)."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (the PostgreSQL + Redis run of .ci/run sets it)")


def database_url(*, port: int | None = None) -> str:
    """The test database as a URL, so a subprocess sees the rows this test committed; `port`
    sends it through a proxy on this host instead (tests/tcp_proxy.py)."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a separate worker process cannot see SQLite's in-memory test database")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = "127.0.0.1" if port else db["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port or db['PORT'] or 5432}/{db['NAME']}"


def database_address() -> tuple[str, int]:
    db = connection.settings_dict
    return db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def celery(role: str, log: Path, **env):
    """Start `celery -A config <role>` with extra environment; stop it (or let the test kill it)."""
    args = [sys.executable, "-m", "celery", "-A", "config", role, "--loglevel=INFO"]
    if role == "worker":
        args += ["--pool=threads", "--concurrency=2", "--without-gossip", "--without-mingle"]
    if role == "beat":
        args += [f"--schedule={log.with_suffix('.schedule')}"]
    with log.open("a") as out:
        process = subprocess.Popen(
            args, cwd=settings.BASE_DIR, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def redis_server(port: int):
    """A private redis-server that a test may stop and start without touching the shared one."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: _answers(port), timeout=10, what="redis-server to start")
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def collect_static(static_root: Path) -> Path:
    """Static files as production serves them (hashed names and a manifest): with DEBUG off
    every page needs them. Collected once into `static_root`."""
    if not (static_root / "staticfiles.json").exists():
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env={**os.environ, **production_env(static_root.parent), "STATIC_ROOT": str(static_root)},
            check=True,
            capture_output=True,
        )
    return static_root


def production_env(var_dir: Path) -> dict[str, str]:
    """The variables that make the app run as in production (DEBUG off, so that errors go
    through handler500), minus HTTPS, which the reverse proxy would terminate."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": "tests-web-server-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "HTTPS": "false",
        "VAR_DIR": str(var_dir),
    }


@contextmanager
def web_server(log: Path, *, static_root: Path, workers: int = 1, threads: int = 8, **env):
    """The app under gunicorn with threaded workers, as the Dockerfile runs it, on a spare
    port; yields its base URL. `env` points it at a database, a cache and a broker."""
    port = free_port()
    var_dir = log.parent / f"var-{port}"
    var_dir.mkdir(parents=True, exist_ok=True)
    environment = {**os.environ, **production_env(var_dir), "STATIC_ROOT": str(static_root), **env}
    args = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", str(workers), "--threads", str(threads), "--timeout", "60", "--graceful-timeout", "5"]
    # No control socket: its default path is shared by every gunicorn of the user.
    args += ["--access-logfile", "-", "--error-logfile", "-", "--no-control-socket"]
    with log.open("a") as out:
        process = subprocess.Popen(args, cwd=settings.BASE_DIR, env=environment, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(
                lambda: process.poll() is not None or _http_ok(f"http://127.0.0.1:{port}/healthz"),
                timeout=60,
                what="gunicorn to answer /healthz",
            )
            if process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {log.read_text()[-3000:]}")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _http_ok(url: str) -> bool:
    from urllib.request import urlopen

    try:
        with urlopen(url, timeout=2) as response:  # noqa: S310 - a local test server
            return response.status == 200
    except OSError:
        return False


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@contextmanager
def broker_at(url: str):
    """Point this process's Celery app at another broker for the duration (a private Redis)."""
    from celery import current_app

    app = current_app._get_current_object()
    saved = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    try:
        yield
    finally:
        app.conf.broker_url = saved
        app._pool = None


def rows_now() -> dict:
    """The primary keys in every table: at the start, only what the migrations wrote."""
    return {model: set(model._base_manager.values_list("pk", flat=True)) for model in apps.get_models()}


def delete_rows_since(before: dict) -> None:
    """Delete what a server wrote into the shared test database, and keep what the data
    migrations put there (categories, reporting rules) for the tests that follow. (A flush
    would take those too.) A protected row waits for the rows that protect it."""
    blocked = []
    for _attempt in range(10):
        blocked = []
        for model, kept in before.items():
            # Newest first, one by one: a child territory protects its parent until it is gone.
            for row in model._base_manager.exclude(pk__in=kept).order_by("-pk"):
                try:
                    row.delete()
                except ProtectedError as error:
                    blocked.append(f"{model.__name__}: {error.protected_objects}")
        if not blocked:
            return
    raise AssertionError(f"rows the server wrote could not be deleted: {blocked}")
