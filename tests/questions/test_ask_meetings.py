"""The question form offers the meetings of the resident's territory, not the whole country's."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from meetings.selectors import ASK_MEETINGS_NATIONWIDE
from tests.factories import make_unit


def upcoming(unit, title, days=3):
    start = timezone.now() + timedelta(days=days)
    return Meeting.objects.create(
        unit=unit,
        title=title,
        title_kk=title,
        title_ru=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=Meeting.Status.SCHEDULED,
    )


def offered(response) -> set[int]:
    return {meeting.pk for meeting in response.context["form"].fields["meeting"].queryset}


@pytest.fixture
def meetings(almaty, almaly, medeu, zhambyl):
    return {
        "city": upcoming(almaty, "Қала әкімінің есебі"),
        "almaly": upcoming(almaly, "Алмалы"),
        "medeu": upcoming(medeu, "Медеу"),
        "zhambyl": upcoming(zhambyl, "Жамбыл"),
    }


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_territory_s_form_offers_its_own_meetings_and_those_of_the_akims_above(client, almaly, meetings, language):
    response = client.get(f"/{language}/questions/ask/?unit={almaly.slug}")
    assert response.status_code == 200
    assert offered(response) == {meetings["city"].pk, meetings["almaly"].pk}


def test_a_city_s_form_offers_its_districts_meetings(client, almaty, meetings):
    response = client.get(f"/kk/questions/ask/?unit={almaty.slug}")
    assert offered(response) == {meetings["city"].pk, meetings["almaly"].pk, meetings["medeu"].pk}


def test_without_a_territory_the_form_offers_a_bounded_list_and_keeps_a_linked_meeting(client, almaty, meetings):
    for n in range(ASK_MEETINGS_NATIONWIDE + 5):
        upcoming(make_unit(parent=almaty), f"Кездесу {n}", days=1)
    response = client.get(f"/ru/questions/ask/?meeting={meetings['zhambyl'].pk}")
    choices = offered(response)
    assert len(choices) == ASK_MEETINGS_NATIONWIDE + 1
    assert meetings["zhambyl"].pk in choices  # the soonest 30 are others: the link's meeting is kept


def test_the_form_s_queries_do_not_grow_with_the_number_of_meetings(client, almaty, almaly, meetings):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/kk/questions/ask/?unit={almaly.slug}").status_code == 200
        return len(queries)

    before = count()
    for n in range(20):
        upcoming(almaly if n % 2 else almaty, f"Тағы {n}")
    assert count() == before


def test_a_sent_form_accepts_a_meeting_of_its_territory_and_refuses_another_s(client, almaly, meetings, water):
    data = {
        "unit": almaly.pk,
        "category": water.pk,
        "text": "Аулада жарық жоқ, шам керек.",
        "language": "kk",
        "author_name": "Айгүл",
        "contact_email": "aigul@example.kz",
    }
    response = client.post("/kk/questions/ask/", {**data, "meeting": meetings["almaly"].pk})
    assert response.status_code == 302
    response = client.post("/kk/questions/ask/", {**data, "meeting": "not-a-number", "unit": "x"})
    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
