"""Every writer of an original writes its public copy: the database refuses a text, an answer,
a "forwarded to" or a note whose copy is missing (masking never empties a text), so a new
way of writing questions cannot leave a public page blank or tempt it to read the original."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("questions", "0011_search_from_public_copies")]

    operations = [
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(("text", ""), models.Q(("text_public", ""), _negated=True), _connector="OR"),
                name="question_text_has_public_copy",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("answer_text", ""), models.Q(("answer_public", ""), _negated=True), _connector="OR"
                ),
                name="question_answer_has_public_copy",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("forwarded_to", ""), models.Q(("forwarded_to_public", ""), _negated=True), _connector="OR"
                ),
                name="question_forwarded_has_public_copy",
            ),
        ),
        migrations.AddConstraint(
            model_name="questionevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("note", ""), models.Q(("note_public", ""), _negated=True), _connector="OR"),
                name="question_event_note_has_public_copy",
            ),
        ),
    ]
