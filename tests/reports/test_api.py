import pytest

from reports.models import ActionItem, Report
from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

pytestmark = pytest.mark.django_db


def test_the_report_list_filters_and_searches(client, almaly, medeu, almaty_staff):
    make_report(almaly, almaty_staff, body_ru="Ремонт дороги на улице Абая")
    make_report(medeu, almaty_staff, body_ru="Про парки")
    body = client.get("/api/v1/reports/", {"territory": "almaty-almaly"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    assert len(body["results"]) == 1 and body["results"][0]["territory"]["slug"] == "almaty-almaly"
    assert len(client.get("/api/v1/reports/", {"q": "дорога"}).json()["results"]) == 1


def test_a_bad_filter_is_a_400_in_the_requests_language(client, db):
    response = client.get("/api/v1/reports/", {"period": "soon"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert "2025-Q3" in response.json()["errors"]["period"][0]


def test_the_report_detail_carries_the_figures_and_sanitised_html(client, almaly, almaly_staff):
    meeting = held_meeting(almaly)
    make_question(almaly, meeting=meeting)
    report = make_report(almaly, almaly_staff, meeting=meeting, body_kk="Мәтін <script>alert(1)</script>")
    body = client.get(f"/api/v1/reports/{report.slug}/").json()
    assert body["figures"]["received"] == 1 and body["figures"]["still_open"]["count"] == 1
    assert "<script" not in body["body_html"]
    assert client.get("/api/v1/reports/nope/").status_code == 404


def test_items_and_plans_are_public_and_filterable_by_risk(client, almaly, almaly_staff):
    from datetime import timedelta

    from django.utils import timezone

    plan = make_plan(almaly, almaly_staff)
    late = make_item(plan, almaly_staff, due_on=timezone.localdate() - timedelta(days=1))
    make_item(plan, almaly_staff)
    body = client.get("/api/v1/action-items/", {"at_risk": "true"}).json()
    assert [row["id"] for row in body["results"]] == [late.pk]
    plans = client.get("/api/v1/action-plans/").json()["results"]
    assert plans[0]["items_count"] == 2 and plans[0]["at_risk_count"] == 1


def test_open_data_in_the_api_has_the_documented_columns(client, published_world):
    body = client.get("/api/v1/open-data/questions/", {"territory": "almaty-almaly"}).json()
    assert len(body["results"]) == 2 and [c["name"] for c in body["columns"]][:3] == ["id", "url", "territory_slug"]
    first = client.get("/api/v1/open-data/questions/", {"territory": "almaty-almaly", "page_size": 1}).json()
    second = client.get(first["next"]).json()
    assert [first["results"][0]["id"], second["results"][0]["id"]] == [row["id"] for row in body["results"]]
    assert second["next"] is None and client.get(second["previous"]).json()["results"] == first["results"]
    assert client.get("/api/v1/open-data/people/").status_code == 404


def test_staff_write_through_the_api_and_outsiders_get_404(client, almaly, medeu, almaly_staff, medeu_staff):
    client.force_login(almaly_staff)
    response = client.post(
        "/api/v1/staff/reports/",
        {"unit": "almaty-almaly", "title_kk": "API есебі", "body_kk": "Мәтін"},
        "application/json",
    )
    assert response.status_code == 201
    report_id = response.json()["id"]
    assert client.post(f"/api/v1/staff/reports/{report_id}/publish/").json()["status"] == "published"
    assert (
        client.post(
            "/api/v1/staff/reports/", {"unit": "almaty-medeu", "title_kk": "Бөтен"}, "application/json"
        ).status_code
        == 404
    )

    client.force_login(medeu_staff)
    assert (
        client.patch(f"/api/v1/staff/reports/{report_id}/", {"title_kk": "Өзгерт"}, "application/json").status_code
        == 404
    )
    assert Report.objects.get(pk=report_id).title_kk == "API есебі"


def test_staff_keep_items_through_the_api(client, almaly, almaly_staff):
    plan = make_plan(almaly, almaly_staff)
    client.force_login(almaly_staff)
    response = client.post(
        f"/api/v1/staff/action-plans/{plan.pk}/items/",
        {"title_ru": "Освещение двора", "due_on": "2030-05-01", "budget": "2500000.00"},
        "application/json",
    )
    assert response.status_code == 201
    item_id = response.json()["id"]
    response = client.post(f"/api/v1/staff/action-items/{item_id}/progress/", {"progress": 120}, "application/json")
    assert response.status_code == 400
    client.post(f"/api/v1/staff/action-items/{item_id}/progress/", {"progress": 70}, "application/json")
    assert (
        client.post(f"/api/v1/staff/action-items/{item_id}/complete/", {}, "application/json").json()["status"]
        == "done"
    )
    assert ActionItem.objects.get().progress == 100


def test_anonymous_writes_are_refused(client, almaly):
    assert client.post("/api/v1/staff/reports/", {"unit": "almaty-almaly"}, "application/json").status_code == 403
