"""Trigram similarity for "similar questions" on PostgreSQL; nothing happens on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS question_text_trgm ON questions_question USING gin (text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS question_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("questions", "0002_categories")]

    # TrigramExtension (CREATE EXTENSION IF NOT EXISTS pg_trgm) does nothing on other databases.
    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
