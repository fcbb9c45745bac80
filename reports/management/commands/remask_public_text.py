"""manage.py remask_public_text: mask every published text again with the current rules.

Run it after changing core/masking.py. The public copies of questions, answers and timeline
notes are written again from their originals; reports, masked in place, are masked again.
Batched, and idempotent: a row whose masked text would not change is not written, so a second
run reports no changes.
"""

from django.core.management.base import BaseCommand

from questions.services import questions_remask_public_text
from reports.services import reports_remask_text


class Command(BaseCommand):
    help = "Re-mask the public copies of questions, answers, notes and reports with the current rules."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows read and written at a time.")

    def handle(self, *args, **options) -> None:
        batch_size = max(1, options["batch_size"])
        counts = questions_remask_public_text(batch_size=batch_size)
        counts["reports.Report"] = reports_remask_text(batch_size=batch_size)
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count.rows} rows read, {count.changed} changed")
        total = sum(count.changed for count in counts.values())
        self.stdout.write(self.style.SUCCESS(f"{total} rows re-masked."))
