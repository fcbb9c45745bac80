"""A stored full-text document of each report (both languages), indexed, on PostgreSQL only.

See questions/migrations/0005_search_document.py: the same GENERATED ... STORED column, read
by reports.selectors with RawSQL; titles keep their trigram index for misspelt words.
"""

from django.db import migrations

FIELDS = ("title_kk", "title_ru", "lead_kk", "lead_ru", "body_kk", "body_ru")
TEXT = " || ' ' || ".join(f"coalesce({field}, '')" for field in FIELDS)
DOCUMENT = f"to_tsvector('russian'::regconfig, {TEXT}) || to_tsvector('simple'::regconfig, {TEXT})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE reports_report ADD COLUMN IF NOT EXISTS search_document tsvector "
            f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS report_search_document ON reports_report USING gin (search_document)"
        )
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for field in ("title_kk", "title_ru"):
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS report_{field}_trgm ON reports_report USING gin ({field} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS report_title_kk_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS report_title_ru_trgm")
        schema_editor.execute("ALTER TABLE reports_report DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("questions", "0003_trigram")]

    operations = [migrations.RunPython(create, drop)]
