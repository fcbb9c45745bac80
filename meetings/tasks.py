from celery import shared_task
from django.utils import timezone

from meetings.services import mandate_nudges_enqueue, meeting_reminders_enqueue


@shared_task(name="meetings.send_reminders")
def send_meeting_reminders_task() -> int:
    return meeting_reminders_enqueue(now=timezone.now())


@shared_task(name="meetings.mandate_nudges")
def mandate_nudges_task() -> int:
    return mandate_nudges_enqueue(today=timezone.localdate())
