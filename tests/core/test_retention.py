"""Residents' personal data is erased a set time after it stops being needed."""

from datetime import datetime, timedelta

import time_machine
from django.utils import timezone

from meetings.models import Registration
from meetings.tasks import delete_expired_registrations_task
from notifications.models import Message
from notifications.tasks import delete_expired_messages_task
from questions.models import Question
from questions.tasks import anonymise_closed_questions_task
from tests.mail import delivered
from tests.meetings.factories import make_meeting, make_registration
from tests.questions import factories


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def test_a_closed_questions_author_is_erased_after_the_retention_period_and_its_facts_stay(
    almaly, almaly_staff, energy_department, settings, client
):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    start = timezone.make_aware(datetime(2026, 1, 10, 12, 0))
    with at(start):
        closed = factories.answered(almaly, almaly_staff, energy_department, contact_phone="+77011234567")
        open_one = factories.assigned(almaly, almaly_staff, energy_department)
    with at(start + timedelta(days=29)):
        assert anonymise_closed_questions_task() == 0
    with at(start + timedelta(days=31)):
        assert anonymise_closed_questions_task() == 1
        assert anonymise_closed_questions_task() == 0
    closed.refresh_from_db()
    assert (closed.author_name, closed.contact_email, closed.contact_phone, closed.iin) == ("", "", "", "")
    assert closed.anonymised_at is not None
    assert (closed.status, closed.outcome, closed.answer_text) == ("answered", "resolved", closed.answer_text)
    assert Question.objects.get(pk=open_one.pk).contact_email  # still being worked on: kept
    assert client.get(closed.get_absolute_url()).status_code == 200


def test_registrations_are_deleted_after_the_meeting_is_long_over(almaly, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    meeting = make_meeting(almaly, starts_at=timezone.now() - timedelta(days=40), status="held")
    recent = make_meeting(almaly, starts_at=timezone.now() - timedelta(days=10), status="held")
    make_registration(meeting)
    make_registration(recent)
    assert delete_expired_registrations_task() == 1
    assert list(Registration.objects.values_list("meeting_id", flat=True)) == [recent.pk]
    meeting.refresh_from_db()
    assert meeting.attendance == 120


def test_delivered_messages_are_deleted_but_pending_ones_never(almaly, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    start = timezone.now() - timedelta(days=40)
    with at(start):
        factories.new(almaly)
        delivered()
        factories.submit(almaly)  # its confirmation stays pending below
    Message.objects.filter(dedupe_key__contains="event-").filter(status="sent").update(created_at=start)
    Message.objects.filter(status="pending").update(created_at=start)
    assert delete_expired_messages_task() >= 1
    assert not Message.objects.filter(status="sent").exists()
    assert Message.objects.filter(status="pending").exists()
