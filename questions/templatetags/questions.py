from datetime import date

from django import template
from django.utils import timezone

from core.templatetags.kezdesu import number
from core.working_days import working_days_between

register = template.Library()


@register.simple_tag
def working_days_left(due_on: date | None) -> int | None:
    if due_on is None:
        return None
    return working_days_between(timezone.localdate(), due_on)


@register.inclusion_tag("questions/_due_badge.html")
def due_badge(question) -> dict:
    """Green with time to spare, amber when due within days, red when overdue."""
    if question.due_on is None or question.status not in ("new", "accepted", "assigned"):
        return {"question": question, "left": None}
    left = working_days_between(timezone.localdate(), question.due_on)
    state = "overdue" if left < 0 else "soon" if left <= 3 else "ok"
    return {"question": question, "left": left, "overdue_by": -left, "state": state}


@register.simple_tag
def count_upto(value: int, limit: int) -> str:
    """A count that stopped at `limit`: "1 000+" above it, the number itself up to it."""
    return f"{number(limit)}+" if value > limit else number(value)
