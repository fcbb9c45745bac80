"""The public copies of what residents and staff wrote, masked (core/masking.py), filled for
the rows that exist. Public pages, the API and search read only these from now on."""

from django.db import migrations, models

from core.masking import mask_personal_data
from core.remask import remask_table


def fill(apps, schema_editor):
    remask_table(
        apps.get_model("questions", "Question"),
        {"text": "text_public", "answer_text": "answer_public", "forwarded_to": "forwarded_to_public"},
    )
    remask_table(apps.get_model("questions", "QuestionEvent"), {"note": "note_public"})
    # The public timeline reads where a question was forwarded from its event's data: masked too.
    QuestionEvent = apps.get_model("questions", "QuestionEvent")
    for event in QuestionEvent.objects.filter(kind="forwarded").exclude(data={}).iterator():
        to = (event.data or {}).get("to")
        if to and mask_personal_data(to) != to:
            event.data = {**event.data, "to": mask_personal_data(to)}
            event.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("questions", "0009_event_notes_to_data")]

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
