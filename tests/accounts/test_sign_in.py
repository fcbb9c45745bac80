"""Residents sign in from resident pages with a one-time code sent to their email or phone."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import services
from accounts.models import SignInCode, StaffRole, User
from accounts.services import staff_role_grant
from notifications.models import Message, Preference
from questions import services as question_services
from questions.models import Question
from tests.mail import delivered
from tests.questions import factories

SIGN_IN = "/kk/accounts/sign-in/"
CODE = "/kk/accounts/sign-in/code/"


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", delivered()[-1].body).group(1)


def ask_for_code(client, contact: str, language: str = "kk", **extra):
    return client.post(f"/{language}/accounts/sign-in/", {"contact": contact, **extra})


def sign_in(client, contact: str) -> None:
    assert ask_for_code(client, contact).status_code == 302
    response = client.post(CODE, {"code": last_code()})
    assert response.status_code == 302, response.content.decode()[:500]


# --- The journey -------------------------------------------------------------------------------


def test_my_questions_and_settings_send_a_resident_to_the_resident_sign_in(client, db):
    for path in ("/kk/questions/mine/", "/ru/notifications/settings/"):
        response = client.get(path)
        language = path[1:3]
        assert response["Location"] == f"/{language}/accounts/sign-in/?next={path}"
    page = client.get("/ru/accounts/sign-in/?next=/ru/questions/mine/").content.decode()
    assert "Вход для сотрудников" not in page.split("<main", 1)[1].split("</form>")[0]
    assert 'name="contact"' in page and 'name="password"' not in page


def test_a_resident_signs_in_with_the_code_from_the_email_and_sees_the_questions_sent_with_it(client, almaly):
    mine = factories.submit(almaly, contact_email="aigerim@example.kz", text="Менің сұрағым: аулада жарық жоқ.")
    theirs = factories.submit(almaly, contact_email="someone@example.kz", text="Басқа адамның сұрағы: жол жоқ.")

    response = ask_for_code(client, "Aigerim@Example.kz", next="/kk/questions/mine/")
    assert response["Location"] == CODE
    message = delivered()[-1]
    assert message.to == ["aigerim@example.kz"]
    code = last_code()
    assert code in message.body and code not in message.subject
    page = client.get(CODE).content.decode()
    assert "aigerim@example.kz" in page

    response = client.post(CODE, {"code": code})
    assert response["Location"] == "/kk/questions/mine/"
    page = client.get("/kk/questions/mine/").content.decode()
    assert mine.get_tracking_url() in page
    assert theirs.get_tracking_url() not in page
    user = User.objects.get(sign_in_contact="aigerim@example.kz")
    assert not user.has_usable_password() and user.email == "aigerim@example.kz"
    assert not user.is_staff and not StaffRole.objects.filter(user=user).exists()


def test_a_phone_contact_gets_the_code_by_sms_and_signs_in_to_the_same_account_next_time(client, almaly, capsys):
    ask_for_code(client, "8 701 234 56 78")
    delivered()
    sms = capsys.readouterr().out
    assert "SMS to +77012345678" in sms
    code = re.search(r"\b(\d{6})\b", sms.split("SMS to +77012345678", 1)[1]).group(1)
    assert client.post(CODE, {"code": code}).status_code == 302
    first = User.objects.get(sign_in_contact="+77012345678")
    assert first.phone == "+77012345678"

    client.post("/kk/accounts/logout/")
    ask_for_code(client, "+7 (701) 234-56-78")
    delivered()
    code = re.findall(r"\b(\d{6})\b", capsys.readouterr().out)[-1]
    client.post(CODE, {"code": code})
    assert User.objects.filter(sign_in_contact="+77012345678").count() == 1
    assert client.get("/kk/notifications/settings/").status_code == 200


def test_the_notification_settings_of_the_account_apply_to_questions_sent_before_signing_in(
    client, almaly, almaly_staff
):
    question = factories.new(almaly, contact_email="dana@example.kz")
    sign_in(client, "dana@example.kz")
    client.post("/kk/notifications/settings/", {})  # every box unticked
    user = User.objects.get(sign_in_contact="dana@example.kz")
    assert Preference.objects.get(user=user, kind="questions.status").email is False

    question_services.question_accept(question=question, actor=almaly_staff)
    status = Message.objects.filter(kind="questions.status", email="dana@example.kz").latest("pk")
    assert status.status == Message.Status.CANCELLED


def test_signing_in_on_the_ask_form_fills_the_contact(client, almaly, capsys):
    ask_for_code(client, "+77019998877")
    delivered()
    code = re.findall(r"\b(\d{6})\b", capsys.readouterr().out)[-1]
    assert client.post(CODE, {"code": code}).status_code == 302
    page = client.get("/kk/questions/ask/").content.decode()
    assert 'value="+77019998877"' in page


# --- Codes: stored hashed, a few tries, a few minutes --------------------------------------------


def test_neither_the_code_nor_the_contact_is_stored_and_the_outbox_forgets_the_code(client, db):
    ask_for_code(client, "secret@example.kz")
    code = last_code()
    row = SignInCode.objects.get()
    assert code not in row.code_digest and "secret" not in row.contact_digest
    message = Message.objects.get(kind="accounts.sign_in_code")
    assert message.status == Message.Status.SENT
    assert code not in str(message.context)


def test_five_wrong_codes_kill_the_code_and_a_new_one_works(client, db):
    ask_for_code(client, "guess@example.kz")
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for attempt in range(1, 6):
        response = client.post(CODE, {"code": wrong})
        assert response.status_code == 400
        assert SignInCode.objects.get().wrong_attempts == attempt
    assert "Қате кодтар тым көп" in response.content.decode()
    response = client.post(CODE, {"code": code})
    assert response.status_code == 400 and "_auth_user_id" not in client.session
    assert User.objects.filter(sign_in_contact="guess@example.kz").count() == 0

    ask_for_code(client, "guess@example.kz")
    assert client.post(CODE, {"code": last_code()}).status_code == 302


def test_an_expired_code_is_refused(client, db):
    ask_for_code(client, "late@example.kz")
    code = last_code()
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post("/ru/accounts/sign-in/code/", {"code": code})
    assert response.status_code == 400
    assert "Код устарел" in response.content.decode()
    assert not User.objects.filter(sign_in_contact="late@example.kz").exists()


def test_only_the_latest_code_of_a_contact_works(client, db):
    ask_for_code(client, "twice@example.kz")
    first = last_code()
    ask_for_code(client, "twice@example.kz")
    second = last_code()
    if first != second:
        assert client.post(CODE, {"code": first}).status_code == 400
    assert client.post(CODE, {"code": second}).status_code == 302


def test_expired_codes_are_deleted_by_the_daily_job(db):
    services.sign_in_code_send(contact="old@example.kz", language="kk")
    assert services.sign_in_codes_delete_expired(now=timezone.now()) == 0
    assert services.sign_in_codes_delete_expired(now=timezone.now() + timedelta(days=2)) == 1
    assert not SignInCode.objects.exists()


# --- Limits and bad input -------------------------------------------------------------------------


def test_codes_to_one_contact_are_limited_and_a_refusal_writes_nothing(client, db, settings):
    settings.RESIDENT_SIGN_IN_CODES_PER_CONTACT = 2
    for _ in range(2):
        assert ask_for_code(client, "flood@example.kz").status_code == 302
    codes, messages = SignInCode.objects.count(), Message.objects.count()
    response = ask_for_code(client, "FLOOD@example.kz", language="ru")
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert "Слишком много кодов" in response.content.decode()
    assert (SignInCode.objects.count(), Message.objects.count()) == (codes, messages)


def test_codes_from_one_address_are_limited(client, db, settings):
    settings.RESIDENT_SIGN_IN_CODES_PER_ADDRESS = 3
    for n in range(3):
        assert ask_for_code(client, f"person{n}@example.kz").status_code == 302
    response = ask_for_code(client, "person9@example.kz")
    assert response.status_code == 429
    assert SignInCode.objects.count() == 3


@pytest.mark.parametrize(
    ("language", "contact", "message"),
    [
        ("kk", "not-an-email@", "Дұрыс электрондық пошта"),
        ("ru", "12345", "Введите казахстанский номер"),
        ("ru", "", "Обязательное поле"),
    ],
)
def test_a_bad_contact_gets_a_message_in_the_page_language_and_nothing_is_sent(client, db, language, contact, message):
    response = ask_for_code(client, contact, language=language)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SignInCode.objects.exists() and not Message.objects.exists()


def test_a_malformed_code_is_refused_without_counting_a_try(client, db):
    ask_for_code(client, "typo@example.kz")
    response = client.post(CODE, {"code": "12a4"})
    assert response.status_code == 400
    assert SignInCode.objects.get().wrong_attempts == 0


def test_the_code_page_without_a_code_sent_asks_for_the_contact_first(client, db):
    response = client.get(CODE)
    assert response["Location"] == SIGN_IN


def test_a_signed_in_person_is_sent_on_from_the_sign_in_page(client, resident):
    client.force_login(resident)
    assert client.get(f"{SIGN_IN}?next=/kk/questions/mine/")["Location"] == "/kk/questions/mine/"


def test_a_foreign_next_address_is_not_followed(client, db):
    ask_for_code(client, "next@example.kz", next="https://evil.example/")
    assert client.post(CODE, {"code": last_code()})["Location"] == "/kk/questions/mine/"


def test_a_code_never_opens_a_staff_account(client, almaly):
    ask_for_code(client, "became@example.kz")
    client.post(CODE, {"code": last_code()})
    client.post("/kk/accounts/logout/")
    user = User.objects.get(sign_in_contact="became@example.kz")
    staff_role_grant(user=user, unit=almaly, role=StaffRole.Role.AKIMAT_STAFF)

    ask_for_code(client, "became@example.kz")
    response = client.post(CODE, {"code": last_code()})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert "қызметкерлерге арналған" in response.content.decode()


def test_the_staff_login_stays_for_staff_and_points_residents_to_their_sign_in(client, db):
    page = client.get("/ru/accounts/login/").content.decode()
    assert 'name="password"' in page
    assert "/ru/accounts/sign-in/" in page


def test_questions_of_an_account_include_those_sent_with_its_contact(almaly):
    user = User.objects.create(username="r1", sign_in_contact="+77015554433", phone="+77015554433")
    by_phone = factories.submit(almaly, contact_phone="+77015554433", contact_email="")
    from_account = factories.submit(almaly, author=user, contact_email="other@example.kz")
    factories.submit(almaly, contact_email="+77015554433@example.kz")
    from questions.selectors import questions_of_account

    assert set(questions_of_account(user=user)) == {by_phone, from_account}
    assert Question.objects.count() == 3


def test_the_footer_offers_each_person_their_own_way_in(client, resident, almaly_staff):
    def footer() -> str:
        return client.get("/kk/questions/").content.decode().split('class="site-footer"', 1)[1]

    assert 'href="/kk/accounts/sign-in/"' in footer() and 'href="/kk/accounts/login/"' in footer()
    client.force_login(resident)
    assert 'href="/kk/questions/mine/"' in footer() and 'href="/kk/notifications/settings/"' in footer()
    assert "/kk/accounts/workspace/" not in footer()
    client.force_login(almaly_staff)
    assert 'href="/kk/accounts/workspace/"' in footer() and "/kk/accounts/sign-in/" not in footer()
