from celery import shared_task

from notifications.services import notifications_deliver_due


@shared_task(name="notifications.deliver_due")
def deliver_due_task() -> int:
    return notifications_deliver_due()
