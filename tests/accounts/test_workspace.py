"""The staff workspace leads somewhere: every tool the role opens, with live counts for the
territories the role covers, in a fixed number of queries."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import StaffRole
from meetings.models import Meeting
from questions.models import Question
from reports.models import ActionItem
from tests.factories import make_staff
from tests.meetings.factories import make_meeting
from tests.questions import factories as questions
from tests.reports.factories import make_item, make_plan, make_report

URL = "/kk/accounts/workspace/"
# Wednesday 2 December 2026, 10:00 in Almaty: the week runs from Monday 30 November.
WEDNESDAY = timezone.make_aware(datetime(2026, 12, 2, 10, 0))


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def tools_of(client, user, url=URL) -> dict:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    tools = response.context["tools"]
    return {str(tool.title): {str(figure.label): figure.value for figure in tool.figures} for tool in tools}


@pytest.fixture
def almaly_work(almaly, medeu, almaly_staff, medeu_staff, energy_department):
    """Work waiting in Almaly, and some in Medeu that Almaly's staff must not count."""
    questions.new(almaly)
    questions.new(almaly)
    overdue = questions.accepted(almaly, almaly_staff)
    Question.objects.filter(pk=overdue.pk).update(due_on=WEDNESDAY.date() - timedelta(days=1))
    questions.assigned(almaly, almaly_staff, energy_department)
    questions.new(medeu)
    # Outreach meetings: Almaly's akim has not scheduled the quarter's reporting meeting.
    outreach = Meeting.Kind.OUTREACH
    make_meeting(almaly, kind=outreach, starts_at=WEDNESDAY + timedelta(days=2))  # Friday: this week
    make_meeting(almaly, kind=outreach, starts_at=WEDNESDAY + timedelta(days=6))  # next Tuesday
    make_meeting(almaly, kind=outreach, status=Meeting.Status.DRAFT, starts_at=WEDNESDAY + timedelta(days=20))
    make_meeting(almaly, kind=outreach, starts_at=WEDNESDAY - timedelta(days=1))  # yesterday, not marked held
    make_meeting(medeu, starts_at=WEDNESDAY + timedelta(days=1))
    make_report(almaly, almaly_staff, publish=False)
    make_report(almaly, almaly_staff)
    plan = make_plan(almaly, almaly_staff)
    make_item(plan, almaly_staff, due_on=WEDNESDAY.date() - timedelta(days=3))
    make_item(plan, almaly_staff, due_on=WEDNESDAY.date() + timedelta(days=200))
    assert ActionItem.objects.count() == 2


def test_district_staff_see_every_akimat_tool_with_their_district_counts(client, almaly_work, almaly_staff):
    tools = tools_of(client, almaly_staff)
    assert list(tools) == [
        "Тұрғындардың сұрақтары",
        "Кездесулер",
        "Кездесу циклдері",
        "Есеп беру міндеті",
        "Жылдық жоспар",
        "Есептер",
        "Іс-шаралар жоспарлары",
        "Баспасөз релизін импорттау",
        "Сіздің тіркелгіңіз",
    ]
    assert tools["Тұрғындардың сұрақтары"] == {
        "Жаңа: сұрыптау керек": 2,
        "Мерзімі жақын": 0,
        "Мерзімі өткен": 1,
    }
    # Friday's and yesterday's (Tuesday) meetings; next Tuesday's is next week.
    assert tools["Кездесулер"] == {"Осы аптада": 2, "Жобалар": 1, "Басталды, өтті деп белгіленбеген": 1}
    assert tools["Есеп беру міндеті"] == {"Өткізілмеген: 2026 жылғы 4-тоқсан": 1}
    assert tools["Есептер"] == {"Жобалар": 1}
    assert tools["Іс-шаралар жоспарлары"] == {"Қатерде": 1, "Мерзімі өткен": 1}


