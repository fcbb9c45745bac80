from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from notifications.models import Message


def outbox_counts() -> dict[str, int]:
    """Messages by status, for staff: how many wait, went out, failed."""
    counts = dict(Message.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in Message.Status.values}


def messages_failed() -> QuerySet[Message]:
    return Message.objects.filter(status=Message.Status.FAILED).order_by("-due_at")


def messages_claimable(*, now: datetime, leased_before: datetime) -> QuerySet[Message]:
    """Pending messages due by `now` that no worker holds: never claimed, or whose lease ended
    before `leased_before`."""
    return Message.objects.filter(status=Message.Status.PENDING, due_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=leased_before)
    )


def messages_due_remain() -> bool:
    """Whether due messages wait that no worker holds (a delivery run stopped at its limit)."""
    now = timezone.now()
    return messages_claimable(now=now, leased_before=now).exists()


def message_lease_next_end() -> datetime | None:
    """When the first lease on a due pending message runs out (a worker is sending it, or died
    holding it), or None when no worker holds one."""
    now = timezone.now()
    return (
        Message.objects.filter(status=Message.Status.PENDING, due_at__lte=now, claimed_until__gte=now)
        .order_by("claimed_until")
        .values_list("claimed_until", flat=True)
        .first()
    )
