import csv
import io
import json

import pytest
from openpyxl import load_workbook

from reports import exports
from tests.reports.conftest import SECRETS

pytestmark = pytest.mark.django_db

EXPECTED_COLUMNS = {
    "meetings": "id url territory_slug territory_kato territory_name_kk territory_name_ru kind status title_kk "
    "title_ru starts_at ends_at host_akim venue capacity attendance report_url",
    "questions": "id url territory_slug territory_kato territory_name_kk territory_name_ru category language source "
    "status outcome created_on due_on answered_on answered_on_the_spot meeting_id support_count text answer",
    "outcomes": "meeting_id meeting_url territory_slug territory_kato territory_name_kk territory_name_ru kind held_on "
    "attendance as_of received online at_meeting at_reception answered_on_the_spot needing_action resolved "
    "explained planned forwarded still_open overdue median_working_days",
    "action-items": "id url plan_id plan_title_kk plan_title_ru territory_slug territory_kato territory_name_kk "
    "territory_name_ru title_kk title_ru department responsible due_on budget_kzt funding status progress_percent "
    "completed_on at_risk question_ids",
}


# Datasets that apps building on reports add (exports.register); their own tests hold their columns.
REGISTERED = {"cycles"}


def test_the_columns_are_a_stable_contract():
    columns = {name: " ".join(c.name for c in d.columns) for name, d in exports.DATASETS.items()}
    assert {name: text for name, text in columns.items() if name not in REGISTERED} == EXPECTED_COLUMNS
    assert set(columns) == set(EXPECTED_COLUMNS) | REGISTERED


@pytest.mark.parametrize("dataset", list(EXPECTED_COLUMNS))
def test_every_export_parses_keeps_its_columns_and_holds_no_contact_data(client, published_world, dataset):
    columns = EXPECTED_COLUMNS[dataset].split()

    response = client.get(f"/ru/reports/open-data/{dataset}.csv", {"territory": "almaty-almaly"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == columns and len(rows) >= 2
    csv_text = text

    body = json.loads(client.get(f"/ru/reports/open-data/{dataset}.json", {"territory": "almaty-almaly"}).content)
    assert [column["name"] for column in body["columns"]] == columns
    assert body["rows"] and list(body["rows"][0]) == columns and body["territory"] == "almaty-almaly"

    response = client.get(f"/kk/reports/open-data/{dataset}.xlsx", {"territory": "almaty-almaly"})
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows[0] == columns and len(xlsx_rows) == len(rows)

    everything = (
        csv_text + json.dumps(body, ensure_ascii=False) + json.dumps(xlsx_rows, ensure_ascii=False, default=str)
    )
    for secret in SECRETS:
        assert secret not in everything


def test_the_outcomes_export_holds_the_meeting_figures(client, published_world):
    body = json.loads(client.get("/ru/reports/open-data/outcomes.json").content)
    row = body["rows"][0]
    assert (row["received"], row["needing_action"], row["planned"]) == (2, 2, 2)


def test_the_items_export_keeps_budgets_in_tenge_with_two_decimals(client, published_world):
    body = json.loads(client.get("/ru/reports/open-data/action-items.json").content)
    assert body["rows"][0]["budget_kzt"] == "1000000.00"
    assert body["rows"][0]["question_ids"] == " ".join(str(q.pk) for q in published_world["questions"])


def test_a_spreadsheet_formula_typed_by_a_resident_is_neutralised(client, almaly):
    from tests.reports.factories import make_question

    make_question(almaly, text='=HYPERLINK("http://evil.example","жол жөнделсін")')
    text = b"".join(client.get("/kk/reports/open-data/questions.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("query", [{"territory": "atlantis"}, {"period": "2025-Q9"}])
def test_bad_export_filters_get_a_translated_message(client, query):
    response = client.get("/ru/reports/open-data/meetings.csv", query)
    assert response.status_code == 400
    assert "Некоторые фильтры не распознаны" in response.content.decode()


def test_an_unknown_dataset_or_format_is_404(client, db):
    assert client.get("/kk/reports/open-data/people.csv").status_code == 404
    assert client.get("/kk/reports/open-data/meetings.pdf").status_code == 404
