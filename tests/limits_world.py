"""The rows tests/core/test_limits_concurrency.py needs, written by a separate process.

The limits are fired at a real server process whose database is not always the test's own (on
SQLite the test database lives in the test process's memory), so the rows are made here, with
the server's environment, through the same factories and services as every other test:

    DATABASE_URL=… python -m tests.limits_world     # prints the world as JSON
"""

import json
import os

import django


def build() -> dict:
    from districts.models import AdministrativeUnit
    from meetings.models import ReceptionSlot
    from open311.models import ApiKey
    from open311.services import api_key_issue
    from questions import services
    from tests.factories import UserFactory, make_staff, make_unit
    from tests.meetings.factories import in_days, make_meeting
    from tests.questions.factories import category, submit

    city = make_unit(AdministrativeUnit.Kind.REPUBLICAN_CITY, slug="limits-city")
    district = make_unit(AdministrativeUnit.Kind.DISTRICT, parent=city, slug="limits-district")
    water = category("water")
    meeting = make_meeting(district, capacity=1000, registration_open=True)
    reception = make_meeting(district, kind="reception", starts_at=in_days(8))
    slot = ReceptionSlot.objects.create(meeting=reception, official="Әкім", starts_at=in_days(8))
    staff = make_staff(city, username="limits.staff")
    UserFactory(username="limits.resident")
    public = services.question_accept(
        question=services.question_confirm_by_code(
            question=(q := submit(district)), code=services.confirmation_code(q)
        ),
        actor=staff,
    )
    awaiting = {
        name: submit(district, contact_phone="+77011234567", contact_email="").token for name in ("page", "api")
    }
    renewals = {name: submit(district).token for name in ("page", "api")}
    open311_key = api_key_issue(api_key=ApiKey(owner="Limits app", requests_per_hour=10))
    return {
        "territory": district.slug,
        "territory_id": district.pk,
        "category": water.slug,
        "category_id": water.pk,
        "meeting": meeting.pk,
        "slot": slot.pk,
        "public_question": public.pk,
        "awaiting_code": awaiting,
        "awaiting_new_code": renewals,
        "username": "limits.resident",
        "open311_key": open311_key,
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(json.dumps(build()))  # noqa: T201 - the parent process reads it
