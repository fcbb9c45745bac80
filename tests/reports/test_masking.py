"""Reports are masked when written: a phone, an IIN or an email a writer pastes into a title,
lead, body or photo description is stored as a marker, so the pages, the feed, the API and the
stored search document never hold it; editors see the markers as labels and save them back."""

from io import StringIO

from django.core.management import call_command

from core.masking import EMAIL, IIN, MARKERS, PHONE
from reports import services
from reports.models import Report, ReportEvent
from tests.reports.factories import make_report

PASTED = "Байланыс: +7 (727) 255-66-77, ЖСН 850715 304274, press@akimat.kz."
MASKED = f"Байланыс: {MARKERS[PHONE]}, ЖСН {MARKERS[IIN]}, {MARKERS[EMAIL]}."
SECRETS = ["255-66-77", "304274", "press@akimat.kz"]


def test_every_text_of_a_report_is_masked_when_written(almaly, almaly_staff):
    report = services.report_create(
        actor=almaly_staff,
        unit=almaly,
        title_kk="Кездесу, тел. 8 701 234 56 78",
        title_ru="Встреча, тел. 8 701 234 56 78",
        lead_kk=PASTED,
        lead_ru=PASTED,
        body_kk=PASTED,
        body_ru=PASTED,
    )
    stored = Report.objects.get(pk=report.pk)
    assert (stored.lead_kk, stored.lead_ru, stored.body_kk, stored.body_ru) == (MASKED,) * 4
    assert stored.title_kk == f"Кездесу, тел. {MARKERS[PHONE]}"
    assert "701" not in stored.slug  # the address is made from the masked title
    services.report_update(report=stored, actor=almaly_staff, body_kk=f"Жаңа: {PASTED}")
    assert Report.objects.get(pk=report.pk).body_kk == f"Жаңа: {MASKED}"


def test_readers_see_labels_in_their_language_everywhere(client, almaly, almaly_staff):
    report = make_report(
        almaly, almaly_staff, title_kk="Есеп: 8 701 234 56 78", lead_kk=PASTED, body_kk=PASTED, body_ru=PASTED
    )
    page = client.get(f"/kk/reports/{report.slug}/").content.decode()
    assert "Байланыс: [нөмір жасырылған], ЖСН [ЖСН жасырылған], [пошта жасырылған]." in page
    assert "<title>Есеп: [нөмір жасырылған]" in page
    feed = client.get("/ru/reports/feed.atom").content.decode()
    api = client.get(f"/api/v1/reports/{report.slug}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert api["lead_kk"] == "Байланыс: [номер скрыт], ЖСН [ИИН скрыт], [почта скрыта]."
    assert "[номер скрыт]" in api["title_kk"] and "[номер скрыт]" in api["body_html"]
    for body in (page, feed, str(api)):
        assert [secret for secret in SECRETS if secret in body] == []
        assert "\ue101" not in body and "\ue102" not in body and "\ue103" not in body


def test_the_editor_sees_labels_and_saving_them_back_changes_nothing(client, almaly, almaly_staff):
    report = make_report(almaly, almaly_staff, publish=False, body_kk=PASTED, body_ru=PASTED)
    client.force_login(almaly_staff)
    page = client.get(f"/ru/reports/staff/{report.pk}/")
    form = page.context["form"]
    assert form.initial["body_kk"] == "Байланыс: [номер скрыт], ЖСН [ИИН скрыт], [почта скрыта]."
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(f"/ru/reports/staff/{report.pk}/", data)
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).body_kk == MASKED
    assert not ReportEvent.objects.filter(report=report, kind=ReportEvent.Kind.UPDATED).exists()


def test_remask_masks_reports_written_before_a_rule(almaly, almaly_staff):
    report = make_report(almaly, almaly_staff)
    Report.objects.filter(pk=report.pk).update(body_ru=PASTED)  # as if stored before the rule
    out = StringIO()
    call_command("remask_public_text", stdout=out)
    assert Report.objects.get(pk=report.pk).body_ru == MASKED
    assert "reports.Report: 1 rows read, 1 changed" in out.getvalue()
