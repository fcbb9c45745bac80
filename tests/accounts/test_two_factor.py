"""Two-factor sign-in: required for administrators, optional for staff, enforced once on."""

import time

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory, make_staff


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def ru(name: str) -> str:
    with translation.override("ru"):
        return reverse(name)


@pytest.fixture
def required(settings):
    settings.ADMIN_TWO_FACTOR_REQUIRED = True


def sign_in(client, username: str):
    return client.post(ru("login"), {"username": username, "password": "correct horse battery"})


def test_an_administrator_must_set_up_a_second_factor_before_anything_else(client, db, required):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    sign_in(client, "root")
    response = client.get("/ru/admin/")
    assert response.status_code == 302 and response["Location"].startswith(ru("accounts:two_factor_setup"))
    assert client.get("/api/v1/territories/").status_code == 403

    page = client.get(ru("accounts:two_factor_setup")).content.decode()
    assert "<svg" in page and "Не получается отсканировать?" in page
    device = TOTPDevice.objects.get(user__username="root", confirmed=False)
    wrong = client.post(ru("accounts:two_factor_setup"), {"token": "000000", "next": "/ru/admin/"})
    assert "Код неверный" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    time.sleep(1.1)  # django-otp makes a guesser wait after each wrong code

    done = client.post(ru("accounts:two_factor_setup"), {"token": code_for(device), "next": "/ru/admin/"})
    assert done.status_code == 302 and done["Location"] == "/ru/admin/"
    assert client.get("/ru/admin/").status_code == 200


def test_after_setup_every_sign_in_asks_for_the_code(client, db, required):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "root")
    assert client.get("/ru/admin/")["Location"].startswith(ru("accounts:two_factor_verify"))
    bad = client.post(ru("accounts:two_factor_verify"), {"otp_token": "123456", "next": "/ru/admin/"})
    assert bad.status_code == 200 and "Код неверный" in bad.content.decode()
    assert client.get("/ru/admin/").status_code == 302
    time.sleep(1.1)  # django-otp makes a guesser wait after each wrong code
    good = client.post(ru("accounts:two_factor_verify"), {"otp_token": code_for(device), "next": "/ru/admin/"})
    assert good.status_code == 302
    assert client.get("/ru/admin/").status_code == 200


def test_staff_without_a_device_work_with_their_password_alone(client, almaly, required):
    make_staff(almaly, username="aidos")
    sign_in(client, "aidos")
    assert client.get(ru("accounts:workspace")).status_code == 200


def test_the_next_parameter_cannot_send_anyone_off_site(client, db, required):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sign_in(client, "root")
    response = client.post(
        ru("accounts:two_factor_verify"), {"otp_token": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == ru("accounts:workspace")
