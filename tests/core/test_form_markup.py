"""The markup of pages with forms: every aria-describedby names an element that exists, and no id
is used twice — also on pages that repeat a form (a booking form per reception slot, the staff
actions on a question, the progress / done / cancel forms of a plan item)."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tests.demo_routes import complete_demo, demo_routes

FORM_PAGES = {
    "questions:ask",
    "questions:track",
    "questions:staff_detail",
    "questions:staff_enter",
    "meetings:detail",
    "meetings:staff-detail",
    "meetings:staff-create",
    "reports:staff-item",
    "reports:staff-edit",
    "notifications:preferences",
}


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.described_by: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids[attrs["id"]] += 1
        for target in (attrs.get("aria-describedby") or "").split():
            self.described_by.append((attrs.get("id") or tag, target))


def _problems(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    problems = [f'id "{name}" is used {count} times' for name, count in parser.ids.items() if count > 1]
    problems += [
        f"{owner} is described by #{target}, which is not on the page"
        for owner, target in parser.described_by
        if target not in parser.ids
    ]
    return problems


@pytest.fixture
def pages(db):
    call_command("seed_demo", verbosity=0)
    return [route for route in demo_routes(complete_demo()) if route.name in FORM_PAGES]


def test_pages_with_forms_have_unique_ids_and_descriptions_that_exist(pages):
    assert {route.name for route in pages} == FORM_PAGES
    problems, reception_forms = [], 0
    for route in pages:
        client = Client()
        if route.username:
            client.force_login(User.objects.get(username=route.username))
        for path in route.paths("ru"):
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            reception_forms = max(reception_forms, html.count('name="name"'))
            problems += [f"{path}: {problem}" for problem in _problems(html)]
    assert reception_forms > 2  # the reception page repeats its booking form

    # Sent back with errors: the fields point at their error messages too.
    response = Client().post("/ru/questions/ask/", {"text": "short", "contact_phone": "12"})
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_text_helptext id_text_error"' in html
    problems += [f"the ask form with errors: {problem}" for problem in _problems(html)]
    assert problems == []
