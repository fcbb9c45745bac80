"""manage.py import_report FILE: a press release in Markdown becomes a draft report."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.errors import ApplicationError
from districts.models import AdministrativeUnit
from meetings.models import Meeting
from reports.imports import decode, parse_press_release
from reports.services import report_import


class Command(BaseCommand):
    help = (
        "Import a press release (Markdown with YAML front matter: the Kazakh text, then a '## ' heading that "
        "starts the Russian title and text) into a draft report. Nothing changes when the file is malformed; "
        "a published report is never overwritten."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The Markdown file.")
        parser.add_argument("--territory", help="Territory slug (unless the front matter names one).")
        parser.add_argument("--meeting", type=int, help="Id of the meeting the release reports on.")
        parser.add_argument("--slug", help="The report's address (updates a draft with that address).")
        parser.add_argument("--user", help="Username recorded as the author; must cover the territory.")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            document = parse_press_release(decode(path.read_bytes()), source_name=path.name)
        except ValidationError as error:
            raise CommandError(f"{path.name}: {'; '.join(error.messages)}") from None

        slug = options.get("territory") or document.territory
        if not slug:
            raise CommandError("Name the territory: --territory SLUG or 'territory:' in the front matter.")
        unit = AdministrativeUnit.objects.filter(slug=slug).first()
        if unit is None:
            raise CommandError(f"No territory with the slug {slug!r}.")
        meeting = None
        if options.get("meeting"):
            meeting = Meeting.objects.filter(pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(f"No meeting with the id {options['meeting']}.")
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")

        cover_path = None
        if document.cover:
            cover_path = (path.parent / document.cover).resolve()
            if not cover_path.is_file():
                raise CommandError(f"{path.name}: the cover {document.cover!r} is not next to the file.")
        try:
            with transaction.atomic():
                if cover_path is not None:
                    with cover_path.open("rb") as handle:
                        report = report_import(
                            actor=actor,
                            unit=unit,
                            document=document,
                            slug=options.get("slug") or document.slug,
                            meeting=meeting,
                            cover=File(handle, name=cover_path.name),
                        )
                else:
                    report = report_import(
                        actor=actor,
                        unit=unit,
                        document=document,
                        slug=options.get("slug") or document.slug,
                        meeting=meeting,
                    )
        except ValidationError as error:
            raise CommandError(f"{path.name}: {'; '.join(error.messages)}") from None
        except ApplicationError as error:
            raise CommandError(f"{path.name}: {error.message}") from None
        except PermissionDenied:
            raise CommandError(f"{options['user']} may not write reports for {unit.slug}.") from None
        self.stdout.write(self.style.SUCCESS(f"Draft report {report.slug!r} (id {report.pk}) ready for review."))
