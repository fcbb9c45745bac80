"""A search of the public questions pages through every match, recent and years old, newest
first, on both databases: the pages of a search first look at the last week and then at all
matches (core.pagination, sparse keyset pages)."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone

from core.pagination import SPARSE_WINDOW
from questions import views
from questions.models import Question
from tests.questions import factories
from tests.questions.test_pagination import page, shown


@pytest.fixture
def matches(almaly, almaly_staff, water, monkeypatch):
    """Five questions about a bridge (two this week, three older than the window) among others."""
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    now = timezone.now()
    ages = [
        timedelta(hours=1),
        timedelta(days=2),
        SPARSE_WINDOW + timedelta(days=1),
        timedelta(days=90),
        timedelta(days=700),
    ]
    found = []
    for age in ages:
        question = factories.accepted(almaly, almaly_staff, text="Ескі көпір сынып қалды, жөндеу керек.")
        other = factories.accepted(almaly, almaly_staff, text="Аулада жарық жоқ, шам қою керек.")
        Question.objects.filter(pk__in=[question.pk, other.pk]).update(created_at=now - age)
        found.append(question)
    return found  # newest first


def test_search_pages_show_every_match_once_newest_first(client, matches):
    seen, query = [], "q=көпір"
    for _ in range(5):
        html, older, _newer = page(client, "/kk/questions/", query)
        seen += shown(html, matches)
        if not older:
            break
        query = older
    assert seen == matches


def test_walking_back_from_the_last_page_of_a_search_returns_the_newer_matches(client, matches):
    _html, older, _ = page(client, "/kk/questions/", "q=көпір")
    html, older, _ = page(client, "/kk/questions/", older)
    html, older, newer = page(client, "/kk/questions/", older)
    assert shown(html, matches) == matches[4:] and older is None
    html, _older, _newer = page(client, "/kk/questions/", newer)
    assert shown(html, matches) == matches[2:4]


def test_the_search_api_pages_through_every_match(client, matches):
    url, seen = f"/api/v1/questions/?q={quote('көпір')}&page_size=2", []
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        assert len(seen) <= 5
    assert seen == [question.pk for question in matches]


def test_a_word_nobody_wrote_finds_nothing_and_says_so(client, matches):
    response = client.get("/ru/questions/?q=дирижабль")
    assert response.status_code == 200
    assert shown(response.content.decode(), matches) == []
