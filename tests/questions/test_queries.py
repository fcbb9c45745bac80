"""Lists run the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from questions import services
from tests.factories import UserFactory
from tests.questions import factories


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_questions(unit, staff, department, n):
    for i in range(n):
        question = factories.answered(unit, staff, department) if i % 2 else factories.accepted(unit, staff)
        services.question_support(question=question, user=UserFactory())


@pytest.mark.parametrize(
    "url",
    [
        "/kk/questions/",
        "/ru/questions/territory/almaty-almaly/",
        "/api/v1/questions/",
        "/api/v1/staff/questions/",
        "/kk/questions/staff/?queue=all",
        "/kk/questions/mine/",
    ],
)
def test_list_query_counts_do_not_grow_with_data(client, almaly, almaly_staff, energy_department, water, url):
    client.force_login(almaly_staff)
    add_questions(almaly, almaly_staff, energy_department, 2)
    few = count_queries(client, url)
    add_questions(almaly, almaly_staff, energy_department, 5)
    many = count_queries(client, url)
    assert few == many, (url, few, many)
