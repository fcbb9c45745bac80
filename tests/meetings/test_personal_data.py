"""Registrants' contacts leave the workspace only through the CSV download, the attendance
sheet and the staff API; each opening is on the administrators' audit trail."""

import pytest

from accounts.models import PersonalDataAccess
from tests.meetings.factories import make_registration

SECRET_EMAIL = "registrant.private@example.kz"
SECRET_PHONE = "+77015550199"


@pytest.fixture
def registered(almaly_meeting):
    return make_registration(almaly_meeting, name="Асель", email=SECRET_EMAIL, phone=SECRET_PHONE)


def _shown() -> list[tuple]:
    return list(PersonalDataAccess.objects.order_by("pk").values_list("kind", "actor__username", "subject_id"))


def test_the_meeting_page_lists_registrants_without_their_contacts(client, almaly_staff, almaly_meeting, registered):
    client.force_login(almaly_staff)
    page = client.get(f"/kk/meetings/staff/{almaly_meeting.pk}/").text
    assert "Асель" in page
    assert SECRET_EMAIL not in page and SECRET_PHONE not in page
    assert _shown() == []


def test_downloading_printing_or_reading_registrants_through_the_api_is_recorded(
    client, almaly_staff, almaly_meeting, registered
):
    client.force_login(almaly_staff)
    pk = almaly_meeting.pk
    assert SECRET_EMAIL in client.get(f"/kk/meetings/staff/{pk}/registrations.csv").content.decode("utf-8-sig")
    assert SECRET_PHONE in client.get(f"/kk/meetings/staff/{pk}/attendance/").text
    api = client.get(f"/api/v1/staff/meetings/{pk}/registrations/")
    assert api.json()["results"][0]["email"] == SECRET_EMAIL and api["Cache-Control"] == "no-store"
    kinds = PersonalDataAccess.Kind
    assert _shown() == [
        (kinds.REGISTRATIONS_CSV, "almaly.staff", pk),
        (kinds.ATTENDANCE_SHEET, "almaly.staff", pk),
        (kinds.REGISTRATIONS_API, "almaly.staff", pk),
    ]
    assert PersonalDataAccess.objects.get(kind=kinds.ATTENDANCE_SHEET).shown_fields == ["name", "phone"]


def test_staff_of_another_district_get_404_and_nothing_is_recorded(client, medeu_staff, almaly_meeting, registered):
    client.force_login(medeu_staff)
    pk = almaly_meeting.pk
    for url in (
        f"/kk/meetings/staff/{pk}/registrations.csv",
        f"/kk/meetings/staff/{pk}/attendance/",
        f"/api/v1/staff/meetings/{pk}/registrations/",
    ):
        assert client.get(url).status_code == 404, url
    assert _shown() == []


def test_the_download_is_on_the_audit_trail(client, almaly_staff, administrator, almaly_meeting, registered):
    client.force_login(almaly_staff)
    client.get(f"/ru/meetings/staff/{almaly_meeting.pk}/registrations.csv")
    client.force_login(administrator)
    page = client.get("/ru/accounts/audit/?type=personal_data")
    (entry,) = page.context["entries"]
    assert entry.object_url == f"/ru/meetings/staff/{almaly_meeting.pk}/"
    html = page.content.decode()
    assert "Показаны: Имя, Эл. почта, Телефон" in html
    assert SECRET_EMAIL not in html and SECRET_PHONE not in html
