"""Keyset pages of a territory's public questions: (unit, status, created_at, id) in one index.

It replaces question_unit_status, its prefix. The new index is built before the old one goes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0005_search_document"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="question",
            index=models.Index(fields=["unit", "status", "created_at", "id"], name="question_unit_status_created"),
        ),
        migrations.RemoveIndex(
            model_name="question",
            name="question_unit_status",
        ),
    ]
