"""Schemathesis against a live server: every operation, every check, 0 failures.

The schema is the contract (DESIGN.md): schemathesis reads /api/schema/ from gunicorn running
the app as in production (DEBUG off, every middleware), signed in as a staff member so that the
staff operations are reached too, and runs its examples, coverage and fuzzing phases with all of
its checks. Where a check is wrong about an operation, EXCEPTIONS says which and why: nowhere else.

PostgreSQL only: the server is a separate process and cannot see SQLite's in-memory test
database. The figures (operations, checks, cases, failures) are printed for the closing note
(run with -s to see them).
"""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from urllib.request import Request, urlopen

import pytest

from tests.live_api import live_api

pytestmark = pytest.mark.django_db

# Cases per operation and phase: about two minutes on two cores for the ~50 operations.
MAX_EXAMPLES = 12

# Every check schemathesis 4.32 has (`st run --help`), all turned on in the config file.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
]

# (operation, check, why): the only places where a check does not hold, each for a reason.
# positive_data_acceptance sends requests the schema calls valid and expects a 2xx (or 404, 409,
# 429); a 400 for a rule OpenAPI cannot state is the API being right and the check wrong.
_UNSTATED = "positive_data_acceptance"
EXCEPTIONS: list[tuple[str, str, str]] = [
    ("POST /api/v1/questions/", _UNSTATED, "an email or a phone (said in the body's description); a text in words"),
    ("POST /api/v1/meetings/{id}/registrations/", _UNSTATED, "an email or a phone (said in the description)"),
    ("POST /api/v1/staff/meetings/", _UNSTATED, "venue and host are ids of rows of the unit; starts_at in the future"),
    ("PATCH /api/v1/staff/meetings/{id}/", _UNSTATED, "venue and host must be rows of the meeting's territory"),
    ("POST /api/v1/staff/meetings/{id}/reschedule/", _UNSTATED, "the new time must be in the future"),
    ("POST /api/v1/staff/reports/", _UNSTATED, "meeting must be an id of a meeting of the unit; a title in kk or ru"),
    ("PATCH /api/v1/staff/reports/{id}/", _UNSTATED, "meeting must be a meeting of the report's territory"),
    ("POST /api/v1/staff/reports/{id}/unpublish/", _UNSTATED, "the reason must say something (not blank words)"),
    ("POST /api/v1/staff/action-plans/{id}/items/", _UNSTATED, "a title in kk or ru; department of the territory"),
    ("PATCH /api/v1/staff/action-items/{id}/", _UNSTATED, "department must be a department of the territory"),
    ("POST /api/v1/staff/action-items/{id}/link-questions/", _UNSTATED, "only questions answered as planned"),
    ("POST /api/v1/staff/questions/{id}/answer/", _UNSTATED, "an answer of at least 10 letters, not spaces"),
    ("POST /api/v1/staff/questions/{id}/answer-on-the-spot/", _UNSTATED, "the meeting must be held, in the territory"),
    ("POST /api/v1/staff/questions/{id}/extend/", _UNSTATED, "due_on within two months; the reason not blank"),
    ("POST /api/v1/staff/questions/{id}/accept/", _UNSTATED, "category must be the slug of a category that exists"),
    ("GET /api/v1/staff/questions/", _UNSTATED, "a cursor belongs to the queue it was read in (each has its order)"),
    ("POST /api/v1/staff/questions/{id}/assign/", _UNSTATED, "department must be an id of a department that exists"),
    ("POST /api/v1/staff/questions/{id}/reject/", _UNSTATED, "duplicate_of must be an id of a question that exists"),
    # negative_data_rejection sends a value of the wrong type and expects a 4xx; DRF's
    # BooleanField reads "true", "1" and 1 as true, as the form bodies the schema documents send them.
    ("POST /api/v1/staff/meetings/", "negative_data_rejection", "booleans as forms send them"),
    ("PATCH /api/v1/staff/meetings/{id}/", "negative_data_rejection", "booleans as forms send them"),
    ("POST /api/v1/questions/", "negative_data_rejection", "booleans as forms send them"),
]


