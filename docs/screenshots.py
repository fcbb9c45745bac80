"""Regenerate docs/screenshots/ from the demo data: `make screenshots`.

Starts its own server on a fresh SQLite database in a temporary folder (migrate, seed_demo),
walks the five journeys in Kazakh and Russian on a phone (390 px) and a desktop (1366 px) in
Debian's Chromium, and writes palette PNGs, so the README's pictures never drift from the site.

    .venv/bin/python docs/screenshots.py [--only NAME]
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LANGUAGES = ("kk", "ru")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@dataclass(frozen=True)
class Shot:
    """One picture: a page, who looks at it, and what they do before the picture is taken."""

    name: str
    path: str
    username: str | None = None
    fill: tuple[tuple[str, str], ...] = ()
    scroll_to: str | None = None


def _environment(var_dir: Path) -> dict[str, str]:
    """The embedded default (SQLite, filesystem broker, file cache) in a folder of its own."""
    env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update({"VAR_DIR": str(var_dir), "DEBUG": "true", "PYTHONPATH": str(ROOT)})
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _shots() -> list[Shot]:
    """The five journeys, with ids from the freshly seeded demo data."""
    from django.db.models import Count
    from django.utils import timezone

    from districts.models import AdministrativeUnit
    from meetings.models import Meeting
    from questions.models import Question
    from reports.models import Report

    almaty = AdministrativeUnit.objects.get(slug="almaty")
    upcoming = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
        .within(almaty)
        .exclude(kind=Meeting.Kind.RECEPTION)
        .order_by("starts_at")
        .first()
    )
    # The answered question with the longest timeline, the report with the most questions.
    answered = (
        Question.objects.filter(status=Question.Status.ANSWERED, unit__path__startswith=almaty.path)
        .annotate(steps=Count("events"))
        .order_by("-steps", "pk")
        .first()
    )
    report = (
        Report.objects.filter(status=Report.Status.PUBLISHED)
        .annotate(
            outcomes=Count("meeting__questions__outcome", distinct=True),
            asked=Count("meeting__questions", distinct=True),
        )
        .order_by("-outcomes", "-asked", "-published_at")
        .first()
    )
    text = (
        ("#id_text", "Біздің аулада үш аптадан бері көше шамдары жанбайды, балалар қараңғыда жүреді."),
        ("#id_author_name", "Айгерім"),
        ("#id_contact_email", "aigerim@example.kz"),
    )
    return [
        # 1. A resident finds the next meeting and asks a question for it.
        Shot("1-meeting", upcoming.get_absolute_url().removeprefix("/kk")),
        Shot("1-ask", f"/questions/ask/?unit={upcoming.unit.slug}&meeting={upcoming.pk}", fill=text),
        # 2. The author follows the question on its private page.
        Shot("2-track", answered.get_tracking_url().removeprefix("/kk")),
        # 3. A journalist reads a report's figures, then the territory's scorecard.
        Shot("3-report", report.get_absolute_url().removeprefix("/kk"), scroll_to=".figures"),
        Shot("3-scorecard", f"/reports/territories/{report.unit.slug}/", scroll_to="#sc-questions"),
        # 4. Staff triage the question queue.
        Shot("4-queue", "/questions/staff/", username="almaty.staff", scroll_to=".staff-table"),
        # 5. Staff schedule a meeting.
        Shot("5-schedule", "/meetings/staff/new/", username="almaty.staff"),
    ]


def _save(png: bytes, target: Path) -> None:
    """A palette PNG: a quarter of the size of the browser's, the text still crisp."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


def _take(base_url: str, shots: list[Shot]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from accounts.demo import DEMO_PASSWORD

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for viewport, size in VIEWPORTS.items():
            for language in LANGUAGES:
                context = browser.new_context(viewport=size, locale=f"{language}-KZ")
                page = context.new_page()
                signed_in = None
                for shot in shots:
                    if shot.username != signed_in:
                        context.clear_cookies()
                        if shot.username:
                            page.goto(f"{base_url}/{language}/accounts/login/")
                            page.fill("#id_username", shot.username)
                            page.fill("#id_password", DEMO_PASSWORD)
                            page.locator("main form button[type=submit]").click()
                            page.wait_for_load_state()
                        signed_in = shot.username
                    page.goto(f"{base_url}/{language}{shot.path}")
                    for selector, value in shot.fill:
                        page.fill(selector, value)
                    if shot.scroll_to:
                        page.locator(shot.scroll_to).first.evaluate("element => element.scrollIntoView()")
                    else:
                        page.evaluate("window.scrollTo(0, 0)")
                    page.evaluate("document.activeElement && document.activeElement.blur()")
                    target = OUT / f"{shot.name}-{language}-{viewport}.png"
                    _save(page.screenshot(), target)
                    written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="take only the shots whose name starts with this")
    args = parser.parse_args()
    if not shutil.which(CHROMIUM):
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    var_dir = Path(tempfile.mkdtemp(prefix="kezdesu-screenshots-"))
    env = _environment(var_dir)
    os.environ.clear()
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", verbosity=0)
        shots = [shot for shot in _shots() if not args.only or shot.name.startswith(args.only)]
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        _wait(f"{base_url}/healthz")
        if not args.only:
            for old in OUT.glob("*.png"):
                old.unlink()
        OUT.mkdir(parents=True, exist_ok=True)
        written = _take(base_url, shots)
        total = sum(path.stat().st_size for path in written)
        print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}, {total // 1024} KiB")  # noqa: T201
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
