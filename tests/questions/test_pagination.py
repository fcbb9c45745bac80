"""Public lists walk newer / older pages by cursor: no page numbers, no COUNT(*)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from questions import views
from questions.models import Question
from tests.questions import factories

NEXT = re.compile(r'rel="next" href="\?([^"]*)"')
PREV = re.compile(r'rel="prev" href="\?([^"]*)"')


@pytest.fixture
def seven(almaly, almaly_staff, water, monkeypatch):
    """Seven published questions, one hour apart, newest last created; pages of three."""
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    questions = [factories.accepted(almaly, almaly_staff) for _ in range(7)]
    start = timezone.now() - timedelta(days=1)
    for hours, question in enumerate(questions):
        Question.objects.filter(pk=question.pk).update(created_at=start + timedelta(hours=hours))
    return list(reversed(questions))  # newest first, as the list shows them


def shown(html: str, questions) -> list:
    """The questions on the page, in the order they appear."""
    at = {q.pk: html.find(f'href="{q.get_absolute_url()}"') for q in questions}
    return [q for q in sorted(questions, key=lambda q: at[q.pk]) if at[q.pk] >= 0]


def page(client, base: str, query: str = ""):
    html = client.get(base + ("?" + query.replace("&amp;", "&") if query else "")).content.decode()
    older, newer = NEXT.search(html), PREV.search(html)
    return html, older[1] if older else None, newer[1] if newer else None


def test_the_first_page_shows_the_newest_and_links_only_to_older(client, almaly, seven):
    html, older, newer = page(client, f"/kk/questions/territory/{almaly.slug}/")
    assert shown(html, seven) == seven[:3]
    assert older and newer is None
    assert "?page=" not in html


def test_older_then_newer_pages_walk_the_list_both_ways(client, almaly, seven):
    base = f"/kk/questions/territory/{almaly.slug}/"
    html, older, _newer = page(client, base)
    html, older, newer = page(client, base, older)
    assert shown(html, seven) == seven[3:6]
    html, last_older, last_newer = page(client, base, older)
    assert shown(html, seven) == seven[6:]
    assert last_older is None and last_newer
    html, _older, _newer = page(client, base, last_newer)
    assert shown(html, seven) == seven[3:6]
    html, _older, back = page(client, base, newer)
    assert shown(html, seven) == seven[:3] and back is None


def test_pages_keep_the_filters(client, almaly, seven):
    _html, older, _newer = page(client, "/kk/questions/", f"unit={almaly.slug}&status=accepted")
    assert "status=accepted" in older and f"unit={almaly.slug}" in older
    assert shown(page(client, "/kk/questions/", older)[0], seven) == seven[3:6]


def test_questions_with_the_same_timestamp_are_neither_skipped_nor_repeated(client, almaly, seven):
    Question.objects.update(created_at=timezone.now() - timedelta(hours=1))
    base = f"/kk/questions/territory/{almaly.slug}/"
    seen, query = [], ""
    for _ in range(5):
        html, query, _newer = page(client, base, query)
        seen += [q.pk for q in shown(html, seven)]
        if not query:
            break
    assert sorted(seen) == sorted(q.pk for q in seven) and len(seen) == len(set(seen))
    assert seen == sorted(seen, reverse=True)  # the id breaks the tie, newest id first


@pytest.mark.parametrize(
    ("lang", "message"),
    [("kk", "Бұл бет сілтемесі бұзылған немесе ескірген"), ("ru", "Ссылка на страницу повреждена или устарела")],
)
@pytest.mark.parametrize("cursor", ["garbage", "Ynxub3QtYS1kYXRlfDE", "YXwyMDI1LTAxLTAxVDAwOjAwOjAwfDE"])
def test_a_broken_cursor_shows_the_first_page_with_a_message(client, almaly, seven, lang, message, cursor):
    response = client.get(f"/{lang}/questions/territory/{almaly.slug}/?cursor={cursor}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert shown(html, seven) == seven[:3]


def test_a_cursor_with_a_nul_character_is_refused_before_the_list(client, almaly, seven):
    # No parameter can hold one (core.query.QueryStringGuard): a 400 page, in the reader's language.
    response = client.get(f"/ru/questions/territory/{almaly.slug}/?cursor=%00")
    assert response.status_code == 400 and "символ" in response.content.decode()


def test_the_meeting_s_question_list_pages_by_cursor_too(client, almaly, almaly_staff, water, monkeypatch):
    from tests.meetings.factories import make_meeting

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    meeting = make_meeting(almaly)
    first = factories.accepted(almaly, almaly_staff, meeting=meeting)
    second = factories.accepted(almaly, almaly_staff, meeting=meeting)
    html, older, _newer = page(client, f"/ru/questions/meeting/{meeting.pk}/")
    assert shown(html, [first, second]) == [second]
    assert shown(page(client, f"/ru/questions/meeting/{meeting.pk}/", older)[0], [first, second]) == [first]


# --- API -----------------------------------------------------------------------------------------


def test_the_api_walks_pages_with_next_and_previous(client, almaly, seven):
    body = client.get("/api/v1/questions/?page_size=3").json()
    assert set(body) == {"next", "previous", "results"}
    assert [row["id"] for row in body["results"]] == [q.pk for q in seven[:3]]
    assert body["previous"] is None
    second = client.get(body["next"]).json()
    assert [row["id"] for row in second["results"]] == [q.pk for q in seven[3:6]]
    third = client.get(second["next"]).json()
    assert [row["id"] for row in third["results"]] == [seven[6].pk] and third["next"] is None
    back = client.get(third["previous"]).json()
    assert [row["id"] for row in back["results"]] == [q.pk for q in seven[3:6]]
    first = client.get(second["previous"]).json()
    assert [row["id"] for row in first["results"]] == [q.pk for q in seven[:3]] and first["previous"] is None


def test_the_api_walks_equal_timestamps_without_repeats(client, almaly, seven):
    Question.objects.update(created_at=timezone.now())
    url, seen = "/api/v1/questions/?page_size=2", []
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(q.pk for q in seven)[::-1]


@pytest.mark.parametrize(("lang", "word"), [("kk", "курсор"), ("ru", "курсор")])
def test_a_broken_api_cursor_is_a_400_in_the_request_language(client, almaly, seven, lang, word):
    response = client.get("/api/v1/questions/?cursor=garbage", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 400
    body = response.json()
    assert "cursor" in body["errors"]
    assert word in str(body["errors"]["cursor"]).lower()


def test_the_staff_api_pages_by_cursor(client, almaly, almaly_staff, seven):
    client.force_login(almaly_staff)
    body = client.get("/api/v1/staff/questions/?page_size=4").json()
    assert [row["id"] for row in body["results"]] == [q.pk for q in seven[:4]]
    rest = client.get(body["next"]).json()
    assert [row["id"] for row in rest["results"]] == [q.pk for q in seven[4:]] and rest["next"] is None
    assert client.get("/api/v1/staff/questions/?cursor=%21%21").status_code == 400
