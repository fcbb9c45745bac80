"""Questions' scheduled jobs and status notices, with time frozen on their edges."""

from datetime import date, datetime

import time_machine
from django.core import mail
from django.utils import timezone

from notifications.models import Message
from questions.tasks import feedback_requests_task, officer_reminders_task, staff_digest_task
from tests.factories import make_staff
from tests.mail import delivered
from tests.questions import factories


def at(*args) -> time_machine.travel:
    return time_machine.travel(timezone.make_aware(datetime(*args)), tick=False)


def test_the_author_hears_of_each_status_change_once_in_their_language(almaly, almaly_staff, energy_department):
    question = factories.assigned(almaly, almaly_staff, energy_department, language="ru")
    subjects = [m.subject for m in delivered() if m.to == [question.contact_email]]
    assert subjects == [
        "Подтвердите свой вопрос акимату",
        "Ваш вопрос принят",
        "Ваш вопрос в работе",
    ]
    assert delivered()[-1].body.count("/ru/questions/track/") == 1


def test_the_officer_is_reminded_two_working_days_before_the_due_date_across_nauryz(
    almaly, almaly_staff, energy_department, department_officer
):
    department_officer.email = "officer@example.kz"
    department_officer.save()
    with at(2026, 3, 2, 10, 0):  # registered Monday 2 March; 15 working days skip Nauryz (21–25 March)
        question = factories.assigned(almaly, almaly_staff, energy_department)
    assert question.due_on == date(2026, 3, 27)
    delivered()
    mail.outbox.clear()
    with at(2026, 3, 19, 9, 0):  # Thursday: 20 and 26 March are the next two working days
        assert officer_reminders_task() == 0
    with at(2026, 3, 20, 9, 0):  # Friday: Nauryz (21–25) lies between, so the 27th is 2 working days away
        assert officer_reminders_task() == 1
        assert officer_reminders_task() == 0
    assert [m.to for m in delivered()] == [["officer@example.kz"]]
    assert "27.03.2026" in mail.outbox[0].body


def test_the_staff_digest_lists_overdue_questions_once_a_day_and_only_for_covered_territories(
    almaly, medeu, almaly_staff, energy_department
):
    almaly_staff.email = "almaly@example.kz"
    almaly_staff.save()
    make_staff(medeu, username="medeu.digest", email="medeu@example.kz")
    with at(2026, 1, 5, 10, 0):
        late = factories.assigned(almaly, almaly_staff, energy_department)
        factories.new(almaly)
    with at(2026, 3, 2, 8, 45):
        assert staff_digest_task() == 1  # Medeu has nothing to report
        assert staff_digest_task() == 0
    with at(2026, 3, 3, 8, 45):
        assert staff_digest_task() == 1  # a new day, a new digest
    digests = [m for m in delivered() if m.to == ["almaly@example.kz"]]
    assert len(digests) == 2
    assert f"№ {late.pk}" in digests[0].body
    assert "1 жаңа сұрақ қарауды күтіп тұр." in digests[0].body


def test_the_author_is_asked_three_days_after_the_answer_whether_it_helped(almaly, almaly_staff, energy_department):
    with at(2026, 5, 4, 12, 0):
        question = factories.answered(almaly, almaly_staff, energy_department, language="ru")
    with at(2026, 5, 7, 11, 59):
        assert feedback_requests_task() == 0
    with at(2026, 5, 7, 12, 0):
        assert feedback_requests_task() == 1
        assert feedback_requests_task() == 0
    assert Message.objects.filter(kind="questions.feedback_request").count() == 1
    assert delivered()[-1].to == [question.contact_email]


def test_no_follow_up_once_the_author_has_rated(almaly, almaly_staff, energy_department):
    from questions import services

    with at(2026, 5, 4, 12, 0):
        question = factories.answered(almaly, almaly_staff, energy_department)
        services.question_rate(question=question, satisfied=True)
    with at(2026, 5, 8, 12, 0):
        assert feedback_requests_task() == 0
