import pytest
from django.test import RequestFactory
from rest_framework.throttling import SimpleRateThrottle

from core.ratelimit import client_ip
from meetings.models import Registration
from tests.meetings.factories import make_meeting


def test_a_flood_of_registrations_from_one_address_gets_a_translated_429_and_writes_nothing(client, almaly, settings):
    settings.RATE_LIMIT_REGISTRATIONS = 2
    meeting = make_meeting(almaly, capacity=100)
    url = f"/ru/meetings/{meeting.pk}/register/"
    for n in range(2):
        client.post(url, {"name": f"Житель {n}", "email": f"r{n}@example.kz"})
    response = client.post(url, {"name": "Житель 9", "email": "r9@example.kz"})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Слишком много попыток" in response.content.decode()
    assert Registration.objects.count() == 2


@pytest.fixture
def one_registration_an_hour():
    # DRF reads the rates once into a class attribute; swap it for this test only.
    saved = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**saved, "meetings_register": "1/hour"}
    yield
    SimpleRateThrottle.THROTTLE_RATES = saved


def test_the_registration_api_is_throttled_with_the_error_body(client, almaly, one_registration_an_hour):
    meeting = make_meeting(almaly, capacity=100)
    url = f"/api/v1/meetings/{meeting.pk}/registrations/"
    json = {"content_type": "application/json", "HTTP_ACCEPT_LANGUAGE": "ru"}  # the API reads JSON only
    first = client.post(url, {"name": "Асель", "email": "a@example.kz"}, **json)
    second = client.post(url, {"name": "Асель", "email": "b@example.kz"}, **json)
    assert first.status_code == 201
    assert second.status_code == 429
    assert set(second.json()) == {"message", "errors"} and "Запрос" in second.json()["message"]


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.7"  # the address our proxy appended, not the forged first one


# --- The atomic counter (core.ratelimit.take), on the cache this run uses -------------------------


def test_a_token_is_taken_until_the_limit_and_then_refused_with_the_time_left(db):
    from core.ratelimit import take

    decisions = [take("test", "203.0.113.9", limit=3, window=60) for _ in range(5)]
    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert [d.count for d in decisions[:3]] == [1, 2, 3]
    assert all(0 < d.retry_after <= 60 for d in decisions)


def test_a_token_given_back_can_be_taken_again(db):
    from core.ratelimit import give_back, take

    assert take("test", "a", limit=1, window=60).allowed
    assert not take("test", "a", limit=1, window=60).allowed
    give_back("test", "a")
    assert take("test", "a", limit=1, window=60).allowed


def test_take_all_takes_every_token_or_none(db):
    from core.ratelimit import Limit, take, take_all

    assert take("contact", "c@example.kz", limit=1, window=60).allowed  # this contact is spent
    limits = [Limit("ip", "203.0.113.1", 5, 60), Limit("contact", "c@example.kz", 1, 60)]
    assert not take_all(limits).allowed
    # The address's token taken on the way was given back: five remain.
    assert [take("ip", "203.0.113.1", limit=5, window=60).allowed for _ in range(6)] == [True] * 5 + [False]


def test_threads_of_one_process_take_exactly_the_limit(db):
    import threading

    from core.ratelimit import take

    barrier, allowed = threading.Barrier(30), []

    def one():
        barrier.wait(timeout=30)
        allowed.append(take("threads", "203.0.113.2", limit=7, window=60).allowed)

    threads = [threading.Thread(target=one) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 7


def test_the_old_count_api_still_counts(db):
    from core.ratelimit import count, exceeded

    assert [count("legacy", "x", window=60) for _ in range(3)] == [1, 2, 3]
    assert exceeded("legacy", "x", limit=3) and not exceeded("legacy", "x", limit=4)


def test_a_full_page_cache_does_not_reset_a_limit(settings, tmp_path):
    """The file cache culls files when it fills up (here all of them, at 10): the counters live
    in a cache of their own, so a flood of new pages can't wipe a limit mid-flood."""
    from django.core.cache import cache

    from core.ratelimit import take

    file_cache = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {
        "default": {
            "BACKEND": file_cache,
            "LOCATION": str(tmp_path / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 1},
        },
        "limits": {"BACKEND": file_cache, "LOCATION": str(tmp_path / "limits")},
    }
    assert take("tests.flood", "198.51.100.7", limit=1, window=60).allowed
    for n in range(30):
        cache.set(f"page:{n}", n)
    assert cache.get("page:0") is None  # culled
    assert not take("tests.flood", "198.51.100.7", limit=1, window=60).allowed
