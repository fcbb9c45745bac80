"""Open311 GeoReport v2 through Django's test client: what each method answers, in kk and ru,
and what it refuses, always in the spec's error list and never with a 5xx or an HTML page."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Message
from open311 import services
from open311.models import ApiKey, Submission
from questions import services as question_services
from questions.models import Question
from tests.questions import factories

V2 = "/open311/v2"
IIN = "900101300007"  # a valid IIN (its check digit is right), so masking finds it
PHONE = "+7 701 765 43 21"
EMAIL = "private.person@example.kz"


def parse(response):
    """The body as data, whatever the format: JSON as is, XML as an ElementTree root."""
    if response["Content-Type"].startswith("text/xml"):
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        return ET.fromstring(response.content)  # noqa: S314 - our own response
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def errors(response) -> list[dict]:
    body = parse(response)
    if isinstance(body, list):
        return body
    assert body.tag == "errors"
    return [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in body]


def post_request(client, raw_key, unit_id, fmt="json", **fields):
    data = {
        "api_key": raw_key,
        "jurisdiction_id": unit_id,
        "service_code": "water",
        "description": "Аулада үш күннен бері су жоқ, құбыр жарылған.",
        "first_name": "Айгерім",
        "last_name": "Сейітқызы",
        "email": "aigerim@example.kz",
    }
    data.update(fields)
    return client.post(f"{V2}/requests.{fmt}", {k: v for k, v in data.items() if v is not None})


# --- Discovery and services ----------------------------------------------------------------


def test_discovery_names_the_endpoint_and_both_formats(client, db):
    body = parse(client.get(f"{V2}/discovery.json"))
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = parse(client.get(f"{V2}/discovery.xml"))
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_are_the_active_categories_in_the_requests_language(client, water, roads):
    roads.is_active = False
    roads.save()
    kazakh = {s["service_code"]: s["service_name"] for s in parse(client.get(f"{V2}/services.json"))}
    assert kazakh["water"] == "Сумен жабдықтау" and "roads" not in kazakh
    russian = parse(client.get(f"{V2}/services.json?locale=ru"))
    assert {s["service_code"]: s["service_name"] for s in russian}["water"] == "Водоснабжение"
    by_header = parse(client.get(f"{V2}/services.xml", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9"))
    water_xml = next(s for s in by_header if s.findtext("service_code") == "water")
    assert water_xml.findtext("service_name") == "Водоснабжение"
    assert water_xml.findtext("metadata") == "false" and water_xml.findtext("type") == "batch"


def test_a_service_definition_has_no_attributes(client, water):
    assert parse(client.get(f"{V2}/services/water.json")) == {"service_code": "water", "attributes": []}
    root = parse(client.get(f"{V2}/services/water.xml"))
    assert root.tag == "service_definition" and [c.tag for c in root] == ["service_code", "attributes"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_error_list(client, db, fmt):
    response = client.get(f"{V2}/services/no-such-thing.{fmt}", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    [error] = errors(response)
    assert error["code"] == 404 and "service_code" in error["description"]


# --- Reading service requests --------------------------------------------------------------


@pytest.fixture
def world(almaty, almaly, medeu, almaly_staff, medeu_staff, energy_department, water, roads):
    """One question in every public state and some that must never be listed."""
    return {
        "accepted": factories.accepted(almaly, almaly_staff),
        "assigned": factories.assigned(almaly, almaly_staff, energy_department, category=roads),
        "answered": factories.answered(almaly, almaly_staff, energy_department),
        "in_medeu": factories.accepted(medeu, medeu_staff),
        "submitted": factories.submit(almaly),
        "new": factories.new(almaly),
        "rejected": question_services.question_reject(
            question=factories.new(almaly), actor=almaly_staff, reason=Question.RejectReason.SPAM
        ),
    }


def ids(response) -> set[int]:
    body = parse(response)
    if isinstance(body, list):
        return {item["service_request_id"] for item in body}
    return {int(item.findtext("service_request_id")) for item in body}


def test_only_published_questions_are_listed(client, world):
    public = {world[name].pk for name in ("accepted", "assigned", "answered", "in_medeu")}
    assert ids(client.get(f"{V2}/requests.json")) == public
    assert ids(client.get(f"{V2}/requests.xml")) == public
    for hidden in ("submitted", "new", "rejected"):
        assert client.get(f"{V2}/requests/{world[hidden].pk}.json").status_code == 404


def test_jurisdiction_is_a_territory_by_slug_or_kato_with_its_subtree(client, world):
    almaly = {world[name].pk for name in ("accepted", "assigned", "answered")}
    assert ids(client.get(f"{V2}/requests.json?jurisdiction_id=almaty-almaly")) == almaly
    assert ids(client.get(f"{V2}/requests.json?jurisdiction_id=751110000")) == almaly
    assert ids(client.get(f"{V2}/requests.json?jurisdiction_id=almaty")) == almaly | {world["in_medeu"].pk}
    response = client.get(f"{V2}/requests/{world['in_medeu'].pk}.json?jurisdiction_id=almaty-almaly")
    assert response.status_code == 404


def test_filters_by_status_service_and_ids(client, world):
    assert ids(client.get(f"{V2}/requests.json?status=closed")) == {world["answered"].pk}
    opened = {world[name].pk for name in ("accepted", "assigned", "in_medeu")}
    assert ids(client.get(f"{V2}/requests.json?status=open")) == opened
    assert ids(client.get(f"{V2}/requests.json?status=open,closed")) == opened | {world["answered"].pk}
    assert ids(client.get(f"{V2}/requests.json?service_code=roads")) == {world["assigned"].pk}
    wanted = f"{world['accepted'].pk},{world['answered'].pk},{world['new'].pk}"
    # service_request_id overrides the other filters; an unpublished number is simply absent.
    response = client.get(f"{V2}/requests.json?service_request_id={wanted}&status=open")
    assert ids(response) == {world["accepted"].pk, world["answered"].pk}


def test_dates_choose_the_period_up_to_90_days(client, world):
    old = world["accepted"]
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    assert old.pk not in ids(client.get(f"{V2}/requests.json"))  # the default: the last 90 days
    start = (timezone.now() - timedelta(days=125)).date().isoformat()
    assert old.pk in ids(client.get(f"{V2}/requests.json?start_date={start}T00:00:00Z"))
    response = client.get(f"{V2}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z")
    assert response.status_code == 400 and "90" in errors(response)[0]["description"]


def test_a_request_reads_from_public_copies_with_status_notes_and_agency(client, world):
    [answered] = parse(client.get(f"{V2}/requests/{world['answered'].pk}.json?locale=ru"))
    assert answered["status"] == "closed"
    assert answered["status_notes"].startswith("Решён") or answered["status_notes"].startswith("Решено")
    assert answered["agency_responsible"] == "Управление энергетики и водоснабжения"
    assert answered["address"] == "Алмалинский район, Алматы" and answered["address_id"] == "751110000"
    assert answered["requested_datetime"].endswith("+05:00")
    [assigned] = parse(client.get(f"{V2}/requests/{world['assigned'].pk}.json"))
    assert assigned["status"] == "open" and assigned["service_code"] == "roads"
    assert assigned["expected_datetime"].startswith(world["assigned"].due_on.isoformat())
    root = parse(client.get(f"{V2}/requests/{world['assigned'].pk}.xml"))
    assert root.tag == "service_requests" and root.find("request/status").text == "open"


def test_the_list_costs_the_same_queries_for_more_requests(client, world, almaly, almaly_staff):
    with CaptureQueriesContext(connection) as few:
        client.get(f"{V2}/requests.json")
    for _ in range(5):
        factories.answered(almaly, almaly_staff, world["answered"].department)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{V2}/requests.xml")
    assert len(ids(response)) == 9
    assert len(many) == len(few)


# --- Posting ---------------------------------------------------------------------------------


def test_a_post_becomes_a_question_awaiting_confirmation_as_from_the_form(client, almaly, water, raw_key):
    response = post_request(client, raw_key, "751110000", description=f"Су жоқ. Менің ЖСН {IIN}, телефон {PHONE}.")
    assert response.status_code == 201
    [answer] = parse(response)
    assert set(answer) == {"token", "service_notice", "account_id"}
    question = Question.objects.get()
    assert (question.status, question.unit, question.category) == (Question.Status.SUBMITTED, almaly, water)
    assert question.author_name == "Айгерім Сейітқызы" and question.contact_email == "aigerim@example.kz"
    assert IIN not in question.text_public and "765" not in question.text_public  # masked at write
    assert Submission.objects.get(token=answer["token"]).question == question
    assert answer["token"] != question.token  # the author's tracking secret stays the author's
    # The same confirmation message as the form's, in the request's language.
    confirmation = Message.objects.get(kind="questions.confirmation")
    assert confirmation.email == "aigerim@example.kz" and confirmation.language == "kk"


def test_the_token_gives_the_request_id_once_the_author_confirms(client, almaly, almaly_staff, water, raw_key):
    [answer] = parse(post_request(client, raw_key, "almaty-almaly"))
    token = answer["token"]
    assert parse(client.get(f"{V2}/tokens/{token}.json")) == [{"service_request_id": None, "token": token}]
    question = Submission.objects.get(token=token).question
    question_services.question_confirm_by_code(question=question, code=question_services.confirmation_code(question))
    assert parse(client.get(f"{V2}/tokens/{token}.json")) == [{"service_request_id": question.pk, "token": token}]
    root = parse(client.get(f"{V2}/tokens/{token}.xml"))
    assert root.find("request/service_request_id").text == str(question.pk)
    # Readable once staff publish it (accepted): only public questions are.
    assert client.get(f"{V2}/requests/{question.pk}.json").status_code == 404
    question_services.question_accept(question=question, actor=almaly_staff)
    assert parse(client.get(f"{V2}/requests/{question.pk}.json"))[0]["status"] == "open"
    assert client.get(f"{V2}/tokens/unknown-token.json").status_code == 404


@pytest.mark.parametrize(
    ("fields", "status", "names"),
    [
        ({"api_key": None}, 403, "api_key"),
        ({"api_key": "not-a-key"}, 403, "api_key"),
        ({"jurisdiction_id": None}, 400, "jurisdiction_id"),
        ({"jurisdiction_id": "999999999"}, 404, "jurisdiction_id"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "no-such-service"}, 404, "service_code"),
        ({"description": "short"}, 400, "description"),
        ({"first_name": None, "last_name": None}, 400, "first_name"),
        ({"email": None}, 400, "email"),
        ({"email": "not an email"}, 400, "email"),
        ({"email": None, "phone": "12"}, 400, "phone"),
        ({"first_name": "x" * 300}, 400, "first_name"),
        ({"locale": "en"}, 400, "locale"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_refused_post_says_why_and_writes_nothing(client, almaly, water, raw_key, fields, status, names, fmt):
    response = post_request(client, raw_key, "almaty-almaly", fmt=fmt, **fields)
    assert response.status_code == status
    [error] = errors(response)
    assert error["code"] == status and names in error["description"]
    assert not Question.objects.exists() and not Message.objects.exists() and not Submission.objects.exists()


def test_refusals_are_translated(client, almaly, water, raw_key):
    russian = post_request(client, raw_key, "almaty-almaly", description="мало", locale="ru")
    kazakh = post_request(client, raw_key, "almaty-almaly", description="аз")
    assert "символов" in errors(russian)[0]["description"]
    assert "таңба" in errors(kazakh)[0]["description"]
    missing = client.post(f"{V2}/requests.json", {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert missing.status_code == 403
    assert errors(missing)[0]["description"] != errors(client.post(f"{V2}/requests.json", {}))[0]["description"]


def test_a_revoked_key_is_refused(client, almaly, water, api_key):
    key, raw = api_key
    services.api_key_revoke(api_key=key)
    assert post_request(client, raw, "almaty-almaly").status_code == 403
    assert not ApiKey.objects.get(pk=key.pk).is_active and not Question.objects.exists()


def test_each_key_has_its_own_limit_and_refusals_do_not_count(client, almaly, water, settings):
    key = ApiKey(owner="Small app", requests_per_hour=2)
    raw = services.api_key_issue(api_key=key)
    assert post_request(client, raw, "almaty-almaly", description="аз").status_code == 400  # given back
    for n in range(2):
        assert post_request(client, raw, "almaty-almaly", email=f"r{n}@example.kz").status_code == 201
    refused = post_request(client, raw, "almaty-almaly", email="r9@example.kz", fmt="xml")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert errors(refused)[0]["code"] == 429
    other = ApiKey(owner="Other app")
    assert post_request(client, services.api_key_issue(api_key=other), "almaty-almaly").status_code == 201
    assert Question.objects.count() == 3


def test_the_forms_per_contact_limit_holds_across_keys(client, almaly, water, raw_key, settings):
    settings.QUESTIONS_RATE_LIMIT_PER_CONTACT = 1
    assert post_request(client, raw_key, "almaty-almaly", phone="+77011112233", email=None).status_code == 201
    again = post_request(client, raw_key, "almaty-almaly", phone="8 701 111 22 33", email=None)
    assert again.status_code == 429 and Question.objects.count() == 1


# --- Privacy ------------------------------------------------------------------------------------


def test_no_contact_or_iin_reaches_any_open311_answer(client, almaly, almaly_staff, energy_department, water, raw_key):
    text = f"Су жоқ. ЖСН {IIN}, телефон {PHONE}, пошта {EMAIL}."
    [answer] = parse(post_request(client, raw_key, "almaty-almaly", description=text, phone=PHONE, email=EMAIL))
    question = Submission.objects.get(token=answer["token"]).question
    question_services.question_confirm_by_code(question=question, code=question_services.confirmation_code(question))
    question_services.question_accept(question=question, actor=almaly_staff)
    question_services.question_assign(question=question, actor=almaly_staff, department=energy_department)
    question_services.question_answer(
        question=question, actor=almaly_staff, answer_text=f"Хабарласыңыз: {PHONE}.", outcome="resolved"
    )
    bodies = []
    for fmt in ("json", "xml"):
        for path in (
            f"requests.{fmt}",
            f"requests/{question.pk}.{fmt}",
            f"requests.{fmt}?service_request_id={question.pk}",
            f"tokens/{answer['token']}.{fmt}",
        ):
            response = client.get(f"{V2}/{path}")
            assert response.status_code == 200
            bodies.append(response.content.decode())
    assert any(str(question.pk) in body for body in bodies)
    everything = "\n".join(bodies) + json.dumps(answer, ensure_ascii=False)
    for secret in (IIN, "765 43 21", "7654321", EMAIL, "Айгерім", question.token):
        assert secret not in everything


# --- Never a 5xx, never HTML ------------------------------------------------------------------

HOSTILE = [
    "requests.json?service_request_id=99999999999999999999999",
    "requests.json?service_request_id=1,abc",
    "requests.json?service_request_id=-1",
    "requests.json?service_request_id=" + "9" * 5000,
    "requests.json?start_date=99999-01-01",
    "requests.json?start_date=2025-02-30T00:00:00Z",
    "requests.json?end_date=2025-01-01T00:00:00Z&start_date=2025-03-01T00:00:00Z",
    "requests.json?end_date=0001-01-01T00:00:00Z",
    "requests.xml?start_date=9999-12-31T00:00:00%2B05:00",
    "requests.json?start_date=2025-01-01T00:00:00%2B99:00",
    "requests.json?start_date=0001-01-01T00:00:00",
    "requests.json?start_date=0001-01-01",
    "requests.json?end_date=9999-12-31T23:59:59-05:00",
    "requests.json?service_code=" + ",".join(["water"] * 3000 + ["nothing"]),
    "requests.json?status=pending",
    "requests.json?service_code=%00",
    "requests.json?jurisdiction_id=%ff%fe",
    "requests.json?jurisdiction_id=" + "9" * 300,
    "requests.xml?jurisdiction_id=%3Cscript%3E",
    "requests/99999999999999999999999.json",
    "requests/0.xml",
    "services.json?jurisdiction_id=nowhere",
    "services.json?locale=%00",
    "services/x%00y.json",
    "tokens/" + "t" * 500 + ".json",
    "requests.html",
    "requests",
    "nothing/here",
]


@pytest.mark.parametrize("path", HOSTILE)
def test_hostile_input_gets_the_error_list_never_a_5xx_or_html(client, world, path):
    response = client.get(f"{V2}/{path}")
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert errors(response)[0]["code"] == response.status_code


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_405_with_allow(client, db, method):
    response = getattr(client, method)(f"{V2}/requests.xml")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert errors(response)[0]["code"] == 405
    assert client.post(f"{V2}/services.json").status_code == 405


def test_a_post_needs_no_csrf_token_but_a_key(almaly, water, raw_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post_request(strict, raw_key, "almaty-almaly").status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bug_is_still_answered_in_the_error_list_and_recorded(db, monkeypatch, fmt):
    from django.core.signals import got_request_exception
    from django.test import Client

    from open311 import selectors

    def broken():
        raise RuntimeError("a bug in a selector")

    monkeypatch.setattr(selectors, "services_offered", broken)
    recorded = []
    receiver = lambda sender, request, **kwargs: recorded.append(request.path)  # noqa: E731
    got_request_exception.connect(receiver)
    try:
        response = Client(raise_request_exception=False).get(f"{V2}/services.{fmt}", HTTP_ACCEPT_LANGUAGE="ru")
    finally:
        got_request_exception.disconnect(receiver)
    assert response.status_code == 500 and recorded == [f"{V2}/services.{fmt}"]
    [error] = errors(response)
    assert error["code"] == 500 and "ошибка" in error["description"]


def test_a_body_django_cannot_read_is_a_400_in_the_error_list(client, almaly, water, raw_key, settings):
    broken = client.post(f"{V2}/requests.xml", data=b"not a part", content_type="multipart/form-data; boundary=")
    assert broken.status_code == 400 and errors(broken)[0]["code"] == 400
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    crowded = client.post(f"{V2}/requests.json", {f"attribute[{n}]": "x" for n in range(10)} | {"api_key": raw_key})
    assert crowded.status_code == 400 and errors(crowded)[0]["code"] == 400
    assert not Question.objects.exists()
