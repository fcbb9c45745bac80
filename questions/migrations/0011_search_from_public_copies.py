"""Search reads the public copies: the stored full-text document and the trigram index of
"similar questions" are rebuilt from text_public and answer_public, on PostgreSQL. Built from
the originals, they let a search for the first digits of a hidden IIN find its question.

SQLite has neither (its search scans the public columns in Python): nothing happens there.
"""

from django.db import migrations

PUBLIC = "coalesce(text_public, '') || ' ' || coalesce(answer_public, '')"
ORIGINAL = "coalesce(text, '') || ' ' || coalesce(answer_text, '')"


def _document(columns: str) -> str:
    return f"to_tsvector('russian'::regconfig, {columns}) || to_tsvector('simple'::regconfig, {columns})"


def _rebuild(schema_editor, *, columns: str, trigram_column: str, old_index: str, new_index: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {old_index}")
    schema_editor.execute("ALTER TABLE questions_question DROP COLUMN IF EXISTS search_document")
    schema_editor.execute(
        f"ALTER TABLE questions_question ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({_document(columns)}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS question_search_document ON questions_question USING gin (search_document)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {new_index} ON questions_question USING gin ({trigram_column} gin_trgm_ops)"
    )


def forwards(apps, schema_editor):
    _rebuild(
        schema_editor,
        columns=PUBLIC,
        trigram_column="text_public",
        old_index="question_text_trgm",
        new_index="question_text_public_trgm",
    )


def backwards(apps, schema_editor):
    _rebuild(
        schema_editor,
        columns=ORIGINAL,
        trigram_column="text",
        old_index="question_text_public_trgm",
        new_index="question_text_trgm",
    )


class Migration(migrations.Migration):
    dependencies = [("questions", "0010_public_copies")]

    operations = [migrations.RunPython(forwards, backwards)]
