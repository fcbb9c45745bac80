from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.errors import ApplicationError
from meetings import services
from meetings.models import Meeting, MeetingEvent, ReceptionBooking, Registration
from notifications.services import notifications_deliver_due
from tests.factories import make_akim
from tests.meetings.factories import in_days, make_meeting, make_registration, make_slot, make_venue

S = Meeting.Status
R = Registration.Status


def schedule(actor, unit, **overrides):
    fields = {
        "actor": actor,
        "unit": unit,
        "kind": Meeting.Kind.REPORTING,
        "title_kk": "Әкімнің есебі",
        "title_ru": "Отчёт акима",
        "starts_at": in_days(5),
        "ends_at": in_days(5, hour=13),
    }
    fields.update(overrides)
    return services.meeting_schedule(**fields)


# --- Scheduling -------------------------------------------------------------------------------


def test_scheduling_announces_the_meeting_and_records_who_did_it(almaly, almaly_staff, almaly_school, almaly_akim):
    meeting = schedule(almaly_staff, almaly, venue=almaly_school, host=almaly_akim)
    assert meeting.status == S.SCHEDULED
    assert meeting.capacity == 10  # the venue's, by default
    assert meeting.questions_close_at == meeting.starts_at - timedelta(hours=24)
    event = meeting.events.get()
    assert (event.kind, event.actor, event.to_status) == (MeetingEvent.Kind.SCHEDULED, almaly_staff, S.SCHEDULED)


def test_a_draft_is_created_when_not_published_and_publishing_announces_it(almaly, almaly_staff):
    meeting = schedule(almaly_staff, almaly, publish=False)
    assert meeting.status == S.DRAFT
    services.meeting_publish(meeting=meeting, actor=almaly_staff)
    meeting.refresh_from_db()
    assert meeting.status == S.SCHEDULED
    assert list(meeting.events.values_list("kind", "from_status", "to_status")) == [
        ("created", "", "draft"),
        ("scheduled", "draft", "scheduled"),
    ]


def test_a_meeting_must_end_after_it_starts(almaly, almaly_staff):
    with pytest.raises(ValidationError) as error:
        schedule(almaly_staff, almaly, ends_at=in_days(5, hour=10))
    assert "ends_at" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_nothing_is_scheduled_in_the_past(almaly, almaly_staff):
    with pytest.raises(ValidationError) as error:
        schedule(almaly_staff, almaly, starts_at=in_days(-1), ends_at=in_days(-1, hour=13))
    assert "starts_at" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_two_meetings_cannot_overlap_in_one_venue_and_the_message_names_the_other(almaly, almaly_staff, almaly_school):
    first = schedule(almaly_staff, almaly, venue=almaly_school, title_kk="Бірінші кездесу")
    with pytest.raises(ApplicationError) as error:
        schedule(almaly_staff, almaly, venue=almaly_school, starts_at=in_days(5, hour=12), ends_at=in_days(5, hour=14))
    assert "Бірінші кездесу" in str(error.value.message)
    assert list(Meeting.objects.all()) == [first]


def test_back_to_back_meetings_in_one_venue_are_fine(almaly, almaly_staff, almaly_school):
    schedule(almaly_staff, almaly, venue=almaly_school)
    second = schedule(almaly_staff, almaly, venue=almaly_school, starts_at=in_days(5, 13), ends_at=in_days(5, 15))
    assert second.pk


def test_a_cancelled_meeting_frees_its_venue(almaly, almaly_staff, almaly_school):
    first = schedule(almaly_staff, almaly, venue=almaly_school)
    services.meeting_cancel(meeting=first, actor=almaly_staff, reason="Карантин")
    assert schedule(almaly_staff, almaly, venue=almaly_school).pk


def test_the_host_akim_belongs_to_the_territory_or_an_ancestor(
    almaly, almaly_staff, almaly_akim, almaty_akim, medeu_akim
):
    assert schedule(almaly_staff, almaly, host=almaly_akim).host == almaly_akim
    assert schedule(almaly_staff, almaly, host=almaty_akim, starts_at=in_days(6), ends_at=in_days(6, 13)).pk
    with pytest.raises(ValidationError) as error:
        schedule(almaly_staff, almaly, host=medeu_akim, starts_at=in_days(7), ends_at=in_days(7, 13))
    assert "host" in error.value.message_dict
    assert Meeting.objects.count() == 2


