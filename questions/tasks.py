from celery import shared_task
from django.utils import timezone

from questions.services import question_expire_unconfirmed


@shared_task(name="questions.expire_unconfirmed")
def expire_unconfirmed_questions_task() -> int:
    """Hourly from beat; a second run finds nothing left to expire."""
    return question_expire_unconfirmed(now=timezone.now())
