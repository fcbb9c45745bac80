from django.db.models import Count, QuerySet

from notifications.models import Message


def outbox_counts() -> dict[str, int]:
    """Messages by status, for staff: how many wait, went out, failed."""
    counts = dict(Message.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in Message.Status.values}


def messages_failed() -> QuerySet[Message]:
    return Message.objects.filter(status=Message.Status.FAILED).order_by("-due_at")
