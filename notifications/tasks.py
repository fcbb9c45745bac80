from celery import shared_task
from django.utils import timezone

from notifications.services import messages_delete_expired, notifications_deliver_due


@shared_task(name="notifications.deliver_due")
def deliver_due_task() -> int:
    return notifications_deliver_due()


@shared_task(name="notifications.delete_expired")
def delete_expired_messages_task() -> int:
    return messages_delete_expired(now=timezone.now())
