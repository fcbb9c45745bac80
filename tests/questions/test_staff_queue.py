"""The staff queue at national scale: bounded counts that match a recount, keyset pages, and a
fixed number of queries on every queue whatever the number of questions."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.permissions import forget_roles
from accounts.services import staff_role_grant
from questions import selectors, services
from questions.models import Question
from tests.factories import UserFactory
from tests.questions import factories

QUEUES = selectors.QUEUES


def recount(user, queue: str) -> int:
    return len(list(selectors.questions_for_staff(user=user, queue=queue)))


def assert_counts_match_a_recount(*users) -> None:
    for user in users:
        forget_roles(user)
        counts = selectors.staff_queue_counts(user=user)
        assert counts == {queue: recount(user, queue) for queue in QUEUES}, user.username


def test_queue_counts_equal_a_recount_after_every_step_of_a_question(
    almaly, medeu, almaly_staff, medeu_staff, almaty_staff, department_officer, energy_department, water
):
    staff = (almaly_staff, medeu_staff, almaty_staff, department_officer)
    other = factories.new(medeu)
    question = factories.submit(almaly)
    assert_counts_match_a_recount(*staff)
    question = services.question_confirm_by_code(question=question, code=services.confirmation_code(question))
    assert_counts_match_a_recount(*staff)
    assert selectors.staff_queue_counts(user=almaly_staff)["triage"] == 1
    question = services.question_accept(question=question, actor=almaly_staff)
    assert_counts_match_a_recount(*staff)
    question = services.question_assign(question=question, actor=almaly_staff, department=energy_department)
    assert_counts_match_a_recount(*staff)
    assert selectors.staff_queue_counts(user=department_officer)["department"] == 1
    question = services.question_extend(
        question=question, actor=almaly_staff, due_on=question.due_on + timedelta(days=20), reason="Смета керек."
    )
    assert_counts_match_a_recount(*staff)
    services.question_answer(
        question=question, actor=department_officer, answer_text="Құбыр жөнделді, су берілді.", outcome="resolved"
    )
    assert_counts_match_a_recount(*staff)
    assert selectors.staff_queue_counts(user=department_officer)["department"] == 0
    services.question_reject(question=other, actor=medeu_staff, reason="abusive")
    assert_counts_match_a_recount(*staff)
    withdrawn = factories.accepted(almaly, almaly_staff)
    services.question_withdraw(question=withdrawn)
    assert_counts_match_a_recount(*staff)
    assert selectors.staff_queue_counts(user=almaty_staff) == {
        "triage": 0,
        "department": 0,
        "due_soon": 0,
        "overdue": 0,
        "all": 3,  # answered, rejected, withdrawn
    }


def test_a_queue_count_stops_past_its_limit_and_the_tab_says_more(client, almaly, almaly_staff, water, monkeypatch):
    for _ in range(4):
        factories.new(almaly)
    monkeypatch.setattr(selectors, "QUEUE_COUNT_LIMIT", 2)
    assert selectors.staff_queue_counts(user=almaly_staff)["triage"] == 3
    client.force_login(almaly_staff)
    page = client.get("/ru/questions/staff/?queue=triage").content.decode()
    assert re.search(r'<span class="count">2\+</span>', page)
    assert re.search(
        r'href="/ru/questions/staff/\?queue=triage">[^<]*</a>: <span class="badge">2\+',
        client.get("/ru/accounts/workspace/").content.decode(),
    )


def test_a_superuser_with_an_officer_role_still_sees_every_question(
    almaly, medeu, administrator, energy_department, water
):
    staff_role_grant(
        user=administrator, unit=energy_department.unit, role="department_officer", department=energy_department
    )
    factories.new(almaly), factories.new(medeu)
    forget_roles(administrator)
    assert recount(administrator, selectors.QUEUE_TRIAGE) == 2


def _walk(client, url: str) -> list[int]:
    seen, pages = [], 0
    while url:
        html = client.get(url).content.decode()
        seen += [int(pk) for pk in re.findall(r'name="ids" value="(\d+)"', html)]
        found = re.search(r'rel="next" href="([^"]+)"', html)
        url = url.split("?")[0] + found[1].replace("&amp;", "&") if found else None
        pages += 1
        assert pages < 10
    return seen


@pytest.mark.parametrize("queue", ["all", "due_soon"])
def test_next_pages_show_each_question_once_in_the_queue_s_order(
    client, almaly, almaly_staff, water, queue, monkeypatch
):
    from questions import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    questions = [factories.accepted(almaly, almaly_staff) for _ in range(7)]
    # Several share a due date: the primary key orders them.
    for number, question in enumerate(questions):
        Question.objects.filter(pk=question.pk).update(due_on=date.today() + timedelta(days=number // 3))
    client.force_login(almaly_staff)
    seen = _walk(client, f"/kk/questions/staff/?queue={queue}")
    expected = list(selectors.questions_for_staff(user=almaly_staff, queue=queue).values_list("pk", flat=True))
    assert seen == expected and sorted(seen) == sorted(question.pk for question in questions)


def test_a_broken_cursor_shows_the_first_page_with_a_message(client, almaly, almaly_staff, water):
    question = factories.new(almaly)
    client.force_login(almaly_staff)
    response = client.get("/ru/questions/staff/?queue=triage&cursor=not-a-cursor")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{question.pk}"' in html and "not-recognised" in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def _cursor_url(client, url: str) -> str:
    found = re.search(r'rel="next" href="\?([^"]+)"', client.get(url).content.decode())
    assert found, url
    return url.split("?")[0] + "?" + found[1].replace("&amp;", "&")


def _fill(almaly, medeu, almaly_staff, medeu_staff, energy_department, n: int) -> None:
    for _ in range(n):
        factories.new(almaly)
        factories.assigned(almaly, almaly_staff, energy_department)
        factories.answered(medeu, medeu_staff, energy_department)
        services.question_support(question=factories.accepted(almaly, almaly_staff), user=UserFactory())


@pytest.mark.parametrize("who", ["almaly_staff", "almaty_staff", "department_officer"])
def test_every_staff_queue_runs_a_fixed_number_of_queries(
    client, request, almaly, medeu, almaly_staff, medeu_staff, energy_department, water, who, monkeypatch
):
    from questions import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    user = request.getfixturevalue(who)
    client.force_login(user)
    urls = [f"/kk/questions/staff/?queue={queue}" for queue in QUEUES]
    urls += [f"/ru/questions/staff/?queue=all&unit={almaly.slug}&category=water&q=су", "/api/v1/staff/questions/"]
    _fill(almaly, medeu, almaly_staff, medeu_staff, energy_department, 2)
    few = {url: _queries(client, url) for url in urls}
    _fill(almaly, medeu, almaly_staff, medeu_staff, energy_department, 4)
    many = {url: _queries(client, url) for url in urls}
    assert few == many
    assert max(many.values()) <= 12, many
    second = _cursor_url(client, "/kk/questions/staff/?queue=all")
    assert _queries(client, second) <= 12
