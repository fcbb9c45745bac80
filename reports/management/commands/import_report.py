"""manage.py import_report FILE: a press release in Markdown becomes a draft report.

The same service as the staff import page (reports.services.report_import_release): the same
checks, the same errors (in --language), the same draft updated by a second import.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from districts.models import AdministrativeUnit
from meetings.models import Meeting
from reports.services import report_import_release


class Command(BaseCommand):
    help = (
        "Import a press release (Markdown with YAML front matter: the Kazakh text, then a '## ' heading that "
        "starts the Russian title and text) into a draft report. Nothing changes when the file is malformed; "
        "importing the same file (or the same --slug) again updates its draft; a published report is never "
        "overwritten."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The Markdown file.")
        parser.add_argument("--territory", help="Territory slug (unless the front matter names one).")
        parser.add_argument("--meeting", type=int, help="Id of the meeting the release reports on.")
        parser.add_argument("--slug", help="The report's address (updates a draft with that address).")
        parser.add_argument("--user", help="Username recorded as the author; must cover the territory.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages (default: the active one, else the site's).",
        )

    def handle(self, *args, **options) -> None:
        language = options.get("language") or translation.get_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            report = self._import(Path(options["file"]), options)
            self.stdout.write(
                self.style.SUCCESS(
                    _("Draft report “%(slug)s” (id %(id)s) ready for review.") % {"slug": report.slug, "id": report.pk}
                )
            )

    def _import(self, path: Path, options: dict):
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        unit = meeting = actor = None
        if options.get("territory"):
            unit = AdministrativeUnit.objects.filter(slug=options["territory"]).first()
            if unit is None:
                raise CommandError(
                    _("There is no territory with the address “%(slug)s”.") % {"slug": options["territory"]}
                )
        if options.get("meeting"):
            meeting = Meeting.objects.filter(pk=options["meeting"]).first()
            if meeting is None:
                raise CommandError(_("There is no meeting with the id %(id)s.") % {"id": options["meeting"]})
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("There is no user “%(username)s”.") % {"username": options["user"]})

        def next_to_the_file(name: str) -> ContentFile | None:
            cover = path.parent / name
            return ContentFile(cover.read_bytes(), name=cover.name) if cover.is_file() else None

        try:
            return report_import_release(
                raw=path.read_bytes(),
                source_name=path.name,
                actor=actor,
                unit=unit,
                slug=options.get("slug") or "",
                meeting=meeting,
                find_cover=next_to_the_file,
            )
        except ValidationError as error:
            raise CommandError(f"{path.name}: {'; '.join(error.messages)}") from None
        except ApplicationError as error:
            raise CommandError(f"{path.name}: {error.message}") from None
        except PermissionDenied:
            raise CommandError(
                _("%(username)s may not write reports for this territory.") % {"username": options["user"]}
            ) from None
