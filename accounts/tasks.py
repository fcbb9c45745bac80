from celery import shared_task
from django.utils import timezone

from accounts.services import sign_in_codes_delete_expired


@shared_task(name="accounts.delete_expired_sign_in_codes")
def delete_expired_sign_in_codes_task() -> int:
    return sign_in_codes_delete_expired(now=timezone.now())
