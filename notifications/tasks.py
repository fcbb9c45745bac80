from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from notifications.selectors import message_lease_next_end, messages_due_remain
from notifications.services import messages_delete_expired, notifications_deliver_due


@shared_task(name="notifications.deliver_due")
def deliver_due_task() -> int:
    sent = notifications_deliver_due()
    # A run stops after NOTIFICATIONS_BATCH_LIMIT messages, so that no task runs for long; the
    # next run carries on at once, on whichever worker is free.
    if messages_due_remain():
        deliver_due_task.apply_async()
    elif lease_end := message_lease_next_end():
        # Messages another worker holds: if that worker died, they are due again when its lease
        # runs out, not at the next beat a minute later. If it is alive, that run finds nothing.
        deliver_due_task.apply_async(eta=lease_end + timedelta(seconds=1))
    return sent


@shared_task(name="notifications.delete_expired")
def delete_expired_messages_task() -> int:
    return messages_delete_expired(now=timezone.now())
