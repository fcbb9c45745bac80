"""Schemathesis against our own OpenAPI schema: bounded examples for every operation.

No operation may answer 5xx, and every 4xx carries the documented error body.
"""

import pytest
import schemathesis
from django.conf import settings as settings_module
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.meetings.factories import make_meeting
from tests.questions import factories as question_factories


@pytest.fixture
def api_schema(db, almaly, almaly_staff, energy_department):
    # A little real data, so that some generated ids and filters find something.
    make_meeting(almaly)
    question_factories.answered(almaly, almaly_staff, energy_department)
    # As Django's test client does: the WSGI handler must not close the test's connection
    # (and its open transaction) at the end of each request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def check(case, session: dict) -> None:
    response = case.call(
        headers={"Accept-Language": "ru", **session.get("headers", {})}, cookies=session.get("cookies")
    )
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where} → {response.status_code}"
    if 400 <= response.status_code < 500 and response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert set(body) >= {"message", "errors"}, f"{where}: {body}"
        assert isinstance(body["message"], str) and body["message"], where


def staff_session(user) -> dict:
    """Cookies and headers of a signed-in staff member's browser session, CSRF token included."""
    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    session_id = client.cookies[settings_module.SESSION_COOKIE_NAME].value
    return {
        "cookies": {settings_module.SESSION_COOKIE_NAME: session_id, settings_module.CSRF_COOKIE_NAME: token},
        "headers": {"X-CSRFToken": token},
    }


@pytest.mark.parametrize("who", ["anonymous", "staff of Almaly"])
def test_no_operation_answers_5xx_and_every_4xx_has_the_error_body(api_schema, almaly_staff, who):
    # One Hypothesis run per operation (the schemathesis pytest plugin does not load under
    # pytest 9 yet, so the loop is ours).
    session = staff_session(almaly_staff) if who != "anonymous" else {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def run(case):
            check(case, session)

        run()
