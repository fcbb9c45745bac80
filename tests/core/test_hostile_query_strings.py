"""No query string gives a 5xx: every route × every parameter it reads × a table of hostile values.

The parameters are not a hand list (it would go stale): each route is requested once normally
(and once with a sentinel parameter, so forms bound only to a non-empty query are read too)
while every QueryDict lookup is recorded; the API adds the query parameters its OpenAPI schema
declares. Each (route, parameter) then gets every value of HOSTILE, and the same parameter
twice (`?x=1&x=2`).

What an answer must be:
- never a 5xx;
- under /api/: a 4xx is JSON in the one error shape; a 2xx only to a value the parameter's
  schema allows (an integer within its bounds, a boolean, a date, one of an enum);
- a page: a 4xx, or a 2xx where core.query accepted the value, or refused it and the page says
  so (the "not-recognised" notice). A parameter read by hand, outside core.query, fails.
  (`next`, a redirect target, is Django's: any value is replaced by a safe default.)

The walk is broad: it runs on PostgreSQL only, where NUL characters, integer overflow and
impossible dates reach a database that refuses them loudly (SQLite accepts almost anything).
"""

import re
import sys
import time
import traceback
from base64 import urlsafe_b64encode
from collections import Counter
from contextlib import contextmanager
from datetime import date
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import connection
from django.http import QueryDict
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from core.query import MARK
from tests.demo_routes import STAFF_USERNAME, complete_demo, demo_routes


def clear_caches() -> None:
    for each in caches.all():  # the pages' cache and the limits' counters alike
        each.clear()


def _cursor(text: str) -> str:
    return urlsafe_b64encode(text.encode()).decode().rstrip("=")


# Raw query-string values (already percent-encoded where it matters).
HOSTILE = {
    "huge": "99999999999999999999",
    "huge negative": "-99999999999999999999",
    "negative": "-5",
    "zero": "0",
    "1e39": "1e39",
    "year 99999": "99999",
    "year 10000": "10000",
    "impossible date": "2025-02-30",
    "month 13": "2025-13",
    "NaN": "NaN",
    "null byte": "%00",
    "null inside": "ab%00cd",
    "invalid UTF-8": "%ff%fe%fd",
    "truncated UTF-8": "%C3%28",
    "10 KB": "x" * 10_240,
    "cursor garbage": "!!!***",
    "cursor not base64 of a cursor": _cursor("hello"),
    "cursor far future": _cursor("a|9999-12-31T23:59:59+14:00|999999999999999999"),
    "cursor huge pk": _cursor("b|2025-01-01T00:00:00+05:00|99999999999999999999"),
    "period out of range": "99999-Q9",
    "markup": quote('"><script>alert(1)</script>'),
}
# The sentinel that binds forms built with `Form(request.GET or None)`.
SENTINEL = "zz_probe"
# Names a template reads from request.GET as attributes, not parameters.
_NOT_PARAMETERS = {"urlencode", "items", "lists", "dict", "copy", "keys", SENTINEL}


@contextmanager
def recorded_lookups():
    """Every key looked up in any QueryDict while the block runs."""
    names: set[str] = set()
    saved = {name: getattr(QueryDict, name) for name in ("get", "__getitem__", "getlist", "__contains__")}

    def wrap(method):
        def recording(self, key, *args, **kwargs):
            if isinstance(key, str):
                names.add(key)
            return method(self, key, *args, **kwargs)

        return recording

    for name, method in saved.items():
        setattr(QueryDict, name, wrap(method))
    try:
        yield names
    finally:
        for name, method in saved.items():
            setattr(QueryDict, name, method)


def _schema_parameters() -> dict[str, dict[str, dict]]:
    """Query parameters the OpenAPI schema declares: path shape → name → its schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    declared: dict[str, dict[str, dict]] = {}
    for path, operations in schema["paths"].items():
        names = declared.setdefault(_shape(path), {})
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    names.setdefault(parameter["name"], parameter.get("schema", {}))
    return declared


def _conforms(schema: dict, raw: str) -> bool:
    """Whether a (last) raw value is one the parameter's schema allows."""
    value = unquote(raw.rsplit("=", 1)[-1] if "&" in raw else raw, errors="replace")
    if "enum" in schema:
        return value in {str(choice) for choice in schema["enum"]}
    kind = schema.get("type")
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", value):
            return False
        number = int(value)
        return schema.get("minimum", -(2**63)) <= number <= schema.get("maximum", 2**63 - 1)
    if kind == "boolean":
        return value in {"true", "false", "True", "False", "1", "0"}
    if kind == "string" and schema.get("format") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
    return True


