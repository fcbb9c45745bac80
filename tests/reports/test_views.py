import pytest
from django.urls import reverse
from django.utils import translation

from reports.models import ActionItem, Report
from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

pytestmark = pytest.mark.django_db


def url(name, language="kk", **kwargs):
    with translation.override(language):
        return reverse(f"reports:{name}", kwargs=kwargs or None)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_report_list_filters_by_district(client, almaly, medeu, almaty_staff, language):
    in_almaly = make_report(almaly, almaty_staff, title_kk="Алмалы есебі", title_ru="Отчёт Алмалы")
    make_report(medeu, almaty_staff, title_kk="Медеу есебі", title_ru="Отчёт Медеу")
    response = client.get(url("list", language), {"territory": "almaty-almaly"})
    assert response.status_code == 200
    assert in_almaly.get_absolute_url().split("/", 2)[2] in response.content.decode()
    page = response.content.decode()
    assert ("Алмалы есебі" if language == "kk" else "Отчёт Алмалы") in page
    assert "Медеу есебі" not in page and "Отчёт Медеу" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"territory": "atlantis"}, "Мұндай аумақ жоқ"),
        ({"period": "2025-Q7"}, "2025-Q3"),
        ({"kind": "party"}, "Кездесудің мұндай түрі жоқ"),
    ],
)
def test_a_bad_filter_is_explained_and_ignored(client, almaly, almaly_staff, params, message):
    make_report(almaly, almaly_staff)
    response = client.get(url("list"), params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "1 есеп" in page  # the other filters (none) still apply


def test_the_report_page_shows_figures_a_chart_a_timeline_and_masked_questions(client, almaly, almaly_staff):
    meeting = held_meeting(almaly)
    make_question(almaly, meeting=meeting, text="Менің телефоным +7 701 234 56 78, жол жөнделсін.")
    report = make_report(almaly, almaly_staff, meeting=meeting)
    with translation.override("ru"):
        response = client.get(report.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="received">1<' in page
    assert "<svg" in page and "bar-chart" in page
    assert "Опубликован" in page or "опубликован" in page
    assert "+7 701" not in page and "[номер скрыт]" in page
    assert "Житель" in page
    assert 'property="og:title"' in page


def test_a_draft_is_not_public_but_staff_can_preview_it(client, almaly, almaly_staff):
    report = make_report(almaly, almaly_staff, publish=False)
    assert client.get(url("detail", slug=report.slug)).status_code == 404
    client.force_login(almaly_staff)
    response = client.get(url("staff-preview", pk=report.pk))
    assert response.status_code == 200 and "noindex" in response.content.decode()


def test_the_search_page_finds_content_written_only_in_the_other_language(client, almaly, almaly_staff):
    make_report(
        almaly, almaly_staff, title_kk="", lead_kk="", body_kk="", title_ru="Водопровод", body_ru="Замена водопровода"
    )
    response = client.get(url("search", "kk"), {"q": "водопровод"})
    assert "Водопровод" in response.content.decode()
    assert "орыс тілінде" in response.content.decode()  # marked as shown in Russian


def test_the_scorecard_rejects_a_bad_period_with_a_message(client, almaly):
    response = client.get(url("scorecard", "ru", slug="almaty-almaly"), {"period": "вчера"})
    assert response.status_code == 400
    assert "2025-Q3" in response.content.decode()
    assert client.get(url("scorecard", slug="nowhere")).status_code == 404


def test_plan_pages_show_items_at_risk(client, almaly, almaly_staff):
    from datetime import timedelta

    from django.utils import timezone

    plan = make_plan(almaly, almaly_staff)
    make_item(plan, almaly_staff, due_on=timezone.localdate() - timedelta(days=2))
    response = client.get(url("plan", "ru", pk=plan.pk))
    assert "под угрозой" in response.content.decode()
    assert client.get(url("plans", "ru")).status_code == 200


# --- Staff --------------------------------------------------------------------------------


def test_staff_write_and_publish_a_report_through_the_pages(client, almaly, almaly_staff):
    meeting = held_meeting(almaly)
    client.force_login(almaly_staff)
    response = client.post(
        url("staff-create"),
        {"unit": "almaty-almaly", "meeting": meeting.pk, "title_kk": "Есеп", "body_kk": "## Қорытынды\n\nМәтін"},
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == url("staff-edit", pk=report.pk)
    client.post(url("staff-publish", pk=report.pk))
    assert Report.objects.get().status == "published"


def test_staff_of_another_district_get_404_and_nothing_changes(client, almaly, medeu, medeu_staff, almaly_staff):
    report = make_report(almaly, almaly_staff)
    item = make_item(make_plan(almaly, almaly_staff), almaly_staff)
    client.force_login(medeu_staff)
    assert client.get(url("staff-edit", pk=report.pk)).status_code == 404
    assert client.post(url("staff-unpublish", pk=report.pk), {"reason": "Бөтен есеп"}).status_code == 404
    assert client.post(url("staff-item-progress", pk=item.pk), {"progress": 50}).status_code == 404
    response = client.post(url("staff-create"), {"unit": "almaty-almaly", "title_kk": "Бөтен"})
    assert response.status_code == 400  # the territory is not among the user's choices
    assert Report.objects.get().status == "published"
    assert ActionItem.objects.get().progress == 0
    assert Report.objects.count() == 1


def test_a_resident_cannot_open_the_workspace(client, resident):
    client.force_login(resident)
    assert client.get(url("staff-list")).status_code == 403


def test_a_bad_progress_is_explained_in_russian_and_changes_nothing(client, almaly, almaly_staff):
    item = make_item(make_plan(almaly, almaly_staff), almaly_staff)
    client.force_login(almaly_staff)
    response = client.post(url("staff-item-progress", "ru", pk=item.pk), {"progress": "150"})
    assert response.status_code == 400
    assert "от 0 до 99" in response.content.decode()
    assert ActionItem.objects.get().progress == 0


def test_a_bad_cover_upload_is_explained_and_changes_nothing(client, almaly, almaly_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = make_report(almaly, almaly_staff)
    client.force_login(almaly_staff)
    fake = SimpleUploadedFile("cover.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post(url("staff-cover", "ru", pk=report.pk), {"cover": fake, "cover_alt_ru": "Зал"})
    assert response.status_code == 400
    assert "JPEG, PNG или WebP" in response.content.decode()
    assert not Report.objects.get().cover


def test_staff_manage_a_plan_and_its_items_in_the_workspace(client, almaly, almaly_staff):
    client.force_login(almaly_staff)
    response = client.post(
        url("staff-plans"),
        {"unit": "almaty-almaly", "title_kk": "2025 жоспары", "period_start": "2025-01-01", "period_end": "2025-12-31"},
    )
    assert response.status_code == 302
    plan_pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    response = client.post(
        url("staff-plan", pk=plan_pk),
        {"title_kk": "Жол жөндеу", "due_on": "2025-10-01", "budget": "15000000", "funding": "local_budget"},
    )
    item = ActionItem.objects.get()
    assert response.status_code == 302 and str(item.budget) == "15000000.00"
    client.post(url("staff-item-progress", pk=item.pk), {"progress": "60"})
    client.post(url("staff-item-done", pk=item.pk), {"note": "Бітті"})
    item.refresh_from_db()
    assert (item.status, item.progress) == ("done", 100)
    assert client.get(url("staff-item", pk=item.pk)).status_code == 200


def test_the_scorecard_says_too_few_cases_once_per_table_and_marks_the_cells(client, almaly, medeu):
    for slug in ("water", "roads", "gas"):
        make_question(almaly, status="answered", outcome="resolved", slug=slug)
    make_question(medeu, status="answered", outcome="explained")
    page = client.get(url("scorecard", "ru", slug="almaty-almaly")).content.decode()
    # Three topics and two territories, each share from one case: the note is said once under
    # each table; the headline's share keeps its own warning.
    assert page.count('few-note"') == 2
    assert page.count("Меньше 20 случаев: слишком мало, чтобы сравнивать долю") == 2
    assert page.count('class="few-cases"') == 1
    assert page.count('<span class="few-mark" aria-hidden="true">*</span><span class="visually-hidden">') == 3 + 2
