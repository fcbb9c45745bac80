"""A stored full-text document of each question, indexed, on PostgreSQL; nothing on SQLite.

Searching a million questions cannot compute to_tsvector for every row at query time. The
column is GENERATED ... STORED, so PostgreSQL keeps it right on every insert and update (COPY
included) without the models knowing it: reports.selectors reads it with RawSQL.
"Russian" stems Russian words; "simple" keeps Kazakh words whole for prefix queries.
"""

from django.db import migrations

DOCUMENT = (
    "to_tsvector('russian'::regconfig, coalesce(text, '') || ' ' || coalesce(answer_text, ''))"
    " || to_tsvector('simple'::regconfig, coalesce(text, '') || ' ' || coalesce(answer_text, ''))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE questions_question ADD COLUMN IF NOT EXISTS search_document tsvector "
            f"GENERATED ALWAYS AS ({DOCUMENT}) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS question_search_document ON questions_question USING gin (search_document)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE questions_question DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("questions", "0004_personal_data_retention")]

    operations = [migrations.RunPython(create, drop)]
