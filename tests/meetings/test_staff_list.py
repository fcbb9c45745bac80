"""The staff list of meetings at national scale: keyset pages over the territories the role
covers, and a fixed number of queries whatever the number of meetings."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from tests.meetings.factories import make_meeting, make_registration

URL = "/kk/meetings/staff/"


def _ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/kk/meetings/staff/(\d+)/"', html)]


def _next(html: str) -> str | None:
    found = re.search(r'rel="next" href="\?([^"]+)"', html)
    return f"{URL}?{found[1].replace('&amp;', '&')}" if found else None


def _spread(unit, n: int, start: int = 0) -> list[Meeting]:
    # Pairs share a start time: the primary key orders them.
    meetings = [make_meeting(unit, starts_at=timezone.now() + timedelta(days=(start + i) // 2)) for i in range(n)]
    for meeting in meetings:
        make_registration(meeting)
    return meetings


def test_next_pages_show_each_meeting_of_my_territories_once_latest_first(
    client, almaly, medeu, almaly_staff, monkeypatch
):
    from meetings import views

    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    mine = _spread(almaly, 7)
    _spread(medeu, 2)
    client.force_login(almaly_staff)
    seen, url = [], URL
    while url:
        html = client.get(url).content.decode()
        seen += _ids(html)
        url = _next(html)
        assert len(seen) <= 7
    expected = sorted(mine, key=lambda meeting: (meeting.starts_at, meeting.pk), reverse=True)
    assert seen == [meeting.pk for meeting in expected]


def test_a_broken_cursor_shows_the_first_page_with_a_message(client, almaly, almaly_staff):
    meeting = make_meeting(almaly)
    client.force_login(almaly_staff)
    response = client.get(f"{URL}?cursor=%%%")
    assert response.status_code == 200
    assert meeting.pk in _ids(response.content.decode()) and "not-recognised" in response.content.decode()


@pytest.mark.parametrize("who", ["almaly_staff", "almaty_staff"])
def test_the_staff_list_runs_a_fixed_number_of_queries(client, request, almaly, medeu, who, monkeypatch):
    from meetings import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(request.getfixturevalue(who))
    urls = [URL, f"{URL}?status=scheduled"]

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _spread(almaly, 3)
    _spread(medeu, 3)
    few = {url: queries(url) for url in urls}
    _spread(almaly, 6, start=3)
    _spread(medeu, 6, start=3)
    many = {url: queries(url) for url in urls}
    second = _next(client.get(URL).content.decode())
    assert few == many and max(many.values()) <= 12, many
    assert second and queries(second) <= 12