def test_the_tools_link_to_the_staff_pages_and_the_queues(client, almaly_work, almaly_staff):
    client.force_login(almaly_staff)
    page = client.get("/ru/accounts/workspace/").content.decode()
    for path in (
        "/ru/questions/staff/",
        "/ru/questions/staff/?queue=triage",
        "/ru/questions/staff/?queue=overdue",
        "/ru/questions/staff/enter/",
        "/ru/meetings/staff/",
        "/ru/meetings/staff/new/",
        "/ru/meetings/staff/mandate/",
        "/ru/meetings/staff/plan/",
        "/ru/reports/staff/",
        "/ru/reports/staff/?status=draft",
        "/ru/reports/staff/plans/",
        "/ru/reports/staff/import/",
    ):
        assert f'href="{path}"' in page, path
    assert "Вопросы жителей" in page and "/ru/accounts/audit/" not in page


def test_staff_of_another_district_count_only_their_own(client, almaly_work, medeu_staff):
    tools = tools_of(client, medeu_staff)
    assert tools["Тұрғындардың сұрақтары"]["Жаңа: сұрыптау керек"] == 1
    assert tools["Тұрғындардың сұрақтары"]["Мерзімі өткен"] == 0
    assert tools["Кездесулер"]["Осы аптада"] == 1
    assert tools["Есептер"] == {"Жобалар": 0}


def test_a_department_officer_sees_the_department_queue_and_no_scheduling_tools(
    client, almaly_work, department_officer
):
    tools = tools_of(client, department_officer)
    assert list(tools) == ["Тұрғындардың сұрақтары", "Сіздің тіркелгіңіз"]
    assert tools["Тұрғындардың сұрақтары"] == {"Менің басқармам": 1, "Мерзімі жақын": 0, "Мерзімі өткен": 0}
    page = client.get(URL).content.decode()
    assert "/kk/meetings/staff/" not in page and "/kk/questions/staff/enter/" not in page


def test_a_moderator_triages_and_sees_nothing_else(client, almaly_work, almaty):
    moderator = make_staff(almaty, StaffRole.Role.MODERATOR, username="almaty.moderator")
    tools = tools_of(client, moderator)
    assert list(tools) == ["Тұрғындардың сұрақтары", "Сіздің тіркелгіңіз"]
    assert tools["Тұрғындардың сұрақтары"]["Жаңа: сұрыптау керек"] == 3
    assert "/kk/questions/staff/enter/" not in client.get(URL).content.decode()


def test_the_administrator_also_gets_the_audit_trail_and_the_admin(client, almaly_work, administrator):
    tools = tools_of(client, administrator)
    assert {"Аудит журналы", "Әкімшілік", "Кездесулер", "Есептер"} <= set(tools)
    assert tools["Тұрғындардың сұрақтары"]["Жаңа: сұрыптау керек"] == 3
    assert tools["Кездесулер"]["Осы аптада"] == 3
    page = client.get(URL).content.decode()
    assert 'href="/kk/accounts/audit/"' in page and 'href="/kk/admin/"' in page


def test_a_resident_account_has_no_tools_and_is_pointed_to_their_questions(client, resident):
    assert tools_of(client, resident) == {}
    page = client.get(URL).content.decode()
    assert 'href="/kk/questions/mine/"' in page


def test_the_workspace_runs_the_same_number_of_queries_whatever_the_data(
    client, almaly, almaty, almaty_staff, energy_department, department_officer, administrator
):
    def count(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    def add_work(n: int) -> None:
        for i in range(n):
            questions.new(almaly)
            questions.assigned(almaly, almaty_staff, energy_department)
            make_meeting(almaly, starts_at=WEDNESDAY + timedelta(days=1 + i % 3))
            make_report(almaly, almaty_staff, publish=bool(i % 2))
            make_item(make_plan(almaly, almaty_staff), almaty_staff)

    add_work(1)
    few = {user.username: count(user) for user in (almaty_staff, department_officer, administrator)}
    add_work(4)
    many = {user.username: count(user) for user in (almaty_staff, department_officer, administrator)}
    assert few == many
