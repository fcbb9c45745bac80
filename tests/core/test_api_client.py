"""A typed client generated from /api/schema/ (openapi-python-client) does what an integrator does,
against a live server: a schema change that breaks such a client fails here.

The client is generated at test time into a temporary folder (nothing generated is committed).
PostgreSQL only, like every test of a separate server process on the test database.
"""

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from questions import services as question_services
from questions.models import Question
from tests.live_api import live_api

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup, django_db_blocker):
    folder = tmp_path_factory.mktemp("client")
    with live_api(folder, tmp_path_factory.getbasetemp() / "client-static", django_db_blocker) as api:
        yield api


@pytest.fixture(scope="module")
def kezdesu(server, tmp_path_factory):
    """The generated package, imported from where it was generated."""
    from urllib.request import urlopen

    folder = tmp_path_factory.mktemp("generated")
    with urlopen(f"{server.base}/api/schema/?format=json") as response:  # noqa: S310 - the local test server
        (folder / "schema.json").write_bytes(response.read())
    (folder / "config.yml").write_text("package_name_override: kezdesu_client\npost_hooks: []\n")
    generator = str(Path(sys.executable).with_name("openapi-python-client"))
    args = [generator, "generate", "--path", "schema.json", "--output-path", "kezdesu_client", "--meta", "none"]
    result = subprocess.run([*args, "--config", "config.yml"], cwd=folder, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Warning" not in result.stdout, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        import kezdesu_client

        yield kezdesu_client
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.startswith("kezdesu_client")]:
            del sys.modules[name]


def cursor_of(link: str | None) -> str | None:
    return parse_qs(urlparse(link).query)["cursor"][0] if link else None


def test_a_generated_client_walks_the_resident_and_staff_journeys(server, kezdesu, django_db_blocker):
    from kezdesu_client import Client
    from kezdesu_client.api.meetings import v1_meetings_list, v1_meetings_registrations_create
    from kezdesu_client.api.questions import (
        v1_questions_confirm_create,
        v1_questions_create,
        v1_questions_list,
        v1_questions_retrieve,
    )
    from kezdesu_client.api.reports import v1_reports_list, v1_reports_retrieve
    from kezdesu_client.api.staff import (
        v1_staff_questions_accept_create,
        v1_staff_questions_answer_create,
        v1_staff_questions_assign_create,
    )
    from kezdesu_client.models import (
        AcceptInputRequest,
        AnswerInputRequest,
        AssignInputRequest,
        LanguageEnum,
        OutcomeEnum,
        PaginatedMeetingListList,
        QuestionConfirmRequest,
        QuestionSubmitRequest,
        RegistrationInputRequest,
        V1MeetingsListKind,
        V1MeetingsListWhen,
    )

    world = server.world
    resident = Client(base_url=server.base, headers={"Accept-Language": "ru"})
    staff = Client(
        base_url=server.base,
        cookies=server.staff_cookies,
        headers={"Accept-Language": "kk", "X-CSRFToken": server.staff_headers["X-CSRFToken"]},
    )

    # Upcoming meetings of a territory, of one kind.
    meetings = v1_meetings_list.sync(
        client=resident, territory=world["city"], when=V1MeetingsListWhen.UPCOMING, kind=V1MeetingsListKind.REPORTING
    )
    assert isinstance(meetings, PaginatedMeetingListList)
    assert [meeting.id for meeting in meetings.results] == [world["meeting"]]
    assert meetings.results[0].registration_open is True

    # Register for it.
    registration = v1_meetings_registrations_create.sync(
        client=resident, id=world["meeting"], body=RegistrationInputRequest(name="Айгерім", email="aigerim@example.kz")
    )
    assert registration.status == "registered", registration

    # Send a question, confirm it with the code from the message.
    submitted = v1_questions_create.sync(
        client=resident,
        body=QuestionSubmitRequest(
            territory=world["territory"],
            category=world["category"],
            text="Аулада көше шамдары үш аптадан бері жанбайды, кешке қараңғы.",
            language=LanguageEnum.KK,
            author_name="Айгерім",
            contact_phone="+7 701 234 56 78",
        ),
    )
    assert submitted.status == "submitted", submitted
    with django_db_blocker.unblock(), override_settings(SECRET_KEY=server.secret_key):
        code = question_services.confirmation_code(Question.objects.get(pk=submitted.id))
    confirmed = v1_questions_confirm_create.sync(
        client=resident, body=QuestionConfirmRequest(token=submitted.token, code=code)
    )
    assert confirmed.status == "new", confirmed

    # Staff accept it, route it and answer it.
    accepted = v1_staff_questions_accept_create.sync(client=staff, id=submitted.id, body=AcceptInputRequest())
    assert accepted.status == "accepted", accepted
    v1_staff_questions_assign_create.sync(
        client=staff, id=submitted.id, body=AssignInputRequest(department=world["department"])
    )
    answered = v1_staff_questions_answer_create.sync(
        client=staff,
        id=submitted.id,
        body=AnswerInputRequest(answer_text="Шамдар ауыстырылды, көше жарық.", outcome=OutcomeEnum.RESOLVED),
    )
    assert answered.status == "answered" and answered.outcome == "resolved", answered

    # The resident follows it: public, masked, with its timeline.
    followed = v1_questions_retrieve.sync(client=resident, id=submitted.id)
    assert followed.status == "answered" and followed.answer == "Шамдар ауыстырылды, көше жарық."
    assert [step.kind for step in followed.timeline][-1] == "answered"
    assert "+7 701" not in followed.text and followed.author.startswith("Житель")

    # A report and its figures.
    reports = v1_reports_list.sync(client=resident, territory=world["territory"])
    assert [report.slug for report in reports.results] == [world["report"]]
    report = v1_reports_retrieve.sync(client=resident, slug=world["report"])
    assert report.figures.received == 2 and report.figures.attendance == 150

    # Every public question of the territory, two at a time, by the cursor.
    seen, cursor = [], None
    while True:
        page = v1_questions_list.sync(client=resident, territory=world["territory"], page_size=2, cursor=cursor)
        assert len(page.results) <= 2
        seen += [question.id for question in page.results]
        cursor = cursor_of(page.next_)
        if cursor is None:
            break
    with django_db_blocker.unblock():
        public = Question.objects.filter(unit__slug=world["territory"], status__in=Question.PUBLIC_STATUSES)
        expected = sorted(public.values_list("pk", flat=True), reverse=True)
    assert seen == expected and len(seen) >= 6
