"""Showing a contact is recorded: staff see an author's contact, IIN, full name and address only
after an explicit "show" (a POST on the page, a POST in the API), each time written to the
administrators' audit trail; outside the territory the question does not exist."""

import pytest

from accounts.models import PersonalDataAccess
from questions.models import Question
from tests.questions import factories

EMAIL = "appeal.author@example.kz"
PHONE = "+77015550188"
IIN = "850715304274"
FULL_NAME = "Жасырын Толық Есім"
ADDRESS = "Алматы, Жасырын көшесі 12"
SECRETS = [EMAIL, PHONE, IIN, FULL_NAME, ADDRESS]


@pytest.fixture
def appeal(almaly, almaly_staff, energy_department, water) -> Question:
    return factories.assigned(
        almaly,
        almaly_staff,
        energy_department,
        contact_email=EMAIL,
        contact_phone=PHONE,
        author_name="Айгерім",
        is_official_appeal=True,
        full_name=FULL_NAME,
        postal_address=ADDRESS,
        iin=IIN,
    )


def _shown() -> list[PersonalDataAccess]:
    return list(PersonalDataAccess.objects.order_by("pk"))


def test_the_staff_page_shows_the_contact_only_after_the_show_button(client, appeal, almaly_staff):
    client.force_login(almaly_staff)
    page = client.get(f"/kk/questions/staff/{appeal.pk}/").content.decode()
    assert [secret for secret in SECRETS if secret in page] == []
    assert "Айгерім" in page  # the name the author gave stays: staff answer to a person
    assert f'action="/kk/questions/staff/{appeal.pk}/personal-data/"' in page
    assert _shown() == []

    response = client.post(f"/kk/questions/staff/{appeal.pk}/personal-data/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert [secret for secret in SECRETS if secret not in page] == []
    (event,) = _shown()
    assert (event.actor, event.kind, event.subject_model, event.subject_id) == (
        almaly_staff,
        PersonalDataAccess.Kind.QUESTION_AUTHOR,
        "questions.question",
        appeal.pk,
    )
    assert event.shown_fields == ["contact_email", "contact_phone", "full_name", "postal_address", "iin"]

    client.post(f"/ru/questions/staff/{appeal.pk}/personal-data/")
    assert len(_shown()) == 2  # every time, not once per person


def test_a_show_records_only_the_fields_the_author_gave(client, almaly, almaly_staff, water):
    question = factories.accepted(almaly, almaly_staff, contact_email="", contact_phone=PHONE)
    client.force_login(almaly_staff)
    assert client.post(f"/kk/questions/staff/{question.pk}/personal-data/").status_code == 200
    assert _shown()[0].shown_fields == ["contact_phone"]


def test_the_staff_api_carries_no_contact_and_the_audited_post_does(client, appeal, almaly_staff):
    client.force_login(almaly_staff)
    for url in (f"/api/v1/staff/questions/{appeal.pk}/", "/api/v1/staff/questions/"):
        body = client.get(url).content.decode()
        assert [secret for secret in SECRETS if secret in body] == [], url
    assert _shown() == []

    response = client.post(f"/api/v1/staff/questions/{appeal.pk}/personal-data/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "contact_email": EMAIL,
        "contact_phone": PHONE,
        "full_name": FULL_NAME,
        "postal_address": ADDRESS,
        "iin": IIN,
    }
    assert [(e.actor, e.subject_id) for e in _shown()] == [(almaly_staff, appeal.pk)]


def test_the_officer_of_the_assigned_department_may_see_the_contact(client, appeal, department_officer):
    client.force_login(department_officer)
    response = client.post(f"/api/v1/staff/questions/{appeal.pk}/personal-data/")
    assert response.status_code == 200 and response.json()["contact_email"] == EMAIL
    assert _shown()[0].actor == department_officer


@pytest.mark.parametrize("persona", ["medeu_staff", "resident"])
def test_outside_the_territory_the_show_is_a_404_and_nothing_is_recorded(client, request, appeal, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.post(f"/kk/questions/staff/{appeal.pk}/personal-data/")
    api = client.post(f"/api/v1/staff/questions/{appeal.pk}/personal-data/")
    assert (page.status_code, api.status_code) == (404, 404)
    for response in (page, api):
        assert [secret for secret in SECRETS if secret in response.content.decode()] == []
    assert _shown() == []


def test_a_show_needs_a_post(client, appeal, almaly_staff):
    client.force_login(almaly_staff)
    assert client.get(f"/kk/questions/staff/{appeal.pk}/personal-data/").status_code == 405
    assert client.get(f"/api/v1/staff/questions/{appeal.pk}/personal-data/").status_code == 405
    assert _shown() == []


def test_each_show_is_on_the_administrators_audit_trail(client, appeal, almaly_staff, administrator):
    client.force_login(almaly_staff)
    client.post(f"/kk/questions/staff/{appeal.pk}/personal-data/")
    client.force_login(administrator)
    page = client.get("/ru/accounts/audit/?type=personal_data")
    assert page.status_code == 200
    (entry,) = page.context["entries"]
    assert (entry.stream.key, entry.actor, entry.object_url) == (
        "personal_data",
        "almaly.staff",
        f"/ru/questions/staff/{appeal.pk}/",
    )
    html = page.content.decode()
    assert f"Вопрос № {appeal.pk}" in html
    assert "Показаны:" in html and "ИИН" in html and "Почтовый адрес" in html
    assert [secret for secret in SECRETS if secret in html] == []
    everything = client.get("/ru/accounts/audit/")
    assert "personal_data" in {entry.stream.key for entry in everything.context["entries"]}
