from celery import shared_task
from django.utils import timezone

from questions.services import (
    question_expire_unconfirmed,
    questions_anonymise_closed,
    questions_feedback_requests_enqueue,
    questions_officer_reminders_enqueue,
    questions_staff_digest_enqueue,
)


@shared_task(name="questions.expire_unconfirmed")
def expire_unconfirmed_questions_task() -> int:
    """Hourly from beat; a second run finds nothing left to expire."""
    return question_expire_unconfirmed(now=timezone.now())


@shared_task(name="questions.officer_reminders")
def officer_reminders_task() -> int:
    return questions_officer_reminders_enqueue(today=timezone.localdate())


@shared_task(name="questions.staff_digest")
def staff_digest_task() -> int:
    return questions_staff_digest_enqueue(today=timezone.localdate())


@shared_task(name="questions.feedback_requests")
def feedback_requests_task() -> int:
    return questions_feedback_requests_enqueue(now=timezone.now())


@shared_task(name="questions.anonymise_closed")
def anonymise_closed_questions_task() -> int:
    return questions_anonymise_closed(now=timezone.now())
