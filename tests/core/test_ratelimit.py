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
    first = client.post(url, {"name": "Асель", "email": "a@example.kz"}, HTTP_ACCEPT_LANGUAGE="ru")
    second = client.post(url, {"name": "Асель", "email": "b@example.kz"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert first.status_code == 201
    assert second.status_code == 429
    assert set(second.json()) == {"message", "errors"} and "Запрос" in second.json()["message"]


def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    settings.TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "10.0.0.2"
    settings.TRUST_X_FORWARDED_FOR = True
    assert client_ip(request) == "203.0.113.7"  # the address our proxy appended, not the forged first one
