import pytest

from questions import services
from questions.models import Question
from tests.mail import delivered
from tests.questions import factories
from tests.questions.factories import refresh

S = Question.Status


def submit_body(unit, **extra):
    body = {
        "territory": unit.slug,
        "category": "water",
        "text": "Үйде үш күннен бері су жоқ, көмектесіңіздер.",
        "language": "kk",
        "author_name": "Айгерім",
        "contact_email": "api.author@example.kz",
    }
    body.update(extra)
    return body


def test_submit_then_confirm_with_the_code(client, almaly, water, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/questions/", submit_body(almaly), content_type="application/json")
    assert response.status_code == 201
    question = Question.objects.get(pk=response.json()["id"])
    assert response.json()["tracking_url"].endswith(question.get_tracking_url())
    assert len(delivered()) == 1
    response = client.post(
        "/api/v1/questions/confirm/",
        {"token": question.token, "code": services.confirmation_code(question)},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == S.NEW


def test_submit_errors_come_in_the_request_language_and_write_nothing(client, almaly, water):
    response = client.post(
        "/api/v1/questions/",
        {key: value for key, value in submit_body(almaly).items() if not key.startswith("contact_")},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    assert "Укажите адрес электронной почты" in str(response.json()["errors"])
    assert not Question.objects.exists()


def test_submissions_are_throttled(client, almaly, water, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"questions_submit": "2/hour"}}
    from rest_framework.throttling import ScopedRateThrottle

    # Saved now: read in `finally`, api_settings would still hold this test's rates, and every
    # later request to another throttled scope would fail on a missing rate.
    saved = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {"questions_submit": "2/hour"}
    try:
        codes = [
            client.post(
                "/api/v1/questions/",
                submit_body(almaly, contact_email=f"a{n}@example.kz"),
                content_type="application/json",
            ).status_code
            for n in range(3)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = saved
    assert codes == [201, 201, 429]
    assert Question.objects.count() == 2
    assert client.get("/api/v1/questions/").status_code == 200  # reading is not throttled


def test_the_public_list_and_detail_show_published_questions_only(client, almaly, almaly_staff, water):
    shown = factories.accepted(almaly, almaly_staff)
    hidden = factories.new(almaly)
    body = client.get(f"/api/v1/questions/?territory={almaly.slug}").json()
    assert [row["id"] for row in body["results"]] == [shown.pk]
    assert client.get(f"/api/v1/questions/{hidden.pk}/").status_code == 404
    detail = client.get(f"/api/v1/questions/{shown.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert detail["author"] == "Житель: Алмалинский район"
    assert [event["kind"] for event in detail["timeline"]] == ["accepted"]


def test_staff_act_through_the_api(client, new_question, almaly_staff, energy_department):
    client.force_login(almaly_staff)
    base = f"/api/v1/staff/questions/{new_question.pk}"
    assert client.post(f"{base}/accept/", {}, content_type="application/json").status_code == 200
    assert (
        client.post(
            f"{base}/assign/", {"department": energy_department.pk}, content_type="application/json"
        ).status_code
        == 200
    )
    response = client.post(
        f"{base}/answer/",
        {"answer_text": "Жарық берілді, рақмет.", "outcome": "resolved"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == S.ANSWERED
    assert "contact_email" not in response.json()  # only the audited POST …/personal-data/ shows it


def test_a_wrong_state_is_a_409_with_the_rule(client, accepted_question, almaly_staff):
    client.force_login(almaly_staff)
    response = client.post(
        f"/api/v1/staff/questions/{accepted_question.pk}/accept/",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 409
    assert response.json()["message"] == "Принять можно только новые вопросы."


@pytest.mark.parametrize("persona", ["medeu_staff", "department_officer", "resident"])
def test_outside_the_territory_the_staff_api_is_a_404_and_nothing_changes(client, new_question, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/staff/questions/{new_question.pk}/").status_code == 404
    response = client.post(f"/api/v1/staff/questions/{new_question.pk}/accept/", {}, content_type="application/json")
    assert response.status_code == 404
    assert refresh(new_question).status == S.NEW


def test_the_staff_list_needs_a_login(client):
    assert client.get("/api/v1/staff/questions/").status_code == 403