def test_the_host_akim_must_be_in_office_on_the_day(almaly, almaly_staff):
    former = make_akim(almaly, full_name_kk="Бұрынғы әкім", term_start=date(2015, 1, 1), term_end=date(2019, 1, 1))
    with pytest.raises(ValidationError) as error:
        schedule(almaly_staff, almaly, host=former)
    assert "host" in error.value.message_dict


def test_capacity_cannot_exceed_the_venue(almaly, almaly_staff, almaly_school):
    with pytest.raises(ValidationError) as error:
        schedule(almaly_staff, almaly, venue=almaly_school, capacity=11)
    assert "capacity" in error.value.message_dict
    assert schedule(almaly_staff, almaly, venue=almaly_school, capacity=6).capacity == 6


def test_questions_cannot_close_after_the_start(almaly, almaly_staff):
    with pytest.raises(ValidationError) as error:
        schedule(almaly_staff, almaly, questions_close_at=in_days(5, hour=12))
    assert "questions_close_at" in error.value.message_dict


def test_staff_act_only_in_territories_they_cover(almaly, medeu_staff, department_officer):
    for actor in (medeu_staff, department_officer):
        with pytest.raises(PermissionDenied):
            schedule(actor, almaly)
    assert not Meeting.objects.exists()


def test_city_staff_cover_the_districts_below(almaly, almaty_staff):
    assert schedule(almaty_staff, almaly).unit == almaly


# --- Changing a meeting -------------------------------------------------------------------------


def test_a_reschedule_keeps_the_earlier_times_and_raises_the_calendar_sequence(almaly_meeting, almaly_staff):
    old_start, old_end = almaly_meeting.starts_at, almaly_meeting.ends_at
    services.meeting_reschedule(
        meeting=almaly_meeting, actor=almaly_staff, starts_at=in_days(20), ends_at=in_days(20, 13), note="Зал жөндеуде"
    )
    almaly_meeting.refresh_from_db()
    assert almaly_meeting.starts_at == in_days(20)
    assert almaly_meeting.sequence == 1
    event = almaly_meeting.events.get(kind=MeetingEvent.Kind.RESCHEDULED)
    assert (event.from_starts_at, event.from_ends_at) == (old_start, old_end)
    assert (event.to_starts_at, event.actor, event.note) == (in_days(20), almaly_staff, "Зал жөндеуде")


def test_a_reschedule_into_the_past_or_a_busy_venue_changes_nothing(
    almaly, almaly_meeting, almaly_staff, almaly_school
):
    other = make_meeting(almaly, venue=almaly_school, starts_at=in_days(3), title_kk="Басқа кездесу")
    for starts_at, ends_at, error_type in [
        (in_days(-2), in_days(-2, 13), ValidationError),
        (other.starts_at, other.ends_at, ApplicationError),
    ]:
        with pytest.raises(error_type):
            services.meeting_reschedule(
                meeting=almaly_meeting, actor=almaly_staff, starts_at=starts_at, ends_at=ends_at
            )
    almaly_meeting.refresh_from_db()
    assert (almaly_meeting.starts_at, almaly_meeting.sequence) == (in_days(10), 0)
    assert not almaly_meeting.events.exists()


def test_cancelling_needs_a_reason_and_is_recorded(almaly_meeting, almaly_staff):
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=almaly_meeting, actor=almaly_staff, reason="  ")
    services.meeting_cancel(meeting=almaly_meeting, actor=almaly_staff, reason="Ауа райы")
    almaly_meeting.refresh_from_db()
    assert (almaly_meeting.status, almaly_meeting.cancel_reason, almaly_meeting.sequence) == (
        S.CANCELLED,
        "Ауа райы",
        1,
    )
    event = almaly_meeting.events.get()
    assert (event.from_status, event.to_status, event.note) == (S.SCHEDULED, S.CANCELLED, "Ауа райы")


def test_a_cancelled_meeting_cannot_be_cancelled_rescheduled_or_edited(almaly_meeting, almaly_staff):
    services.meeting_cancel(meeting=almaly_meeting, actor=almaly_staff, reason="Ауа райы")
    with pytest.raises(ApplicationError):
        services.meeting_cancel(meeting=almaly_meeting, actor=almaly_staff, reason="тағы")
    with pytest.raises(ApplicationError):
        services.meeting_reschedule(
            meeting=almaly_meeting, actor=almaly_staff, starts_at=in_days(30), ends_at=in_days(30, 13)
        )
    with pytest.raises(ApplicationError):
        services.meeting_update(meeting=almaly_meeting, actor=almaly_staff, title_kk="Жаңа")