def known_values(world: dict) -> tuple[dict, dict, dict]:
    """Values that exist, for the fields the schema can only call "a slug" or "an id": most
    cases use them (the rest stay random), so that valid requests reach the logic behind them
    instead of "no such territory"."""
    questions = [world[key] for key in ("new_question", "accepted_question", "assigned_question", "question")]
    dictionaries = {
        "territories": [world["territory"], world["city"]],
        "categories": [world["category"]],
        "meetings": [world["meeting"], world["held_meeting"]],
        "departments": [world["department"]],
        "akims": world["akims"],
        "questions": questions,
        "reports": [world["report_id"]],
        "plans": [world["plan"]],
        "items": [world["item"]],
        "cycles": world["cycles"],
    }
    bindings = {
        "query.territory": "territories",
        "body.unit": "territories",
        "body.territory": "territories",
        "query.category": "categories",
        "body.category": "categories",
        "query.meeting": "meetings",
        "body.meeting": "meetings",
        "body.department": "departments",
        "query.akim": "akims",
        "body.duplicate_of": "questions",
    }
    by_path = {
        "/api/v1/meetings/{id}/": "meetings",
        "/api/v1/staff/meetings/{id}/": "meetings",
        "/api/v1/questions/{id}/": "questions",
        "/api/v1/staff/questions/{id}/": "questions",
        "/api/v1/staff/reports/{id}/": "reports",
        "/api/v1/staff/action-plans/{id}/": "plans",
        "/api/v1/action-items/{id}/": "items",
        "/api/v1/staff/action-items/{id}/": "items",
        "/api/v1/cycles/{slug}/": "cycles",
    }
    return dictionaries, bindings, by_path


def api_schema(server) -> dict:
    return json.loads(urlopen(f"{server.base}/api/schema/?format=json").read())  # noqa: S310 - local server


def cursors(server, schema: dict) -> dict[str, str]:
    """A real cursor of every list (its second page), read from the server. A cursor is opaque:
    the only valid ones are those the API wrote, and any other is a 400 (tests/core/test_schema.py
    sends bad ones), so schemathesis sends these rather than inventing strings."""
    found = {}
    for path, operations in schema["paths"].items():
        if {"$ref": "#/components/parameters/Cursor"} not in operations.get("get", {}).get("parameters", []):
            continue
        url = server.base + path.format(id=server.world["meeting"], dataset="meetings") + "?page_size=1"
        link = json.loads(urlopen(Request(url, headers=server.staff_headers)).read())["next"]  # noqa: S310
        assert link, f"{path} has one page: the world needs more rows"
        found[f"GET {path}"] = parse_qs(urlparse(link).query)["cursor"][0]
    return found


def config(path: Path, world: dict, schema: dict, cursors: dict[str, str]) -> Path:
    """schemathesis.toml: the known values, and EXCEPTIONS as checks turned off per operation."""
    dictionaries, bindings, by_path = known_values(world)
    lines = ["[checks]", "max_response_time = 30.0", *(f"{check}.enabled = true" for check in CHECKS), ""]
    for name, values in dictionaries.items():
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.8 }}' for key, name in bindings.items()]
    lines.append("")
    # One [[operations]] entry per operation that needs values, so that none is merged away.
    parameters: dict[str, dict[str, str]] = {}
    for name, cursor in cursors.items():
        parameters.setdefault(name, {})["query.cursor"] = json.dumps(cursor)
    names = [f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods]
    for prefix, dictionary in by_path.items():
        parameter = "path.slug" if "{slug}" in prefix else "path.id"
        for name in [name for name in names if name.split(" ", 1)[1].startswith(prefix)]:
            parameters.setdefault(name, {})[parameter] = f'{{ dictionary = "{dictionary}", probability = 0.8 }}'
    for name, values in parameters.items():
        inline = ", ".join(f'"{key}" = {value}' for key, value in values.items())
        lines += ["[[operations]]", f"include-name = {json.dumps(name)}", f"parameters = {{ {inline} }}", ""]
    for operation, check, why in EXCEPTIONS:
        lines += [f"# {why}", "[[operations]]", f"include-name = {json.dumps(operation)}"]
        lines += [f"checks.{check}.enabled = false", ""]
    path.write_text("\n".join(lines))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup, django_db_blocker):
    folder = tmp_path_factory.mktemp("fuzz")
    with live_api(folder, tmp_path_factory.getbasetemp() / "fuzz-static", django_db_blocker) as api:
        yield api


def test_every_operation_passes_every_schemathesis_check(server, tmp_path):
    schema = api_schema(server)
    settings = config(tmp_path / "schemathesis.toml", server.world, schema, cursors(server, schema))
    args = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(settings)]
    args += ["run", f"{server.base}/api/schema/", "--max-examples", str(MAX_EXAMPLES)]
    args += ["--phases", "examples,coverage,fuzzing", "--seed", "13", "--workers", "2", "--no-color"]
    args += ["--generation-database", "none"]
    args += ["--suppress-health-check", "all", "--request-timeout", "30"]
    # The session cookie comes from the headers below: schemathesis is not to invent or drop it
    # as if it were input (it would call a request "without the cookie" that still carries it).
    args += ["--generation-with-security-parameters", "false"]
    for name, value in {**server.staff_headers, "Accept-Language": "ru"}.items():
        args += ["-H", f"{name}: {value}"]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=900, check=False)
    output = result.stdout + result.stderr
    sys.stdout.write(output)
    assert result.returncode == 0, output[-20000:]
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert f"Tested: {operations}" in output, output[-3000:]  # every operation, none skipped
