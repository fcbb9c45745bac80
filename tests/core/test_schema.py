"""The OpenAPI schema is the contract: it validates, and it says what the API does."""

import pytest
import yaml
from django.core.management import call_command
from openapi_spec_validator import validate

from tests.meetings.factories import make_meeting


@pytest.fixture
def schema(db, tmp_path) -> dict:
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    return yaml.safe_load(target.read_text())


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_openapi_schema_passes_the_openapi_spec_validator(schema):
    validate(schema)  # raises on the first error, e.g. a `format: email` with `default: ''`
    assert "/api/v1/territories/" in schema["paths"]


def test_every_operation_documents_its_errors_in_the_one_error_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    for name, operation in operations(schema):
        responses = operation["responses"]
        assert {"400", "429"} <= set(responses), name
        if "{" in name:
            assert "404" in responses, name
        if not name.startswith("GET") or "/staff/" in name:
            assert "403" in responses, name
        if not name.startswith("GET"):
            assert "409" in responses, name
        for code, response in responses.items():
            if code >= "400":
                assert response["content"]["application/json"]["schema"] == error, (name, code)
        assert responses["429"]["headers"]["Retry-After"]["required"] is True, name


def test_every_list_pages_by_the_one_documented_cursor(schema):
    lists = [
        (name, op)
        for name, op in operations(schema)
        if {"$ref": "#/components/parameters/Cursor"} in op.get("parameters", [])
    ]
    assert len(lists) == 12  # every list but the categories (a short fixed list, unpaged)
    for name, operation in lists:
        assert {"$ref": "#/components/parameters/PageSize"} in operation["parameters"], name
        body = operation["responses"]["200"]["content"]["application/json"]["schema"]
        component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
        assert {"next", "previous"} <= set(component["properties"]), name
        assert "count" not in component["properties"], name
    page_size = schema["components"]["parameters"]["PageSize"]["schema"]
    assert (page_size["minimum"], page_size["maximum"]) == (1, 200)


def test_what_can_be_null_is_nullable_and_contacts_are_not_blank(schema):
    components = schema["components"]["schemas"]
    assert components["Territory"]["properties"]["parent"]["nullable"] is True
    submit = components["QuestionSubmitRequest"]
    assert "default" not in submit["properties"]["contact_email"]
    assert "At least one of `contact_email`, `contact_phone`" in submit["description"]
    assert "At least one of `email`, `phone`" in components["RegistrationInputRequest"]["description"]


def test_the_interactive_docs_are_served(client, db):
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/meetings/", "/api/v1/questions/", "/api/v1/reports/", "/api/v1/territories/"]
)
@pytest.mark.parametrize("cursor", ["", "not-a-cursor", "bzEy"])
def test_a_bad_cursor_is_the_same_400_on_every_list(client, db, path, cursor):
    response = client.get(path, {"cursor": cursor}, headers={"accept-language": "ru"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["Недопустимый курсор: используйте ссылки из «next» и «previous»."]}


@pytest.mark.parametrize("size", ["0", "-5", "201", "1e3", "abc"])
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_page_size_outside_1_to_200_is_a_400_that_says_the_range(client, db, size, language):
    response = client.get("/api/v1/action-items/", {"page_size": size}, headers={"accept-language": language})
    assert response.status_code == 400
    message = response.json()["errors"]["page_size"][0]
    assert "200" in message and ("1-ден" in message if language == "kk" else "от 1 до 200" in message)


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/v1/meetings/", "territory="),
        ("/api/v1/meetings/", "date_from=&date_to="),
        ("/api/v1/questions/", "q="),
        ("/api/v1/territories/", "kato="),
        ("/api/v1/akims/", "current="),
        ("/api/v1/reports/", "period="),
    ],
)
def test_an_empty_filter_is_a_400_not_no_filter(client, db, path, query):
    response = client.get(f"{path}?{query}", headers={"accept-language": "kk"})
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) <= {"territory", "date_from", "date_to", "q", "kato", "current", "period"}


def test_a_state_conflict_is_a_409(client, db, almaly, almaly_staff):
    meeting = make_meeting(almaly, status="cancelled")
    client.force_login(almaly_staff)
    response = client.post(
        f"/api/v1/staff/meetings/{meeting.pk}/cancel/", {"reason": "Ауа райы"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["message"] and response.json()["errors"] == {}


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/v1/meetings/", "territory=atlantis"),
        ("/api/v1/questions/", "territory=atlantis&category=nothing&meeting=999999"),
        ("/api/v1/staff/questions/", "category=nothing"),
        ("/api/v1/reports/", "territory=atlantis&akim=999999"),
        ("/api/v1/action-plans/", "territory=atlantis"),
        ("/api/v1/action-items/", "territory=atlantis"),
        ("/api/v1/open-data/questions/", "territory=atlantis"),
        ("/api/v1/territories/", "within=999999"),
    ],
)
def test_a_filter_naming_no_row_gives_an_empty_list(client, almaly, almaly_staff, path, query):
    make_meeting(almaly)
    client.force_login(almaly_staff)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []


def test_the_mandate_of_a_territory_that_does_not_exist_is_a_404(client, db):
    response = client.get("/api/v1/mandate/?territory=atlantis")
    assert response.status_code == 404 and set(response.json()) == {"message", "errors"}
