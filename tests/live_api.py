"""The API as an integrator meets it: gunicorn on a spare port, on the test's PostgreSQL
database, with a little committed data and a signed-in staff session.

Shared by the schemathesis run (tests/core/test_api_fuzz.py) and the generated client
(tests/core/test_api_client.py). PostgreSQL only: a separate server process cannot see
SQLite's in-memory test database (`database_url()` skips there).
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.test import Client, override_settings

from tests.processes import collect_static, database_url, delete_rows_since, production_env, rows_now, web_server

# The API's general throttles (600 and 1,200 a minute) are raised: a fuzzer sends thousands of
# requests a minute and would otherwise see nothing but 429. The throttles of the writes that
# send messages (registrations, question submissions, codes) keep their defaults: their 429
# is documented and the checks expect it.
SERVER_ENV = {
    "API_ANON_RATE": "100000/minute",
    "API_USER_RATE": "100000/minute",
    "CONN_MAX_AGE": "0",
    "CELERY_BROKER_URL": "filesystem://",  # kicked tasks stay in the server's own folder
    "TRUST_X_FORWARDED_FOR": "false",
    # gunicorn answers a request line over 4,094 bytes itself (414, in HTML) before the app sees
    # it; the fuzzer's longest query strings pass that line, which is the HTTP server's, not the API's.
    "GUNICORN_CMD_ARGS": "--limit-request-line 8190",
}


@dataclass
class LiveAPI:
    base: str
    world: dict
    staff_cookies: dict[str, str] = field(default_factory=dict)
    secret_key: str = ""

    @property
    def staff_headers(self) -> dict[str, str]:
        cookies = "; ".join(f"{name}={value}" for name, value in self.staff_cookies.items())
        return {"Cookie": cookies, "X-CSRFToken": self.staff_cookies[settings.CSRF_COOKIE_NAME]}


def build_world() -> dict:
    """A city with a district, a meeting open for registration, a published report with figures,
    an action plan, public questions, a staff member of the city and a department."""
    from districts.models import AdministrativeUnit, Department
    from questions.models import Question
    from tests.factories import make_akim, make_staff, make_unit
    from tests.meetings.factories import in_days, make_meeting, make_registration, make_venue
    from tests.questions import factories as questions
    from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

    city = make_unit(AdministrativeUnit.Kind.REPUBLICAN_CITY, slug="contract-city", kato="750000000")
    district = make_unit(AdministrativeUnit.Kind.DISTRICT, parent=city, slug="contract-district", kato="751110000")
    staff = make_staff(city, username="contract.staff")
    department = Department.objects.create(unit=city, name_kk="Энергетика басқармасы", name_ru="Управление энергетики")
    water = questions.category("water")
    akims = [make_akim(unit, full_name_kk=f"Әкім {unit.slug}") for unit in (city, district)]
    meeting = make_meeting(district, venue=make_venue(district, capacity=500), registration_open=True)
    for _ in range(2):
        make_registration(meeting)
    make_meeting(district, starts_at=in_days(14), kind="reception")
    held = held_meeting(district)
    for status in (Question.Status.ACCEPTED, Question.Status.ANSWERED):
        make_question(district, meeting=held, status=status)
    public = [questions.answered(district, staff, department) for _ in range(3)]
    new = questions.new(district)
    accepted = questions.accepted(district, staff)
    assigned = questions.assigned(district, staff, department)
    report = make_report(district, staff, meeting=held)
    make_report(city, staff)
    plan = make_plan(district, staff)
    make_plan(city, staff)
    item = make_item(plan, staff)
    make_item(plan, staff)
    cycles = [_cycle(city, akims[0], held, number) for number in (1, 2)]
    return {
        "city": city.slug,
        "territory": district.slug,
        "territory_id": district.pk,
        "category": water.slug,
        "department": department.pk,
        "akims": [akim.pk for akim in akims],
        "meeting": meeting.pk,
        "held_meeting": held.pk,
        "question": public[0].pk,
        "new_question": new.pk,
        "accepted_question": accepted.pk,
        "assigned_question": assigned.pk,
        "report": report.slug,
        "report_id": report.pk,
        "plan": plan.pk,
        "item": item.pk,
        "staff": staff.username,
        "cycles": [cycle.slug for cycle in cycles],
    }


def _cycle(city, akim, meeting, number: int):
    """A reporting cycle of the city's akim (two, so that the cycles list has a second page)."""
    from datetime import timedelta

    from cycles.models import Cycle, CycleMeeting

    day = meeting.starts_at.date() - timedelta(days=90 * (2 - number))
    cycle = Cycle.objects.create(
        unit=city,
        host=akim,
        kind=Cycle.Kind.REPORTING,
        number=number,
        title=f"Цикл {number}",
        title_kk=f"{number}-цикл",
        title_ru=f"Цикл {number}",
        starts_on=day,
        ends_on=day,
        slug=f"contract-cycle-{number}",
    )
    if number == 2:
        CycleMeeting.objects.create(cycle=cycle, meeting=meeting)
    return cycle


def staff_cookies(username: str, secret_key: str) -> dict[str, str]:
    """A browser session of `username` as the server will read it: the session row is signed
    with the server's SECRET_KEY, so it is written under that key."""
    from accounts.models import User

    with override_settings(SECRET_KEY=secret_key):
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
    token = "c" * 32  # a CSRF secret: cookie and header agree
    return {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: token}


@contextmanager
def live_api(folder: Path, static_root: Path, django_db_blocker):
    """Start the server on the test database, yield a LiveAPI, remove every row written."""
    url = database_url()  # skips on SQLite
    with django_db_blocker.unblock():
        before = rows_now()
        try:
            world = build_world()
            secret = production_env(folder)["SECRET_KEY"]
            cookies = staff_cookies(world["staff"], secret)
            # Its own file cache, not the shared Redis: the limits one server's run used up must
            # not be what the next server's test meets.
            env = {**SERVER_ENV, "DATABASE_URL": url, "REDIS_URL": ""}
            with web_server(folder / "gunicorn.log", static_root=collect_static(static_root), threads=4, **env) as base:
                yield LiveAPI(base=base, world=world, staff_cookies=cookies, secret_key=secret)
        finally:
            delete_rows_since(before)
