import xml.etree.ElementTree as ET

import pytest

from tests.reports.conftest import SECRETS
from tests.reports.factories import make_report

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def assert_valid_atom(content: bytes) -> ET.Element:
    """The required elements of RFC 4287: feed id, title, updated, author (feed or entries),
    and per entry id, title, updated and an alternate link."""
    root = ET.fromstring(content)  # noqa: S314 - our own response
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None and root.find(f"{ATOM}{name}").text
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    feed_author = root.find(f"{ATOM}author/{ATOM}name")
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
        assert feed_author is not None or entry.find(f"{ATOM}author/{ATOM}name") is not None
    return root


def test_the_territory_feed_validates_as_atom_and_holds_only_its_subtree(client, almaly, medeu, almaty_staff):
    mine = make_report(almaly, almaty_staff, title_ru="Отчёт Алмалы", lead_ru="<b>Анонс</b> встречи")
    make_report(medeu, almaty_staff, title_ru="Отчёт Медеу")
    make_report(almaly, almaty_staff, title_ru="Черновик", publish=False)

    response = client.get("/ru/reports/feed/almaty-almaly.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = assert_valid_atom(response.content)
    titles = [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")]
    assert titles == ["Отчёт Алмалы"]
    assert mine.slug in root.find(f"{ATOM}entry/{ATOM}link").get("href")


def test_the_feed_of_everything_validates_and_leaks_nothing(client, published_world):
    content = client.get("/kk/reports/feed.atom").content
    assert_valid_atom(content)
    for secret in SECRETS:
        assert secret not in content.decode()


def test_the_sitemap_lists_reports_in_both_languages(client, published_world):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    slug = published_world["report"].slug
    assert any(f"/kk/reports/{slug}/" in loc for loc in locations)
    assert any(f"/ru/reports/{slug}/" in loc for loc in locations)
