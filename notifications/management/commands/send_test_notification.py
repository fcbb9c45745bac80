from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from notifications.services import notification_enqueue, notifications_deliver_due


class Command(BaseCommand):
    help = "Queue (and with --now deliver) a test message, to check the email or SMS configuration."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--language", default="kk", choices=["kk", "ru"])
        parser.add_argument("--now", action="store_true", help="deliver in this process instead of a worker")

    def handle(self, *args, email: str, phone: str, language: str, now: bool, **options) -> None:
        if bool(email) == bool(phone):
            raise CommandError("Give exactly one of --email or --phone.")
        with transaction.atomic():
            message = notification_enqueue(
                kind="notifications.check",
                language=language,
                dedupe_key=f"notifications.check:{email or phone}:{timezone.now().isoformat()}",
                email=email,
                phone=phone,
            )
        if now:
            notifications_deliver_due()
            message.refresh_from_db()
        self.stdout.write(f"Message {message.pk}: {message.status} {message.last_error}".strip())