def test_marking_held_needs_the_attendance_and_a_started_meeting(almaly_meeting, almaly_staff):
    with pytest.raises(ApplicationError):
        services.meeting_mark_held(meeting=almaly_meeting, actor=almaly_staff, attendance=80)
    with time_machine.travel(almaly_meeting.ends_at, tick=False):
        with pytest.raises(ValidationError) as error:
            services.meeting_mark_held(meeting=almaly_meeting, actor=almaly_staff, attendance=None)
        assert "attendance" in error.value.message_dict
        services.meeting_mark_held(meeting=almaly_meeting, actor=almaly_staff, attendance=80)
    almaly_meeting.refresh_from_db()
    assert (almaly_meeting.status, almaly_meeting.attendance) == (S.HELD, 80)
    assert almaly_meeting.events.get().changes == {"attendance": [None, 80]}


def test_an_update_records_each_changed_field_before_and_after(almaly_meeting, almaly_staff):
    services.meeting_update(
        meeting=almaly_meeting, actor=almaly_staff, title_ru="Новый заголовок", livestream_url="https://youtu.be/x"
    )
    event = almaly_meeting.events.get()
    assert event.changes["title_ru"] == ["Отчёт акима Алмалинского района", "Новый заголовок"]
    assert event.changes["livestream_url"] == ["", "https://youtu.be/x"]


def test_capacity_cannot_drop_below_the_residents_already_registered(almaly_meeting, almaly_staff):
    for _ in range(3):
        make_registration(almaly_meeting)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=almaly_meeting, actor=almaly_staff, capacity=2)
    almaly_meeting.refresh_from_db()
    assert almaly_meeting.capacity == 10


def test_raising_capacity_promotes_the_waiting_list(almaly_meeting, almaly_staff):
    almaly_meeting.capacity = 1
    almaly_meeting.save()
    make_registration(almaly_meeting)
    waiting = make_registration(almaly_meeting, status=R.WAITLISTED)
    services.meeting_update(meeting=almaly_meeting, actor=almaly_staff, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == R.REGISTERED


# --- Registration -------------------------------------------------------------------------------


def test_registration_takes_a_seat_then_the_waiting_list_when_full(almaly_meeting):
    almaly_meeting.capacity = 2
    almaly_meeting.save()
    statuses = [
        services.registration_create(meeting=almaly_meeting, name=f"Тұрғын {i}", email=f"r{i}@example.kz").status
        for i in range(4)
    ]
    assert statuses == [R.REGISTERED, R.REGISTERED, R.WAITLISTED, R.WAITLISTED]


def test_cancelling_a_seat_promotes_the_first_in_line(almaly_meeting):
    almaly_meeting.capacity = 1
    almaly_meeting.save()
    seat = services.registration_create(meeting=almaly_meeting, name="Бірінші", phone="+7 701 000 00 01")
    first_in_line = services.registration_create(meeting=almaly_meeting, name="Екінші", phone="87010000002")
    second_in_line = services.registration_create(meeting=almaly_meeting, name="Үшінші", phone="7010000003")
    services.registration_cancel(registration=seat)
    assert Registration.objects.get(pk=first_in_line.pk).status == R.REGISTERED
    assert Registration.objects.get(pk=first_in_line.pk).promoted_at is not None
    assert Registration.objects.get(pk=second_in_line.pk).status == R.WAITLISTED


def test_cancelling_a_waitlisted_place_promotes_nobody(almaly_meeting):
    almaly_meeting.capacity = 1
    almaly_meeting.save()
    services.registration_create(meeting=almaly_meeting, name="Бірінші", email="a@example.kz")
    waiting = services.registration_create(meeting=almaly_meeting, name="Екінші", email="b@example.kz")
    third = services.registration_create(meeting=almaly_meeting, name="Үшінші", email="c@example.kz")
    services.registration_cancel(registration=waiting)
    assert Registration.objects.get(pk=third.pk).status == R.WAITLISTED


def test_registration_needs_a_name_and_a_valid_contact(almaly_meeting):
    cases = [
        ({"name": "", "email": "a@example.kz"}, "name"),
        ({"name": "Асель"}, "email"),
        ({"name": "Асель", "email": "not-an-email"}, "email"),
        ({"name": "Асель", "phone": "+1 555 0100"}, "phone"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            services.registration_create(meeting=almaly_meeting, **fields)
        assert field in error.value.message_dict
    assert not Registration.objects.exists()


def test_phone_numbers_are_stored_normalised(almaly_meeting):
    registration = services.registration_create(meeting=almaly_meeting, name="Асель", phone="8 (701) 234-56-78")
    assert registration.phone == "+77012345678"


def test_one_registration_per_email_or_phone(almaly_meeting):
    services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz", phone="87012345678")
    with pytest.raises(ApplicationError):
        services.registration_create(meeting=almaly_meeting, name="Асель", email="ASEL@example.kz")
    with pytest.raises(ApplicationError):
        services.registration_create(meeting=almaly_meeting, name="Асель", phone="+7 701 234 56 78")
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"registration_open": False},
        {"status": S.CANCELLED},
        {"status": S.DRAFT},
        {"starts_at": in_days(-1), "ends_at": in_days(-1, 13)},
    ],
)
def test_registration_is_refused_when_closed(almaly_meeting, change):
    Meeting.objects.filter(pk=almaly_meeting.pk).update(**change)
    with pytest.raises(ApplicationError):
        services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz")
    assert not Registration.objects.exists()


