"""Redis down: the cache degrades, pages and submissions still work."""

import pytest
from django.core.cache import cache

from meetings.models import Registration
from questions.models import Question
from tests.meetings.factories import make_meeting
from tests.processes import free_port
from tests.questions.factories import category


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens here
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_the_cache_itself_answers_as_empty_instead_of_raising(redis_down, db):
    cache.set("k", "v")
    assert cache.get("k", "default") == "default"
    assert cache.add("k", 1) is True
    assert cache.incr("k") == 1
    assert cache.get_many(["a", "b"]) == {}


def test_pages_and_submissions_work_while_redis_is_down(redis_down, client, almaly):
    meeting = make_meeting(almaly, capacity=10)
    for path in ["/kk/", "/ru/meetings/", f"/ru/meetings/{meeting.pk}/", "/ru/reports/", "/kk/questions/"]:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/territories/").status_code == 200  # DRF's throttle reads the cache
    registered = client.post(f"/ru/meetings/{meeting.pk}/register/", {"name": "Асель", "email": "a@example.kz"})
    assert registered.status_code == 302 and Registration.objects.count() == 1
    asked = client.post(
        "/kk/questions/ask/",
        {
            "unit": almaly.pk,
            "category": category("water").pk,
            "text": "Аулада су құбыры жарылды, үш күннен бері су жоқ.",
            "language": "kk",
            "author_name": "Айгерім",
            "contact_email": "aigerim@example.kz",
            "website": "",
        },
    )
    assert asked.status_code == 302 and Question.objects.count() == 1
