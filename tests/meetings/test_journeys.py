"""No dead ends on a meeting's page: ask a question for it; book a reception time and get a
confirmation with a working cancel link; a reception page that says one thing."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, ReceptionBooking
from notifications.models import Message
from tests.mail import delivered
from tests.meetings.factories import in_days, make_meeting, make_slot
from tests.questions.factories import category

# --- "Ask a question for this meeting" ------------------------------------------------------------


def test_an_upcoming_meeting_offers_to_ask_a_question_for_it(client, almaly_meeting):
    page = client.get(f"/ru/meetings/{almaly_meeting.pk}/").content.decode()
    link = f'href="/ru/questions/ask/?unit=almaty-almaly&amp;meeting={almaly_meeting.pk}"'
    assert link in page
    assert "Задать вопрос к этой встрече" in page


def test_the_ask_form_opens_with_the_meeting_and_its_territory_chosen(client, almaly, almaly_meeting):
    category("water")
    page = client.get(f"/kk/questions/ask/?unit=almaty-almaly&meeting={almaly_meeting.pk}").content.decode()
    assert re.search(rf'<option value="{almaly.pk}"[^>]*selected', page)
    assert re.search(rf'<option value="{almaly_meeting.pk}"[^>]*selected', page)


@pytest.mark.parametrize(
    "state",
    ["held", "cancelled", "questions closed", "draft"],
)
def test_no_ask_link_when_the_meeting_takes_no_more_questions(client, almaly, state):
    fields = {
        "held": {"status": Meeting.Status.HELD, "starts_at": in_days(-2)},
        "cancelled": {"status": Meeting.Status.CANCELLED, "starts_at": in_days(5)},
        "questions closed": {"starts_at": in_days(5), "questions_close_at": timezone.now() - timedelta(hours=1)},
        "draft": {"status": Meeting.Status.DRAFT, "starts_at": in_days(5)},
    }[state]
    meeting = make_meeting(almaly, **fields)
    response = client.get(f"/kk/meetings/{meeting.pk}/")
    if state == "draft":
        assert response.status_code == 404
        return
    assert "/kk/questions/ask/?unit=" not in response.content.decode()
    assert meeting.accepts_questions is False


# --- Reception bookings -------------------------------------------------------------------------


@pytest.fixture
def reception(almaly, almaly_akim):
    meeting = make_meeting(
        almaly,
        kind=Meeting.Kind.RECEPTION,
        host=almaly_akim,
        starts_at=in_days(4, hour=10),
        hours=3,
        registration_open=False,
        title_kk="Азаматтарды қабылдау",
        title_ru="Приём граждан",
    )
    return meeting


def test_a_booking_is_confirmed_by_email_in_the_residents_language_with_a_link_that_cancels(client, reception):
    slot = make_slot(reception)
    response = client.post(
        f"/ru/meetings/slots/{slot.pk}/book/", {"name": "Бекзат", "email": "bekzat@example.kz", "phone": ""}
    )
    assert response.status_code == 302
    (email,) = [message for message in delivered() if message.to == ["bekzat@example.kz"]]
    assert "Ваше время приёма" in email.subject
    assert "Руководитель отдела" in email.body and "Приём граждан" in email.body
    link = re.search(r"http\S+/ru/meetings/booking/\S+/", email.body).group()
    path = link.removeprefix(settings.SITE_URL)
    assert response["Location"] == path

    page = client.get(path).content.decode()
    assert "Отменить запись" in page
    client.post(path)
    assert ReceptionBooking.objects.get().cancelled_at is not None
    # The slot is free again for someone else.
    assert services.reception_slot_book(slot=slot, name="Асель", phone="87012345678").name == "Асель"


def test_a_phone_booking_is_confirmed_by_sms_in_kazakh(client, reception, capsys):
    slot = make_slot(reception)
    client.post(f"/kk/meetings/slots/{slot.pk}/book/", {"name": "Асель", "phone": "8 701 234 56 78"})
    delivered()
    sms = capsys.readouterr().out
    assert "SMS to +77012345678" in sms
    assert "Қабылдауға жазылдыңыз" in sms and "/kk/meetings/booking/" in sms


def test_the_confirmation_cannot_be_opted_out_of(reception):
    from notifications.models import Unsubscription

    Unsubscription.objects.create(address="bekzat@example.kz", kind="meetings.booking_confirmed")
    services.reception_slot_book(slot=make_slot(reception), name="Бекзат", email="bekzat@example.kz", language="kk")
    message = Message.objects.get(kind="meetings.booking_confirmed")
    assert message.status == Message.Status.PENDING and message.language == "kk"


def test_a_refused_booking_sends_nothing(client, reception):
    slot = make_slot(reception)
    services.reception_slot_book(slot=slot, name="Асель", phone="87012345678")
    before = Message.objects.count()
    response = client.post(f"/kk/meetings/slots/{slot.pk}/book/", {"name": "Бекзат", "email": "b@example.kz"})
    assert response.status_code == 400
    assert Message.objects.count() == before
    assert ReceptionBooking.objects.count() == 1


def test_bad_contact_on_a_booking_gets_a_message_and_writes_nothing(client, reception):
    slot = make_slot(reception)
    response = client.post(f"/ru/meetings/slots/{slot.pk}/book/", {"name": "Бекзат", "phone": "12"})
    assert response.status_code == 400
    assert "Введите казахстанский номер" in response.content.decode()
    assert not ReceptionBooking.objects.exists() and not Message.objects.exists()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_reception_page_offers_booking_and_never_says_no_registration_is_needed(client, reception, language):
    make_slot(reception)
    page = client.get(f"/{language}/meetings/{reception.pk}/").content.decode()
    assert "meetings/slots/" in page and "SMS" in page
    for sentence in ("Тіркелу міндетті емес", "Регистрация не нужна", "Registration is not required"):
        assert sentence not in page


def test_a_meeting_without_registration_still_says_to_just_come(client, almaly):
    meeting = make_meeting(almaly, starts_at=in_days(5), registration_open=False)
    page = client.get(f"/ru/meetings/{meeting.pk}/").content.decode()
    assert "Регистрация не нужна" in page
