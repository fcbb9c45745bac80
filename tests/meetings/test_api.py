import pytest
from rest_framework.test import APIClient

from meetings.models import Meeting, Registration
from tests.meetings.factories import in_days, make_meeting, make_registration

S = Meeting.Status


@pytest.fixture
def api():
    return APIClient()


def test_the_public_list_filters_by_territory_subtree_and_kind(api, almaly_meeting, medeu_meeting, almaly):
    make_meeting(almaly, status=S.DRAFT)
    body = api.get("/api/v1/meetings/", {"territory": "almaty"}).json()
    assert {item["id"] for item in body["results"]} == {almaly_meeting.pk, medeu_meeting.pk}
    body = api.get("/api/v1/meetings/", {"territory": "almaty-medeu"}).json()
    assert [item["id"] for item in body["results"]] == [medeu_meeting.pk]
    assert api.get("/api/v1/meetings/", {"kind": "forum"}).json()["results"] == []


def test_bad_filters_get_a_translated_400(api, db):
    response = api.get("/api/v1/meetings/", {"kind": "atlantis", "date_from": "yesterday"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind", "date_from"}


def test_a_territory_that_does_not_exist_has_no_meetings(api, almaly_meeting):
    response = api.get("/api/v1/meetings/", {"territory": "atlantis"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_the_public_detail_has_seats_left_and_no_personal_data(api, almaly_meeting):
    make_registration(almaly_meeting, name="Асель", email="asel@example.kz", phone="+77012345678")
    response = api.get(f"/api/v1/meetings/{almaly_meeting.pk}/")
    assert response.json()["seats_left"] == 9
    for private in ("Асель", "asel@example.kz", "+77012345678"):
        assert private not in response.content.decode()


def test_registration_through_the_api_returns_the_status_and_the_signed_link(api, almaly_meeting):
    response = api.post(
        f"/api/v1/meetings/{almaly_meeting.pk}/registrations/", {"name": "Асель", "phone": "87012345678"}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "registered"
    assert "/meetings/registration/" in response.json()["manage_url"]
    response = api.post(
        f"/api/v1/meetings/{almaly_meeting.pk}/registrations/",
        {"name": "Асель", "phone": "+7 701 234 56 78"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 409
    assert response.json()["message"] == "Вы уже зарегистрированы на эту встречу."
    assert Registration.objects.count() == 1


def test_staff_schedule_and_reschedule_through_the_api(api, almaly_staff, almaly_school):
    api.force_authenticate(almaly_staff)
    response = api.post(
        "/api/v1/staff/meetings/",
        {
            "unit": "almaty-almaly",
            "kind": "outreach",
            "title_kk": "Көшпелі кездесу",
            "starts_at": in_days(3).isoformat(),
            "ends_at": in_days(3, 13).isoformat(),
            "venue": almaly_school.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = api.post(
        f"/api/v1/staff/meetings/{pk}/reschedule/",
        {"starts_at": in_days(4).isoformat(), "ends_at": in_days(4, 13).isoformat()},
        format="json",
    )
    assert response.json()["sequence"] == 1
    assert Meeting.objects.get(pk=pk).events.count() == 2


def test_staff_of_medeu_get_404_through_the_api_and_nothing_changes(api, medeu_staff, almaly_meeting):
    api.force_authenticate(medeu_staff)
    pk = almaly_meeting.pk
    assert api.get(f"/api/v1/staff/meetings/{pk}/").status_code == 404
    assert api.patch(f"/api/v1/staff/meetings/{pk}/", {"title_kk": "x"}, format="json").status_code == 404
    assert api.post(f"/api/v1/staff/meetings/{pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert api.get(f"/api/v1/staff/meetings/{pk}/registrations/").status_code == 404
    almaly_meeting.refresh_from_db()
    assert (almaly_meeting.title_kk, almaly_meeting.status) == ("Алмалы ауданы әкімінің есебі", S.SCHEDULED)
    assert api.get("/api/v1/staff/meetings/").json()["results"] == []


def test_anonymous_users_cannot_write_as_staff(api, almaly_meeting):
    assert api.post(f"/api/v1/staff/meetings/{almaly_meeting.pk}/cancel/", {"reason": "x"}).status_code == 403


def test_the_mandate_api(api, almaty, almaly, medeu):
    body = api.get("/api/v1/mandate/", {"territory": "almaty", "period": "2025-Q3"}).json()
    assert body["quarter"] == "2025-Q3"
    assert {row["territory"]["slug"]: row["status"] for row in body["rows"]} == {
        "almaty": "missing",
        "almaty-almaly": "missing",
        "almaty-medeu": "missing",
    }


def test_the_public_list_pages_by_cursor_in_the_order_of_when(api, almaly):
    upcoming = [make_meeting(almaly, starts_at=in_days(1 + i)) for i in range(5)]
    past = [make_meeting(almaly, starts_at=in_days(-1 - i), status=S.HELD) for i in range(3)]

    seen, url = [], "/api/v1/meetings/?page_size=2"
    while url:
        body = api.get(url).json()
        assert "count" not in body  # keyset pages: no COUNT(*) over 100,000 meetings
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert seen == [meeting.pk for meeting in upcoming]

    body = api.get("/api/v1/meetings/", {"when": "past", "page_size": 2}).json()
    assert [item["id"] for item in body["results"]] == [past[0].pk, past[1].pk]
    assert [item["id"] for item in api.get(body["next"]).json()["results"]] == [past[2].pk]


def test_the_public_list_query_count_does_not_grow_with_the_page(api, almaly, django_assert_max_num_queries):
    for i in range(30):
        make_registration(make_meeting(almaly, starts_at=in_days(1 + i)))
    with django_assert_max_num_queries(1):
        assert len(api.get("/api/v1/meetings/", {"page_size": 30}).json()["results"]) == 30


def test_a_tampered_cursor_gets_the_error_body(api, db):
    response = api.get("/api/v1/meetings/", {"cursor": "not-a-cursor"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert set(response.json()) >= {"message", "errors"}
