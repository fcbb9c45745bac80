"""The lifecycle: every step, every refusal, and the events and messages each one leaves."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.errors import ApplicationError
from questions import services
from questions.models import Question, QuestionEvent, Support
from tests.factories import UserFactory
from tests.mail import delivered
from tests.questions import factories
from tests.questions.factories import refresh

S = Question.Status
E = QuestionEvent.Kind
ALMATY_TZ = ZoneInfo("Asia/Almaty")


def kinds(question):
    return list(question.events.order_by("at", "pk").values_list("kind", flat=True))


def local(*args):
    return datetime(*args, tzinfo=ALMATY_TZ)


# --- Submission and confirmation --------------------------------------------------------------


def test_submitting_records_the_question_and_sends_a_link_and_a_code(almaly, water, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = factories.submit(almaly, contact_email="Aigerim@Example.kz", language="ru")
    assert question.status == S.SUBMITTED
    assert question.contact_email == "aigerim@example.kz"
    assert kinds(question) == [E.SUBMITTED]
    assert len(delivered()) == 1
    message = delivered()[0]
    assert message.to == ["aigerim@example.kz"]
    assert "/ru/questions/confirm/" in message.body
    assert services.confirmation_code(question) in message.body
    assert question.token not in message.body.split("/confirm/")[0]


def test_a_phone_contact_gets_the_code_by_sms(almaly, water, capsys):
    question = factories.submit(almaly, contact_email="", contact_phone="8 (701) 000-00-11")
    assert question.contact_phone == "+77010000011"
    assert delivered() == []
    sms = capsys.readouterr().out  # the console SMS backend
    assert "SMS to +77010000011" in sms
    assert services.confirmation_code(question) in sms


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "Қысқа"}, "text"),
        ({"text": "ы" * 2001}, "text"),
        ({"contact_email": "", "contact_phone": ""}, "contact"),
        ({"contact_email": "", "contact_phone": "+1 202 555 0100"}, "contact_phone"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"author_name": "  "}, "author_name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(almaly, water, fields, field):
    with pytest.raises(ValidationError) as error:
        factories.submit(almaly, **fields)
    assert field in error.value.message_dict
    assert not Question.objects.exists()
    assert not QuestionEvent.objects.exists()


def test_an_official_appeal_needs_full_name_address_and_a_valid_iin(almaly, water):
    with pytest.raises(ValidationError) as error:
        factories.submit(
            almaly, is_official_appeal=True, full_name="Ахметова Айгерім", postal_address="", iin="900101300177"
        )
    assert set(error.value.message_dict) == {"postal_address", "iin"}
    question = factories.submit(
        almaly,
        is_official_appeal=True,
        full_name="Ахметова Айгерім Серікқызы",
        postal_address="Алматы, Абай даңғылы 1, 5 пәтер",
        iin="900101300176",
    )
    assert question.is_official_appeal and question.iin == "900101300176"


def test_identity_fields_are_dropped_when_it_is_not_an_appeal(almaly, water):
    question = factories.submit(almaly, full_name="Ахметова", postal_address="Алматы", iin="900101300176")
    assert (question.full_name, question.postal_address, question.iin) == ("", "", "")


def test_confirming_by_code_registers_it_with_the_legal_due_date(almaly, water):
    with time_machine.travel(local(2026, 3, 19, 10), tick=False):
        submitted = factories.submit(almaly)
        question = services.question_confirm_by_code(question=submitted, code=services.confirmation_code(submitted))
    assert question.status == S.NEW
    assert question.registered_on == date(2026, 3, 19)
    assert question.due_on == date(2026, 4, 14)  # 15 working days, Nauryz skipped
    assert kinds(question) == [E.SUBMITTED, E.CONFIRMED]


def test_a_question_confirmed_on_a_day_off_counts_from_the_next_working_day(almaly, water):
    with time_machine.travel(local(2026, 1, 1, 12), tick=False):
        question = factories.new(almaly)
    assert question.registered_on == date(2026, 1, 1)
    assert question.due_on == date(2026, 1, 27)  # from Monday 5 January; 7 January is off


def test_confirming_by_link_is_idempotent(submitted):
    link = services.confirmation_link(submitted)
    signed = link.rstrip("/").rsplit("/", 1)[1]
    assert services.question_confirm_by_link(signed=signed).status == S.NEW
    assert services.question_confirm_by_link(signed=signed).status == S.NEW
    assert kinds(refresh(submitted)).count(E.CONFIRMED) == 1


def test_a_forged_link_is_refused(submitted):
    forged = signing.dumps(submitted.token, salt="something-else")
    with pytest.raises(ApplicationError):
        services.question_confirm_by_link(signed=forged)
    with pytest.raises(ApplicationError):
        services.question_confirm_by_link(
            signed=services.confirmation_link(submitted).rstrip("/").rsplit("/", 1)[1][:-2] + "xx"
        )
    assert refresh(submitted).status == S.SUBMITTED


def test_an_expired_link_is_refused(almaly, water):
    with time_machine.travel(local(2026, 4, 1, 9), tick=False):
        question = factories.submit(almaly)
        signed = services.confirmation_link(question).rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(local(2026, 4, 8, 9, 0, 1), tick=False), pytest.raises(ApplicationError) as error:
        services.question_confirm_by_link(signed=signed)
    with translation.override("ru"):
        assert "Срок действия ссылки истёк" in str(error.value.message)
    assert refresh(question).status == S.SUBMITTED


def test_a_wrong_code_is_counted_and_five_lock_the_code(submitted):
    right = services.confirmation_code(submitted)
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises(ValidationError):
            services.question_confirm_by_code(question=refresh(submitted), code=wrong)
    with pytest.raises(ApplicationError):
        services.question_confirm_by_code(question=refresh(submitted), code=right)
    assert refresh(submitted).status == S.SUBMITTED
    assert refresh(submitted).confirmation_attempts == 5


def test_after_five_wrong_codes_only_a_new_code_confirms_and_the_old_one_stops_working(submitted):
    old = services.confirmation_code(submitted)
    wrong = "000000" if old != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises(ValidationError):
            services.question_confirm_by_code(question=refresh(submitted), code=wrong)
    with pytest.raises(ApplicationError) as locked:
        services.question_confirm_by_code(question=refresh(submitted), code=old)
    assert locked.value.status_code == 429
    renewed = services.question_code_renew(question=refresh(submitted))
    assert renewed.confirmation_round == 1 and renewed.confirmation_attempts == 0
    new = services.confirmation_code(renewed)
    assert new != old
    with pytest.raises(ValidationError):
        services.question_confirm_by_code(question=refresh(submitted), code=old)
    assert services.question_confirm_by_code(question=refresh(submitted), code=new).status == S.NEW
    with pytest.raises(ApplicationError):
        services.question_code_renew(question=refresh(submitted))  # confirmed: no code needed


def test_a_new_code_is_sent_to_the_contact(submitted):
    from notifications.models import Message

    services.question_code_renew(question=refresh(submitted))
    sent = Message.objects.filter(kind="questions.confirmation").order_by("pk")
    assert sent.count() == 2  # the first code, then the new one
    assert services.confirmation_code(refresh(submitted)) in sent.last().context["body"]


def test_unconfirmed_questions_expire_after_seven_days_and_a_second_run_does_nothing(almaly, water):
    with time_machine.travel(local(2026, 4, 1, 9), tick=False):
        old = factories.submit(almaly)
    with time_machine.travel(local(2026, 4, 6, 9), tick=False):
        recent = factories.submit(almaly)
    with time_machine.travel(local(2026, 4, 8, 9, 1), tick=False):
        assert services.question_expire_unconfirmed() == 1
        assert services.question_expire_unconfirmed() == 0
        with pytest.raises(ApplicationError):
            services.question_confirm_by_code(question=refresh(old), code=services.confirmation_code(old))
    assert refresh(old).status == S.EXPIRED
    assert kinds(old) == [E.SUBMITTED, E.EXPIRED]
    assert refresh(recent).status == S.SUBMITTED


# --- Triage ---------------------------------------------------------------------------------------


def test_staff_accept_a_new_question_and_may_correct_its_category(new_question, almaly_staff, roads):
    question = services.question_accept(question=new_question, actor=almaly_staff, category=roads)
    assert question.status == S.ACCEPTED and question.category == roads
    event = question.events.get(kind=E.ACCEPTED)
    assert event.actor == almaly_staff and (event.from_status, event.to_status) == (S.NEW, S.ACCEPTED)
    assert event.data["category"][1]["id"] == roads.pk and event.note == ""
    with translation.override("ru"):
        assert event.summary == f"Категория: {event.data['category'][0]['ru']} → {roads.name_ru}"


def test_only_new_questions_can_be_accepted(submitted, accepted_question, almaly_staff):
    for question in (submitted, accepted_question):
        before = refresh(question).status
        with pytest.raises(ApplicationError):
            services.question_accept(question=question, actor=almaly_staff)
        assert refresh(question).status == before


def test_staff_of_another_district_cannot_touch_the_question(new_question, medeu_staff, department_officer, resident):
    for outsider in (medeu_staff, department_officer, resident):
        with pytest.raises(PermissionDenied):
            services.question_accept(question=new_question, actor=outsider)
    assert refresh(new_question).status == S.NEW
    assert kinds(new_question) == [E.SUBMITTED, E.CONFIRMED]


def test_city_staff_act_in_every_district_of_the_city(new_question, almaty_staff):
    assert services.question_accept(question=new_question, actor=almaty_staff).status == S.ACCEPTED


def test_rejecting_tells_the_author_why(new_question, almaly_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.question_reject(question=new_question, actor=almaly_staff, reason="abusive", note="Сыпайы жазыңыз.")
    question = refresh(new_question)
    assert question.status == S.REJECTED and question.reject_reason == "abusive"
    assert delivered()[-1].to == [question.contact_email]
    assert "Сыпайы жазыңыз." in delivered()[-1].body


def test_rejecting_needs_a_known_reason(new_question, almaly_staff):
    with pytest.raises(ValidationError):
        services.question_reject(question=new_question, actor=almaly_staff, reason="boring")
    assert refresh(new_question).status == S.NEW


def test_a_duplicate_is_merged_and_its_author_counts_once_for_the_original(almaly, almaly_staff, resident, water):
    original = factories.accepted(almaly, almaly_staff)
    services.question_support(question=original, user=resident)
    duplicate = factories.new(almaly, author=resident)
    again = factories.new(almaly, contact_email="neighbour@example.kz")
    services.question_reject(question=duplicate, actor=almaly_staff, reason="duplicate", duplicate_of=original)
    services.question_reject(question=again, actor=almaly_staff, reason="duplicate", duplicate_of=original)
    original = refresh(original)
    assert refresh(duplicate).duplicate_of == original
    # resident (already a supporter) is not counted twice; the neighbour is added.
    assert original.support_count == 3 - 1 == original.supports.filter(confirmed_at__isnull=False).count()
    assert kinds(original).count(E.MERGED) == 2


def test_a_duplicate_needs_a_published_original_in_the_staff_territory(almaly, medeu, almaly_staff, medeu_staff, water):
    question = factories.new(almaly)
    elsewhere = factories.accepted(medeu, medeu_staff)
    unpublished = factories.new(almaly)
    for original in (None, elsewhere, unpublished, question):
        with pytest.raises(ValidationError):
            services.question_reject(question=question, actor=almaly_staff, reason="duplicate", duplicate_of=original)
    assert refresh(question).status == S.NEW


def test_a_moderator_triages_but_does_not_route(almaly, new_question, energy_department):
    from accounts.models import StaffRole
    from tests.factories import make_staff

    moderator = make_staff(almaly, StaffRole.Role.MODERATOR, username="moderator")
    question = services.question_accept(question=new_question, actor=moderator)
    with pytest.raises(PermissionDenied):
        services.question_assign(question=question, actor=moderator, department=energy_department)


# --- Work -----------------------------------------------------------------------------------------


def test_assigning_routes_to_a_department_with_15_working_days_from_registration(
    almaly, almaly_staff, energy_department, department_officer, water
):
    with time_machine.travel(local(2025, 12, 26, 10), tick=False):
        question = factories.accepted(almaly, almaly_staff)
    with time_machine.travel(local(2025, 12, 30, 10), tick=False):
        question = services.question_assign(
            question=question, actor=almaly_staff, department=energy_department, officer=department_officer
        )
    assert question.status == S.ASSIGNED
    assert question.department == energy_department and question.officer == department_officer
    assert question.due_on == date(2026, 1, 21)  # counted from the registration, over the New Year


def test_a_department_of_another_territory_cannot_be_assigned(accepted_question, almaly_staff, almaty_region):
    from districts.services import department_create

    far = department_create(unit=almaty_region, name_kk="Облыстық басқарма")
    with pytest.raises(ValidationError):
        services.question_assign(question=accepted_question, actor=almaly_staff, department=far)
    assert refresh(accepted_question).status == S.ACCEPTED


def test_an_officer_of_another_department_cannot_be_assigned(
    accepted_question, almaly_staff, energy_department, almaly_staff_is_not_officer=None
):
    with pytest.raises(ValidationError):
        services.question_assign(
            question=accepted_question, actor=almaly_staff, department=energy_department, officer=almaly_staff
        )


def test_only_accepted_questions_can_be_assigned(new_question, almaly_staff, energy_department):
    with pytest.raises(ApplicationError):
        services.question_assign(question=new_question, actor=almaly_staff, department=energy_department)


def test_the_term_is_extended_once_by_at_most_two_months_and_the_author_told(
    assigned_question, almaly_staff, django_capture_on_commit_callbacks
):
    due = assigned_question.due_on
    too_late = due + relativedelta(months=2) + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.question_extend(
            question=assigned_question, actor=almaly_staff, due_on=too_late, reason="Бюджет керек, жөндеу жоспарланды."
        )
    with pytest.raises(ValidationError):
        services.question_extend(
            question=assigned_question, actor=almaly_staff, due_on=due + timedelta(days=30), reason=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_extend(
            question=assigned_question,
            actor=almaly_staff,
            due_on=due + timedelta(days=30),
            reason="Мердігер іздестірілуде.",
        )
    assert question.due_on == due + timedelta(days=30) and question.extended_at is not None
    assert "Мердігер іздестірілуде." in delivered()[-1].body
    with pytest.raises(ApplicationError):
        services.question_extend(
            question=question,
            actor=almaly_staff,
            due_on=question.due_on + timedelta(days=1),
            reason="Тағы да ұзарту керек.",
        )
    assert kinds(question).count(E.EXTENDED) == 1


def test_a_department_officer_cannot_extend(assigned_question, department_officer):
    with pytest.raises(PermissionDenied):
        services.question_extend(
            question=assigned_question,
            actor=department_officer,
            due_on=assigned_question.due_on + timedelta(days=5),
            reason="Себебі бар, ұзартамыз.",
        )


def test_forwarding_records_where_the_question_went_and_tells_the_author(
    accepted_question, almaly_staff, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.question_forward(question=accepted_question, actor=almaly_staff, forwarded_to=" ")
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_forward(
            question=accepted_question, actor=almaly_staff, forwarded_to="ҚР Көлік министрлігі"
        )
    assert question.status == S.FORWARDED and question.forwarded_to == "ҚР Көлік министрлігі"
    assert "ҚР Көлік министрлігі" in delivered()[-1].body


def test_the_assigned_department_officer_answers_with_an_outcome(assigned_question, department_officer):
    question = services.question_answer(
        question=assigned_question,
        actor=department_officer,
        answer_text="Желі жөнделді, су берілді.",
        outcome="resolved",
    )
    assert (
        question.status == S.ANSWERED and question.outcome == "resolved" and question.answered_by == department_officer
    )
    assert kinds(question)[-1] == E.ANSWERED


def test_an_officer_cannot_answer_a_question_of_another_department(accepted_question, department_officer):
    with pytest.raises(PermissionDenied):
        services.question_answer(
            question=accepted_question,
            actor=department_officer,
            answer_text="Жауап мәтіні осында.",
            outcome="explained",
        )


def test_an_answer_needs_text_and_a_known_outcome(assigned_question, almaly_staff):
    for text, outcome in (("қысқа", "resolved"), ("Жауап мәтіні осында.", "maybe")):
        with pytest.raises(ValidationError):
            services.question_answer(question=assigned_question, actor=almaly_staff, answer_text=text, outcome=outcome)
    assert refresh(assigned_question).status == S.ASSIGNED


def test_an_answered_question_cannot_be_answered_again(answered_question, almaly_staff):
    with pytest.raises(ApplicationError):
        services.question_answer(
            question=answered_question, actor=almaly_staff, answer_text="Тағы бір жауап.", outcome="resolved"
        )


# --- The author ------------------------------------------------------------------------------------


def test_satisfied_closes_and_a_second_rating_is_refused(answered_question):
    question = services.question_rate(question=answered_question, satisfied=True, comment="Рақмет!")
    assert question.satisfied is True and question.status == S.ANSWERED
    with pytest.raises(ApplicationError):
        services.question_rate(question=question, satisfied=False)


def test_not_satisfied_reopens_once(answered_question, almaly_staff):
    question = services.question_rate(question=answered_question, satisfied=False, comment="Су әлі жоқ.")
    assert question.status == S.ASSIGNED and question.reopened_count == 1
    assert kinds(question)[-2:] == [E.RATED, E.REOPENED]
    question = services.question_answer(
        question=question, actor=almaly_staff, answer_text="Екінші рет тексерілді.", outcome="planned"
    )
    question = services.question_rate(question=question, satisfied=False)
    assert question.status == S.ANSWERED and question.satisfied is False
    assert kinds(question).count(E.REOPENED) == 1


def test_only_answered_questions_can_be_rated(accepted_question):
    with pytest.raises(ApplicationError):
        services.question_rate(question=accepted_question, satisfied=True)


def test_the_author_withdraws_before_the_answer_but_not_after(accepted_question, answered_question):
    assert services.question_withdraw(question=accepted_question).status == S.WITHDRAWN
    with pytest.raises(ApplicationError):
        services.question_withdraw(question=answered_question)
    with pytest.raises(ApplicationError):
        services.question_withdraw(question=refresh(accepted_question))


# --- Staff entry and answers on the spot ----------------------------------------------------------


@pytest.fixture
def held_meeting(almaly):
    from meetings.models import Meeting

    start = timezone.now() - timedelta(hours=3)
    return Meeting.objects.create(
        unit=almaly,
        title_kk="Әкімнің есебі",
        title="Әкімнің есебі",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status=Meeting.Status.HELD,
        attendance=120,
    )


def test_staff_record_a_question_raised_aloud_and_answer_it_on_the_spot(almaly, almaly_staff, held_meeting, water):
    question = services.question_enter(
        actor=almaly_staff,
        unit=almaly,
        category=water,
        text="Көшеде жарық жоқ, шам қою керек.",
        language="kk",
        source="meeting",
        author_name="",
        meeting=held_meeting,
    )
    assert question.status == S.ACCEPTED and question.registered_on and question.due_on
    question = services.question_answer_on_the_spot(
        question=question,
        actor=almaly_staff,
        meeting=held_meeting,
        answer_text="Келесі аптада шам қойылады.",
        outcome="resolved",
    )
    assert question.status == S.ANSWERED and question.answered_at_meeting == held_meeting
    assert kinds(question) == [E.ENTERED, E.ANSWERED_ON_THE_SPOT]


def test_staff_cannot_record_questions_outside_their_territory_or_as_online(almaly, medeu, almaly_staff, water):
    with pytest.raises(PermissionDenied):
        services.question_enter(
            actor=almaly_staff,
            unit=medeu,
            category=water,
            text="Көшеде жарық жоқ, шам керек.",
            language="kk",
            source="paper",
            author_name="",
        )
    with pytest.raises(ValidationError):
        services.question_enter(
            actor=almaly_staff,
            unit=almaly,
            category=water,
            text="Көшеде жарық жоқ, шам керек.",
            language="kk",
            source="online",
            author_name="",
        )
    assert not Question.objects.exists()


def test_an_answer_on_the_spot_needs_a_meeting_that_took_place(accepted_question, almaly_staff, held_meeting):
    held_meeting.starts_at = timezone.now() + timedelta(days=2)
    held_meeting.ends_at = held_meeting.starts_at + timedelta(hours=2)
    with pytest.raises(ValidationError):
        services.question_answer_on_the_spot(
            question=accepted_question, actor=almaly_staff, meeting=held_meeting, answer_text="Жауап берілді осында."
        )


# --- Support -------------------------------------------------------------------------------------


def test_an_account_supports_once(accepted_question, resident):
    services.question_support(question=accepted_question, user=resident)
    with pytest.raises(ApplicationError):
        services.question_support(question=accepted_question, user=resident)
    assert refresh(accepted_question).support_count == 1


def test_a_contact_supports_once_after_confirming_by_link(accepted_question, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        support = services.question_support(question=accepted_question, contact="Neighbour@example.kz")
    assert refresh(accepted_question).support_count == 0
    signed = delivered()[-1].body.split("/support/confirm/")[1].split("/")[0]
    services.question_support_confirm(signed=signed)
    services.question_support_confirm(signed=signed)
    assert refresh(accepted_question).support_count == 1
    with pytest.raises(ApplicationError):
        services.question_support(question=accepted_question, contact="neighbour@example.kz")
    assert Support.objects.get(pk=support.pk).contact == "neighbour@example.kz"


def test_unpublished_and_own_questions_cannot_be_supported(new_question, accepted_question, resident):
    with pytest.raises(ApplicationError):
        services.question_support(question=new_question, user=resident)
    with pytest.raises(ApplicationError):
        services.question_support(question=accepted_question, contact=accepted_question.contact_email)
    other = UserFactory()
    accepted_question.author = other
    accepted_question.save()
    with pytest.raises(ApplicationError):
        services.question_support(question=accepted_question, user=other)