def _shape(path: str) -> str:
    """'/api/v1/meetings/{id}/' and 'api/v1/meetings/<int:pk>/' both → '/api/v1/meetings/*/'."""
    return re.sub(r"\{[^}]+\}|<[^>]+>", "*", "/" + path.lstrip("/"))


def _username(route) -> str | None:
    # Staff API operations are walked as the staff member, as their pages are.
    return STAFF_USERNAME if route.is_api and "/staff/" in route.pattern else route.username


@pytest.fixture
def world(db):
    if connection.vendor != "postgresql":
        pytest.skip("a broad sweep: it runs on PostgreSQL, whose strict types are what hostile values probe")
    call_command("seed_demo", verbosity=0)
    return demo_routes(complete_demo())


def test_no_query_string_gives_a_5xx_on_any_route(world):
    started = time.monotonic()
    errors: list[str] = []

    def remember(sender, request, **kwargs):
        errors.append(traceback.format_exc(limit=-4))

    got_request_exception.connect(remember)
    declared = _schema_parameters()
    clients: dict[str | None, Client] = {}
    failures, outcomes, sent, walked, pairs = [], Counter(), 0, 0, set()
    try:
        for route in world:
            if route.writes_on_get:
                continue
            walked += 1
            username = _username(route)
            if username not in clients:
                clients[username] = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ru")
                if username:
                    clients[username].force_login(get_user_model().objects.get(username=username))
            client = clients[username]
            path = route.paths("ru" if route.is_i18n else "kk")[0]
            # The walk is not about limits: a fresh budget per route and per parameter, so the
            # API's per-address throttle never answers 429 in place of the view.
            clear_caches()
            with recorded_lookups() as names:
                client.get(path)
                client.get(f"{path}?{SENTINEL}=1")
            schemas = declared.get(_shape(route.pattern), {})
            names = (names | set(schemas)) - _NOT_PARAMETERS
            pairs.update((route.name, name) for name in names)
            for name in sorted(names):
                clear_caches()
                queries = {label: f"{name}={value}" for label, value in HOSTILE.items()}
                queries["repeated"] = f"{name}=1&{name}=2"
                for label, query in queries.items():
                    del errors[:]
                    response = client.get(f"{path}?{query}")
                    sent += 1
                    outcome = _judge(route, response, name, schemas.get(name), query.split("=", 1)[1])
                    outcomes[outcome] += 1
                    if outcome.startswith("bad"):
                        failures.append(f"{response.status_code} {path}?{name}=<{label}>: {outcome}\n{''.join(errors)}")
    finally:
        got_request_exception.disconnect(remember)
    seconds = time.monotonic() - started
    routes_with_parameters = len({route for route, _name in pairs})
    sys.stdout.write(
        f"\nhostile query strings: {walked} routes walked, {routes_with_parameters} read parameters;"
        f" {len(pairs)} (route, parameter) pairs × {len(HOSTILE) + 1} values = {sent} requests"
        f" in {seconds:.0f} s: {dict(outcomes)}\n"
    )
    sys.stdout.write("\n".join(failures) + "\n")
    # The discovery finds what a page reads and what the schema declares (the known 500s among them).
    assert {("meetings:plan", "year"), ("akim-list", "unit"), ("territory-list", "parent")} <= pairs
    assert sent > 1000
    assert not failures, f"{len(failures)} of {sent} answers were wrong:\n" + "\n".join(failures[:40])


# Parameters that libraries read, with their own rule for any value: a redirect target that is
# not on this site is replaced by the default one (Django's url_has_allowed_host_and_scheme).
LIBRARY_PARAMETERS = {"next"}


def _judge(route, response, name: str, schema: dict | None, raw: str) -> str:
    status = response.status_code
    if status >= 500:
        return "bad: 5xx"
    if route.pattern.startswith("api/"):
        if status >= 400:
            try:
                body = response.json()
            except ValueError:
                return "bad: an API error that is not JSON"
            if not (isinstance(body, dict) and {"message", "errors"} <= set(body) and body["message"]):
                return f"bad: an API error outside the error shape: {str(body)[:200]}"
            return "4xx"
        if schema is not None and not _conforms(schema, raw):
            return f"bad: {status} to a value its schema refuses ({schema})"
        return f"{status // 100}xx"
    if status >= 400 or not route.is_html_page or name in LIBRARY_PARAMETERS:
        return f"{status // 100}xx"
    if status >= 300:
        return "3xx"
    request = response.wsgi_request
    if name in getattr(request, "query_refused", ()):
        if MARK not in response.content.decode():
            return "bad: refused without saying so on the page"
        return "2xx, said not recognised"
    if name in getattr(request, "query_accepted", ()):
        return "2xx, accepted"
    return "bad: read outside core.query (neither accepted nor refused)"
