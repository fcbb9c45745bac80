"""Staff login: translated, limited, and locked after repeated wrong passwords."""

from django.urls import reverse
from django.utils import translation

from tests.factories import make_staff


def login_url(language="ru"):
    with translation.override(language):
        return reverse("login")


def test_staff_log_in_at_the_translated_login_page_and_land_in_the_workspace(client, almaly):
    make_staff(almaly, username="aidos")
    page = client.get(login_url("kk")).content.decode()
    assert "Қызметкерлерге кіру" in page
    response = client.post(login_url("kk"), {"username": "aidos", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/kk/accounts/workspace/"


def test_a_wrong_password_is_refused_in_the_users_language(client, almaly):
    make_staff(almaly, username="aidos")
    response = client.post(login_url("kk"), {"username": "aidos", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "құпиясөз қате" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_from_that_address_even_for_the_right_one(client, almaly):
    make_staff(almaly, username="aidos")
    for _ in range(5):
        client.post(login_url(), {"username": "aidos", "password": "wrong"})
    response = client.post(login_url(), {"username": "aidos", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Вход заблокирован" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out with the attacker's.
    other = client.__class__(REMOTE_ADDR="10.1.2.3")
    assert other.post(login_url(), {"username": "aidos", "password": "correct horse battery"}).status_code == 302


def test_a_flood_of_login_attempts_from_one_address_gets_429(client, db, settings):
    settings.RATE_LIMIT_LOGINS = 3
    for n in range(3):
        assert client.post(login_url(), {"username": f"u{n}", "password": "x"}).status_code == 200
    response = client.post(login_url(), {"username": "u9", "password": "x"})
    assert response.status_code == 429
    assert "Слишком много попыток" in response.content.decode()
