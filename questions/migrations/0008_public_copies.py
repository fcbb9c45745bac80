"""The public copies of what residents and staff wrote, masked (core/masking.py), filled for
the rows that exist. Public pages, the API and search read only these from now on."""

from django.db import migrations, models

from core.remask import remask_table


def fill(apps, schema_editor):
    remask_table(
        apps.get_model("questions", "Question"),
        {"text": "text_public", "answer_text": "answer_public", "forwarded_to": "forwarded_to_public"},
    )
    remask_table(apps.get_model("questions", "QuestionEvent"), {"note": "note_public"})


class Migration(migrations.Migration):
    dependencies = [("questions", "0007_event_at_index")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="text_public",
            field=models.TextField(blank=True, verbose_name="question, as published"),
        ),
        migrations.AddField(
            model_name="question",
            name="answer_public",
            field=models.TextField(blank=True, verbose_name="answer, as published"),
        ),
        migrations.AddField(
            model_name="question",
            name="forwarded_to_public",
            field=models.CharField(blank=True, max_length=300, verbose_name="forwarded to, as published"),
        ),
        migrations.AddField(
            model_name="questionevent",
            name="note_public",
            field=models.TextField(blank=True, verbose_name="note, as published"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
