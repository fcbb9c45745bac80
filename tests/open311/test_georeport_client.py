"""A client nobody here wrote, the `georeport` package from PyPI, against a live server.

georeport reads (services, a service definition, requests, one request) in JSON and XML but
cannot post ("GeoReport does not currently support the creation of new 311 service requests",
its README): the tests post with `requests`, as the spec describes a POST (form-encoded).
Parallel posts against one key's limit run in tests/core/test_limits_concurrency.py, against
gunicorn on both databases (the live server shares one SQLite connection between its threads).
"""

import re

import pytest
import requests
from django.conf import settings
from georeport import GeoReport

from open311 import services
from open311.models import ApiKey
from questions import services as question_services
from questions.models import Question
from tests.mail import delivered
from tests.questions.factories import category

pytestmark = pytest.mark.django_db(transaction=True)
TIMEOUT = 30


def _issue(owner: str, per_hour: int = 100) -> str:
    return services.api_key_issue(api_key=ApiKey(owner=owner, requests_per_hour=per_hour))


def _post(root: str, raw_key: str, **fields) -> requests.Response:
    data = {
        "api_key": raw_key,
        "jurisdiction_id": "almaty-almaly",
        "service_code": "water",
        "description": "Абай даңғылындағы үйімізде бір аптадан бері ыстық су жоқ.",
        "first_name": "Айгерім",
        "email": "aigerim@example.kz",
        **fields,
    }
    return requests.post(f"{root}/requests.{fields.pop('fmt', 'json')}", data=data, timeout=TIMEOUT)


def test_georeport_lists_services_and_follows_a_posted_request_to_closed(
    live_server, almaty, almaly, almaly_staff, energy_department
):
    # Two services at least, whatever an earlier browser test's flush left of the categories:
    # georeport parses XML with xmltodict, which reads a list of one <service> as a lone dict.
    category("water")
    category("roads")
    root = f"{live_server.url}/open311/v2"
    raw_key = _issue("GeoReport test")
    as_json = GeoReport(root, jurisdiction="almaty-almaly", api_key=raw_key)
    as_xml = GeoReport(root, jurisdiction="751110000", output_format="xml")

    services_json = {s["service_code"]: s["service_name"] for s in as_json.get_service_list()}
    services_xml = {s["service_code"]: s["service_name"] for s in as_xml.get_service_list()}
    assert services_json["water"] == services_xml["water"] == "Сумен жабдықтау"
    assert as_json.get_service_definition("water") == {"service_code": "water", "attributes": []}
    assert as_xml.get_service_definition("water")["service_code"] == "water"

    # Posting, in Russian: georeport cannot, so a plain HTTP client does.
    posted = _post(root, raw_key, locale="ru")
    assert posted.status_code == 201 and posted.headers["Content-Type"].startswith("application/json")
    [answer] = posted.json()
    assert "подтвержд" in answer["service_notice"]
    tokens = f"{root}/tokens/{answer['token']}.json"
    assert requests.get(tokens, timeout=TIMEOUT).json()[0]["service_request_id"] is None

    # The resident confirms as from the form: the link in the email, in the language they wrote in.
    [email] = [m for m in delivered() if m.to == ["aigerim@example.kz"]]
    assert "Подтвердите" in email.subject
    link = re.search(r"http\S+/confirm/\S+/", email.body).group()
    confirmed = requests.get(link.replace(settings.SITE_URL, live_server.url), timeout=TIMEOUT)
    assert confirmed.status_code == 200
    number = requests.get(tokens, timeout=TIMEOUT).json()[0]["service_request_id"]
    question = Question.objects.get(pk=number)
    assert question.status == Question.Status.NEW and question.language == "ru"

    # Staff publish and answer it; georeport reads its status as it changes.
    question_services.question_accept(question=question, actor=almaly_staff)
    assert as_json.get_service_request(str(number))["status"] == "open"
    assert as_xml.get_service_request(str(number))["status"] == "open"
    question_services.question_assign(question=question, actor=almaly_staff, department=energy_department)
    question_services.question_answer(
        question=question, actor=almaly_staff, answer_text="Су берілді.", outcome="resolved"
    )
    closed = as_json.get_service_requests(status="closed")
    assert [(r["service_request_id"], r["status"]) for r in closed] == [(number, "closed")]
    read_xml = as_xml.get_service_request(str(number))
    assert read_xml["status"] == "closed" and read_xml["agency_responsible"] == energy_department.name_kk
    assert as_xml.get_service_requests(service_request_id=str(number))["service_request_id"] == str(number)


def test_a_key_revoked_while_in_use_stops_at_once(live_server, almaty, almaly):
    category("water")
    root = f"{live_server.url}/open311/v2"
    raw_key = _issue("Retired app")
    assert _post(root, raw_key).status_code == 201
    services.api_key_revoke(api_key=ApiKey.objects.get())
    refused = _post(root, raw_key, email="second@example.kz")
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    assert Question.objects.count() == 1
