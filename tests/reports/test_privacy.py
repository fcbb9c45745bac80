"""No public page, feed, export or API response of reports shows an author's contact, IIN,
name or address, whatever the question's text or the author's record holds."""

import pytest

from tests.reports.conftest import SECRETS

pytestmark = pytest.mark.django_db


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8", errors="replace")


def test_no_public_reports_page_feed_export_or_api_response_shows_personal_data(client, published_world):
    report, item, plan = published_world["report"], published_world["item"], published_world["plan"]
    urls = []
    for language in ("kk", "ru"):
        base = f"/{language}/reports"
        urls += [
            f"{base}/",
            f"{base}/?territory=almaty-almaly",
            f"{base}/{report.slug}/",
            f"{base}/search/?q=жол",
            f"{base}/search/?q=водопровод",
            f"{base}/territories/almaty-almaly/",
            f"{base}/territories/almaty/",
            f"{base}/plans/",
            f"{base}/plans/{plan.pk}/",
            f"{base}/items/{item.pk}/",
            f"{base}/open-data/",
            f"{base}/feed.atom",
            f"{base}/feed/almaty-almaly.atom",
        ]
        urls += [
            f"{base}/open-data/{name}.{fmt}"
            for name in ("meetings", "questions", "outcomes", "action-items")
            for fmt in ("csv", "json")
        ]
    urls += [
        "/api/v1/reports/",
        f"/api/v1/reports/{report.slug}/",
        "/api/v1/action-plans/",
        "/api/v1/action-items/",
        f"/api/v1/action-items/{item.pk}/",
        "/sitemap.xml",
    ]
    urls += [f"/api/v1/open-data/{name}/" for name in ("meetings", "questions", "outcomes", "action-items")]

    found_questions = False
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = _content(response)
        for secret in SECRETS:
            assert secret not in content, f"{secret} leaked on {url}"
        found_questions |= "Водопровод на улице прорвало" in content
    assert found_questions  # the questions themselves are published, only masked
