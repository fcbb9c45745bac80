"""Reports are masked when they are written (reports.services): the ones that exist are masked
now, so their stored search document and title trigrams hold nothing a page hides."""

from django.db import migrations

from core.remask import remask_table

NAMES = ("title", "lead", "body", "cover_alt")
# The kk and ru columns, and modeltranslation's untranslated column that mirrors one of them.
FIELDS = [*NAMES, *(f"{name}_{lang}" for name in NAMES for lang in ("kk", "ru"))]


def mask(apps, schema_editor):
    remask_table(apps.get_model("reports", "Report"), {field: field for field in FIELDS})


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_event_notes_to_data")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
