import csv
import io
import json

import pytest
from openpyxl import load_workbook

from cycles.exports import COLUMNS

pytestmark = pytest.mark.django_db

EXPECTED = [
    "id",
    "url",
    "territory_slug",
    "territory_kato",
    "territory_name_kk",
    "territory_name_ru",
    "kind",
    "number",
    "title_kk",
    "title_ru",
    "starts_on",
    "ends_on",
    "host_akim",
    "as_of",
    "meetings_planned",
    "meetings_held",
    "meetings_cancelled",
    "attendance",
    "received",
    "people_who_asked",
    "answered_on_the_spot",
    "needing_action",
    "satisfied",
    "explained",
    "needing_time",
    "forwarded",
    "still_open",
    "answered_within_month",
    "answered_within_half_year",
    "answered_within_year",
    "answered_after_year",
    "action_plans",
    "action_items",
    "action_items_done",
    "budget_kzt",
]


def test_the_columns_are_a_stable_contract():
    assert [column.name for column in COLUMNS] == EXPECTED


def test_the_cycles_dataset_in_every_format_holds_the_figures_and_no_personal_data(client, cycle_world):
    response = client.get("/ru/reports/open-data/cycles.csv", {"territory": "almaty"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["id"] == str(cycle_world.pk))
    assert (row["attendance"], row["received"], row["people_who_asked"], row["answered_on_the_spot"]) == (
        "500",
        "8",
        "6",
        "2",
    )
    assert row["budget_kzt"] == "2000000.50"

    body = json.loads(client.get("/kk/reports/open-data/cycles.json").content)
    assert [column["name"] for column in body["columns"]] == EXPECTED
    assert {r["needing_action"] for r in body["rows"] if r["id"] == cycle_world.pk} == {6}

    sheet = load_workbook(io.BytesIO(client.get("/kk/reports/open-data/cycles.xlsx").content), read_only=True).active
    assert list(next(sheet.iter_rows(values_only=True))) == EXPECTED

    everything = text + json.dumps(body, ensure_ascii=False)
    assert "a@x.kz" not in everything and "Айгерім Тестова" not in everything


def test_the_open_data_page_lists_the_dataset_in_both_languages(client, db):
    assert "cycles.csv" in client.get("/kk/reports/open-data/").content.decode()
    assert "cycles.csv" in client.get("/ru/reports/open-data/").content.decode()


def test_the_api_lists_cycles_with_their_figures_through_a_cursor(client, cycle_world):
    body = client.get("/api/v1/cycles/", {"page_size": 1}).json()
    assert body["results"][0]["slug"] == cycle_world.slug  # newest first
    assert body["results"][0]["figures"]["attendance"] == 500
    assert body["results"][0]["figures"]["answered_on_the_spot"] == {"count": 2, "total": 8, "percent": 25, "few": True}
    second = client.get(body["next"]).json()
    assert second["results"][0]["slug"] == "cycle-1"
    assert client.get("/api/v1/cycles/", {"cursor": "garbage"}).status_code == 400


def test_the_api_detail_has_territories_and_the_previous_cycle(client, cycle_world):
    body = client.get(f"/api/v1/cycles/{cycle_world.slug}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert body["previous_slug"] == "cycle-1"
    assert body["previous_figures"]["attendance"] == 100
    assert {row["territory_slug"] for row in body["territories"]} == {"almaty", "almaty-almaly", "almaty-medeu"}
    assert body["figures"]["people_who_asked"] == 6
    assert "a@x.kz" not in json.dumps(body)
    assert client.get("/api/v1/cycles/nothing/").status_code == 404


def test_the_cycle_list_runs_a_fixed_number_of_queries(client, cycle_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/api/v1/cycles/")
