import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from questions.models import Question
from tests.reports.factories import held_meeting, make_question, make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_journalist_filters_by_district_opens_a_report_and_downloads_the_csv(
    live_server, page, almaty, almaly, medeu, almaty_staff
):
    meeting = held_meeting(almaly, attendance=240, title_ru="Отчётная встреча акима Алмалинского района")
    for status, outcome in (("answered", "resolved"), ("answered", "planned"), ("accepted", "")):
        make_question(almaly, meeting=meeting, status=status, outcome=outcome, slug="roads", language="ru",
                      text="Дорога на улице Толе би вся в ямах, когда ремонт?")  # fmt: skip
    make_question(almaly, meeting=meeting, status=Question.Status.ANSWERED, outcome="explained", on_the_spot=True)
    report = make_report(almaly, almaty_staff, meeting=meeting, title_ru="Аким Алмалинского района отчитался")
    make_report(medeu, almaty_staff, meeting=held_meeting(medeu), title_ru="Аким Медеуского района отчитался")

    page.goto(f"{live_server.url}/ru/reports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Отчёты о встречах"
    page.get_by_label("Территория").select_option("almaty-almaly")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**/ru/reports/?*territory=almaty-almaly*")
    assert "1 отчёт" in page.locator("#report-count").inner_text()
    assert page.get_by_role("link", name="Аким Медеуского района отчитался").count() == 0

    page.get_by_role("link", name="Аким Алмалинского района отчитался").click()
    page.wait_for_url(f"{live_server.url}/ru/reports/{report.slug}/")
    figures = page.locator(".figures")
    assert figures.get_by_role("heading", name="Цифры").is_visible()
    assert page.locator('[data-figure="attendance"]').inner_text() == "240"
    assert page.locator('[data-figure="received"]').inner_text() == "4"
    assert page.locator('[data-figure="on_the_spot"]').inner_text() == "1"
    assert page.locator('[data-figure="needing_action"]').inner_text() == "3"
    assert "n = 3: слишком мало случаев для сравнения" in figures.inner_text()
    chart = page.get_by_role("img", name="Вопросы по итогам")
    assert chart.is_visible() and page.locator("svg.bar-chart rect.bar").count() == 6
    # The chart's text alternative carries the numbers, for screen readers and search engines.
    assert (
        "решён 1; разъяснён 0; в плане 1; перенаправлено 0; ещё открыто 1"
        in page.locator("svg.bar-chart title").text_content()
    )

    page.get_by_role("link", name="Открытые данные").last.click()
    page.wait_for_url("**/ru/reports/open-data/?territory=almaty-almaly")
    with page.expect_download() as download_info:
        page.locator("#ds-questions").locator("..").get_by_role("link", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["id", "url", "territory_slug"]
    assert {row[2] for row in rows[1:]} == {"almaty-almaly"} and len(rows) == 5

    feed = page.request.get(f"{live_server.url}/ru/reports/feed/almaty-almaly.atom")
    root = ET.fromstring(feed.body())  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id").text
    assert [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")] == [
        "Аким Алмалинского района отчитался"
    ]
