from celery import shared_task
from django.utils import timezone

from meetings.services import mandate_nudges_enqueue, meeting_reminders_enqueue, registrations_delete_expired


@shared_task(name="meetings.send_reminders")
def send_meeting_reminders_task() -> int:
    return meeting_reminders_enqueue(now=timezone.now())


@shared_task(name="meetings.mandate_nudges")
def mandate_nudges_task() -> int:
    return mandate_nudges_enqueue(today=timezone.localdate())


@shared_task(name="meetings.delete_expired_registrations")
def delete_expired_registrations_task() -> int:
    return registrations_delete_expired(now=timezone.now())
