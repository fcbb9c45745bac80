"""Every page a person reads, in Kazakh and Russian, on a phone and on a desktop: nothing is wider
than the screen, and axe-core finds no violation and nothing left for review.

The pages come from `tests/demo_routes.py` (every named route with demo arguments), so a new
page joins the sweep by itself. One browser, one context per viewport and language, one tab.
"""

import importlib
import itertools
from itertools import groupby

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from accounts.models import User
from tests.browser.page_checks import axe_findings, duplicate_id_findings, overflow_findings
from tests.demo_routes import LANGUAGES, complete_demo, demo_routes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a sweep of every route × language × viewport runs on PostgreSQL only (.ci/run runs it there); "
        "the pages themselves are tested on both databases",
    ),
]

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1366, "height": 900}}


def _restore_migration_data() -> None:
    """The rows data migrations create (topics, the mandate presets), which an earlier browser
    test's flush removed. `serialized_rollback` does not bring them back once a browser test has
    run in the session (seen with pytest-django 4.14 and Playwright's sync API)."""
    for module, function in (
        ("questions.migrations.0002_categories", "create"),
        ("meetings.migrations.0002_mandate_presets", "create_presets"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


def _session_cookies(live_server_url: str) -> dict[str | None, list[dict]]:
    """A signed-in session per demo account the routes need (None: anonymous)."""
    cookies: dict[str | None, list[dict]] = {None: []}
    for username in ("resident", "almaty.staff", "admin"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[username] = [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server_url}]
    return cookies


def _pages() -> list[tuple[str | None, str, dict[str, str]]]:
    """(username, route name, {language: path}) of every HTML page that answers a GET with a
    document. Left out: POST-only actions (405), actions that redirect a GET to a page checked
    on its own (3xx), and fragments (similar questions). Errors stay in, to be reported."""
    routes = [route for route in demo_routes(complete_demo()) if route.is_html_page and not route.writes_on_get]
    pages, clients = [], {}
    for route in routes:
        client = clients.get(route.username)
        if client is None:
            client = clients[route.username] = Client()
            if route.username:
                client.force_login(User.objects.get(username=route.username))
        paths = {language: route.paths(language) for language in LANGUAGES}
        for index, path in enumerate(paths["kk"]):
            response = client.get(path)
            if response.status_code == 405 or 300 <= response.status_code < 400:
                continue
            if response.status_code == 200 and not response.content.lstrip().lower().startswith(b"<!doctype"):
                continue
            pages.append((route.username, route.name, {language: paths[language][index] for language in LANGUAGES}))
    return sorted(pages, key=lambda page: (page[0] or "", page[1], page[2]["kk"]))


def test_every_page_fits_the_screen_and_passes_axe_in_both_languages(live_server, browser):
    _restore_migration_data()
    call_command("seed_demo", verbosity=0)
    pages = _pages()
    cookies = _session_cookies(live_server.url)
    findings: list[str] = []
    for viewport, language in itertools.product(VIEWPORTS, LANGUAGES):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale=f"{language}-KZ")
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        errors: list[str] = []
        tab.on(
            "console",
            lambda message, errors=errors: "Content Security Policy" in message.text and errors.append(message.text),
        )
        tab.on("pageerror", lambda error, errors=errors: errors.append(f"uncaught: {error}"))
        for username, group in groupby(pages, key=lambda page: page[0]):
            context.clear_cookies()
            context.add_cookies(cookies[username])
            for _username, name, paths in group:
                path = paths[language]
                where = f"{viewport} {language} {name} {path}"
                response = tab.goto(f"{live_server.url}{path}")
                if response.status >= 400:
                    findings.append(f"{where}: answered {response.status}")
                    continue
                page_findings = overflow_findings(tab) + duplicate_id_findings(tab) + axe_findings(tab)
                page_findings += errors
                errors.clear()
                findings += [f"{where}: {finding}" for finding in page_findings]
        context.close()
    checked = len(pages) * len(LANGUAGES) * len(VIEWPORTS)
    assert findings == [], f"{len(findings)} findings on {checked} pages:\n" + "\n".join(findings)
