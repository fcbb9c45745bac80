"""Changing and resetting a password happen on the site's own pages, in the page's language, and
the reset link reaches the account in its owner's language."""

import re
from urllib.parse import urlsplit

import pytest

from notifications.models import Message
from tests.factories import UserFactory
from tests.mail import delivered

DJANGO_ADMIN_WORDS = ("Django", "Please enter your old password", "Административный сайт")


@pytest.mark.parametrize(("language", "heading"), [("kk", "Құпиясөзді өзгерту"), ("ru", "Смена пароля")])
def test_the_password_page_is_the_sites_own_and_speaks_the_page_language(client, db, language, heading):
    client.force_login(UserFactory())
    page = client.get(f"/{language}/accounts/password/").content.decode()
    assert heading in page
    assert 'class="site-header"' in page
    assert not any(words in page for words in DJANGO_ADMIN_WORDS)


def test_a_password_is_changed_with_the_current_one(client, db):
    user = UserFactory()
    client.force_login(user)
    wrong = client.post(
        "/ru/accounts/password/",
        {"old_password": "wrong", "new_password1": "тау-бұлақ-2026", "new_password2": "тау-бұлақ-2026"},
    )
    assert "Текущий пароль введён неверно" in wrong.content.decode()
    response = client.post(
        "/ru/accounts/password/",
        {
            "old_password": "correct horse battery",
            "new_password1": "тау-бұлақ-2026",
            "new_password2": "тау-бұлақ-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("тау-бұлақ-2026")
    assert "Пароль изменён" in client.get(response["Location"]).content.decode()


def test_a_forgotten_password_is_reset_by_a_link_in_the_owners_language(client, db):
    user = UserFactory(email="aigerim@example.kz", preferred_language="ru")
    response = client.post("/kk/accounts/password/reset/", {"email": "Aigerim@example.kz"})
    assert response.status_code == 302
    assert "Электрондық поштаңызды тексеріңіз" in client.get(response["Location"]).content.decode()

    message = Message.objects.get(kind="accounts.password_reset")
    assert (message.email, message.language) == ("aigerim@example.kz", "ru")
    email = delivered()[-1]
    assert email.subject == "Кездесу: ссылка для нового пароля"
    assert "откройте ссылку" in email.body
    link = urlsplit(re.search(r"https?://\S+/ru/accounts/password/reset/\S+/", email.body).group(0)).path

    form = client.get(link, follow=True)
    assert "Введите новый пароль дважды." in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "тау-бұлақ-2026", "new_password2": "тау-бұлақ-2026"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("тау-бұлақ-2026")
    assert "Новый пароль установлен" in client.get(done["Location"]).content.decode()

    used = client.get(link)
    assert "Эта ссылка больше не действует" in used.content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_message(client, db):
    response = client.post("/ru/accounts/password/reset/", {"email": "nobody@example.kz"})
    assert response.status_code == 302 and response["Location"] == "/ru/accounts/password/reset/sent/"
    assert not Message.objects.exists()