def test_a_cancelled_registration_cannot_be_cancelled_again(almaly_meeting):
    registration = services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz")
    services.registration_cancel(registration=registration)
    with pytest.raises(ApplicationError):
        services.registration_cancel(registration=registration)


def test_after_cancelling_the_same_person_may_register_again(almaly_meeting):
    registration = services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz")
    services.registration_cancel(registration=registration)
    again = services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz")
    assert again.status == R.REGISTERED


def test_registration_cannot_be_cancelled_once_the_meeting_started(almaly_meeting):
    registration = services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz")
    with (
        time_machine.travel(almaly_meeting.starts_at + timedelta(minutes=5), tick=False),
        pytest.raises(ApplicationError),
    ):
        services.registration_cancel(registration=registration)
    assert Registration.objects.get().status == R.REGISTERED


def test_the_confirmation_goes_through_the_outbox_in_the_residents_language_with_the_ics(almaly_meeting):
    services.registration_create(meeting=almaly_meeting, name="Асель", email="asel@example.kz", language="ru")
    assert mail.outbox == []  # nothing is sent inside the request
    assert notifications_deliver_due() == 1
    (message,) = mail.outbox
    assert message.to == ["asel@example.kz"]
    assert "Отчёт акима Алмалинского района" in message.subject
    assert "/ru/meetings/registration/" in message.body
    assert f"/ru/meetings/{almaly_meeting.pk}.ics" in message.body
    (attachment,) = message.attachments
    assert attachment[0] == "kezdesu-meeting.ics" and "TZID=Asia/Almaty" in attachment[1]


def test_a_resident_who_gave_only_a_phone_gets_an_sms(almaly_meeting, capsys):
    services.registration_create(meeting=almaly_meeting, name="Асель", phone="87012345678", language="kk")
    assert notifications_deliver_due() == 1
    assert mail.outbox == []
    assert "SMS to +77012345678" in capsys.readouterr().out


# --- Agenda, speakers ------------------------------------------------------------------------


def test_the_agenda_cannot_run_longer_than_the_meeting(almaly_meeting, almaly_staff):
    services.agenda_item_add(
        meeting=almaly_meeting, actor=almaly_staff, title_kk="Есеп", minutes=30, is_akim_report=True
    )
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=almaly_meeting, actor=almaly_staff, title_kk="Сұрақтар", minutes=91)
    assert almaly_meeting.agenda.count() == 1


def test_speakers_keep_their_order(almaly_meeting, almaly_staff):
    services.speaker_add(meeting=almaly_meeting, actor=almaly_staff, name_kk="Әкім")
    services.speaker_add(meeting=almaly_meeting, actor=almaly_staff, name_kk="Басқарма басшысы")
    assert list(almaly_meeting.speakers.values_list("name_kk", "order")) == [("Әкім", 1), ("Басқарма басшысы", 2)]


def test_staff_of_another_district_cannot_touch_the_agenda(almaly_meeting, medeu_staff):
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(meeting=almaly_meeting, actor=medeu_staff, title_kk="Есеп", minutes=10)
    assert not almaly_meeting.agenda.exists()


