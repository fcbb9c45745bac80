"""Reminders with real Celery workers on Redis: a job run twice sends once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.tasks import send_meeting_reminders_task
from notifications.models import Message
from tests.meetings.factories import make_meeting, make_registration
from tests.processes import celery, database_url, needs_redis, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_reminder_job_run_twice_on_two_workers_sends_once(tmp_path, almaly):
    needs_redis()
    meeting = make_meeting(almaly, starts_at=timezone.now() + timedelta(hours=23))
    registration = make_registration(meeting, created_at=timezone.now() - timedelta(days=3))
    env = {"DATABASE_URL": database_url()}
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    with celery("worker", logs[0], **env), celery("worker", logs[1], **env):
        send_meeting_reminders_task.delay()
        send_meeting_reminders_task.delay()
        wait_for(
            lambda: Message.objects.filter(kind="meetings.reminder", status="sent").exists(),
            timeout=90,
            what="the reminder to be delivered",
        )
        # Both jobs have finished and nothing is left to deliver before we count.
        wait_for(
            lambda: (
                sum(
                    line.count("meetings.send_reminders")
                    for log in logs
                    for line in log.read_text().splitlines()
                    if "succeeded" in line
                )
                == 2
                and not Message.objects.filter(status="pending").exists()
            ),
            timeout=60,
            what="both jobs to finish",
        )
    assert Message.objects.filter(kind="meetings.reminder").count() == 1
    sent_to = sum(log.read_text().count(f"To: {registration.email}") for log in logs)
    assert sent_to == 1
