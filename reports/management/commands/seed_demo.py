from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from cycles import demo as cycles_demo
from districts import demo as districts_demo
from meetings import demo as meetings_demo
from questions import demo as questions_demo
from reports import demo as reports_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: a second run adds nothing). People in it are fictional."

    def handle(self, *args, **options) -> None:
        # Each app seeds its own part, in the order imports flow.
        with transaction.atomic():
            units = districts_demo.seed()
            accounts_demo.seed()
            meetings_demo.seed()
            questions_demo.seed()
            cycles_demo.seed()
            reports_demo.seed()
            cycles_demo.seed_plans()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(units)} territories."))