# --- Receptions ------------------------------------------------------------------------------


@pytest.fixture
def reception(almaly, almaly_akim):
    return make_meeting(almaly, kind=Meeting.Kind.RECEPTION, host=almaly_akim, starts_at=in_days(9, hour=10), hours=4)


def test_a_slot_is_booked_by_one_resident_only(reception):
    slot = make_slot(reception)
    booking = services.reception_slot_book(slot=slot, name="Асель", phone="87012345678", topic="Жол")
    assert booking.slot == slot
    with pytest.raises(ApplicationError):
        services.reception_slot_book(slot=slot, name="Бекзат", email="bek@example.kz")
    assert ReceptionBooking.objects.count() == 1


def test_a_cancelled_booking_frees_the_slot(reception):
    slot = make_slot(reception)
    booking = services.reception_slot_book(slot=slot, name="Асель", phone="87012345678")
    services.reception_booking_cancel(booking=booking)
    assert services.reception_slot_book(slot=slot, name="Бекзат", email="bek@example.kz").name == "Бекзат"


def test_one_resident_books_one_slot_per_reception(reception):
    first, second = make_slot(reception), make_slot(reception, starts_at=reception.starts_at + timedelta(minutes=15))
    services.reception_slot_book(slot=first, name="Асель", phone="87012345678")
    with pytest.raises(ApplicationError):
        services.reception_slot_book(slot=second, name="Асель", phone="+77012345678")


def test_slots_fit_the_reception_and_do_not_overlap_for_one_official(reception, almaly_staff):
    add = {"meeting": reception, "actor": almaly_staff, "official_kk": "Әкім орынбасары", "minutes": 20}
    services.reception_slot_add(**add, starts_at=reception.starts_at)
    with pytest.raises(ValidationError):
        services.reception_slot_add(**add, starts_at=reception.starts_at + timedelta(minutes=10))
    with pytest.raises(ValidationError):
        services.reception_slot_add(**add, starts_at=reception.ends_at - timedelta(minutes=10))
    assert reception.reception_slots.count() == 1


def test_slots_belong_only_to_receptions(almaly_meeting, almaly_staff):
    with pytest.raises(ApplicationError):
        services.reception_slot_add(
            meeting=almaly_meeting, actor=almaly_staff, official_kk="Әкім", starts_at=almaly_meeting.starts_at
        )


def test_a_past_slot_cannot_be_booked(reception):
    slot = make_slot(reception)
    with time_machine.travel(slot.starts_at + timedelta(minutes=1), tick=False), pytest.raises(ApplicationError):
        services.reception_slot_book(slot=slot, name="Асель", phone="87012345678")


# --- Plan and rules --------------------------------------------------------------------------


def test_a_plan_item_becomes_a_meeting_once(almaly, almaly_staff):
    item = services.plan_item_create(
        actor=almaly_staff, unit=almaly, planned_on=in_days(5).date(), kind="reporting", title_kk="Есеп"
    )
    assert services.plan_publish(actor=almaly_staff, unit=almaly, year=item.year) == 1
    schedule(almaly_staff, almaly, plan_item=item)
    with pytest.raises(ApplicationError):
        schedule(almaly_staff, almaly, plan_item=item, starts_at=in_days(6), ends_at=in_days(6, 13))
    with pytest.raises(ApplicationError):
        services.plan_item_remove(item=item, actor=almaly_staff)


def test_staff_cannot_plan_for_another_district(medeu, almaly_staff):
    with pytest.raises(PermissionDenied):
        services.plan_item_create(
            actor=almaly_staff, unit=medeu, planned_on=timezone.localdate(), kind="reporting", title_kk="x"
        )


def test_only_an_administrator_changes_the_rules_in_force(almaly_staff, administrator):
    from meetings.models import MandateRuleSet

    decree = MandateRuleSet.objects.get(slug="decree-826-2024")
    with pytest.raises(PermissionDenied):
        services.mandate_ruleset_activate(ruleset=decree, actor=almaly_staff)
    services.mandate_ruleset_activate(ruleset=decree, actor=administrator)
    assert list(MandateRuleSet.objects.filter(is_active=True).values_list("slug", flat=True)) == ["decree-826-2024"]


def test_a_venue_needs_positive_capacity(almaly):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_venue(almaly, capacity=0)
