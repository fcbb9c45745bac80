"""Our XML against the element structure of the spec's own examples (GeoReport v2 and Service
Discovery, wiki.open311.org): the same root, the same repeated element, the same children in
the same order; and the JSON as the same mapping (arrays for lists, the same keys).

The skeletons below restate the examples' tags (not their sample values): a changed or
misspelled element in our answers fails here, whatever the clients tolerate.
"""

import json
import xml.etree.ElementTree as ET

import pytest

from questions import services as question_services
from tests.questions import factories

V2 = "/open311/v2"

# "Example response" of each method: root, then each repeated element with its children in order.
SPEC = {
    "discovery": (
        "discovery",
        ["changeset", "contact", "key_service", "endpoints"],
        {
            "endpoints": ("endpoint", ["specification", "url", "changeset", "type", "formats"]),
            "formats": ("format", []),
        },
    ),
    "services": (
        "services",
        None,
        {
            "services": (
                "service",
                ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
            )
        },
    ),
    "service_definition": ("service_definition", ["service_code", "attributes"], {}),
    "requests": (
        "service_requests",
        None,
        {
            "service_requests": (
                "request",
                [
                    "service_request_id",
                    "status",
                    "status_notes",
                    "service_name",
                    "service_code",
                    "description",
                    "agency_responsible",
                    "service_notice",
                    "requested_datetime",
                    "updated_datetime",
                    "expected_datetime",
                    "address",
                    "address_id",
                    "zipcode",
                    "lat",
                    "long",
                    "media_url",
                ],
            )
        },
    ),
    # POST: service_request_id or, for a "batch" service, a token instead (never both).
    "posted": ("service_requests", None, {"service_requests": ("request", ["token", "service_notice", "account_id"])}),
    "token": ("service_requests", None, {"service_requests": ("request", ["service_request_id", "token"])}),
    "errors": ("errors", None, {"errors": ("error", ["code", "description"])}),
}


def assert_shape(root: ET.Element, name: str) -> None:
    tag, children, repeated = SPEC[name]
    assert root.tag == tag
    if children is not None:
        assert [child.tag for child in root] == children
    for element in root.iter():
        if element.tag in repeated:
            item, item_children = repeated[element.tag]
            assert element, f"<{element.tag}> is empty: nothing was compared"
            for child in element:
                assert child.tag == item
                if item_children:
                    assert [grandchild.tag for grandchild in child] == item_children


def assert_json_shape(body, name: str) -> None:
    tag, children, repeated = SPEC[name]
    if children is None:  # the root is a list: JSON is the array of its items
        _item, item_children = repeated[tag]
        assert isinstance(body, list) and body
        for entry in body:
            assert list(entry) == item_children
    else:
        assert list(body) == children


def fetch(client, path: str, fmt: str, method: str = "get", **data):
    response = getattr(client, method)(f"{V2}/{path}.{fmt}", data)
    assert response.status_code < 500
    expected = "text/xml; charset=utf-8" if fmt == "xml" else "application/json; charset=utf-8"
    assert response["Content-Type"] == expected
    if fmt == "xml":
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<')
        return ET.fromstring(response.content)  # noqa: S314 - our own response
    return json.loads(response.content)


@pytest.fixture
def posted(client, almaly, almaly_staff, energy_department, water, raw_key):
    factories.answered(almaly, almaly_staff, energy_department)
    factories.accepted(almaly, almaly_staff)
    data = {
        "api_key": raw_key,
        "jurisdiction_id": "almaty-almaly",
        "service_code": "water",
        "description": "Аулада су жоқ, құбыр жарылған.",
        "first_name": "Айгерім",
        "email": "aigerim@example.kz",
    }
    return data


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_every_answer_has_the_shape_of_the_spec_example(client, posted, fmt):
    check = assert_shape if fmt == "xml" else assert_json_shape
    check(fetch(client, "discovery", fmt), "discovery")
    check(fetch(client, "services", fmt), "services")
    check(fetch(client, "services/water", fmt), "service_definition")
    check(fetch(client, "requests", fmt), "requests")
    answer = fetch(client, "requests", fmt, "post", **posted)
    check(answer, "posted")
    token = answer.findtext("request/token") if fmt == "xml" else answer[0]["token"]
    check(fetch(client, f"tokens/{token}", fmt), "token")
    check(fetch(client, "services/none", fmt), "errors")
    check(fetch(client, "requests", fmt, "post", api_key="wrong"), "errors")


def test_xml_and_json_say_the_same_things(client, posted):
    """The JSON is the XML mapped by the spec's convention: same values, null for an empty
    element, numbers for ids and codes, true/false for booleans."""
    for path in ("services", "requests", "discovery", "services/water"):
        root, body = fetch(client, path, "xml"), fetch(client, path, "json")
        items = list(root) if isinstance(body, list) else [root]
        for element, entry in zip(items, body if isinstance(body, list) else [body], strict=True):
            for child in element:
                value = entry[child.tag]
                if isinstance(value, list):
                    continue
                text = child.text
                if value is None:
                    assert text is None
                elif isinstance(value, bool):
                    assert text == ("true" if value else "false")
                else:
                    assert text == (str(value) if value != "" else None)


def test_a_request_for_an_unconfirmed_token_holds_an_empty_id(client, posted):
    answer = fetch(client, "requests", "xml", "post", **posted)
    token = answer.findtext("request/token")
    root = fetch(client, f"tokens/{token}", "xml")
    assert_shape(root, "token")
    assert root.find("request/service_request_id").text is None
    question = question_services.Question.objects.get(open311_submission__token=token)
    question_services.question_confirm_by_code(question=question, code=question_services.confirmation_code(question))
    assert fetch(client, f"tokens/{token}", "xml").findtext("request/service_request_id") == str(question.pk)
