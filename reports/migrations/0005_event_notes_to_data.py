"""Action item events kept a linked question as the text "#12"; they keep its number as data
now (ActionItemEvent.data). Reports whose author was the demo's press service in one language
("Әкімдіктің баспасөз қызметі" on a Russian page) get an empty author: the page then shows
"Akimat press service" in the reader's language."""

import re

from django.db import migrations

QUESTION_NUMBER = re.compile(r"^#(\d+)$")
PRESS_SERVICE = ("Әкімдіктің баспасөз қызметі", "Пресс-служба акимата")


def notes_to_data(apps, schema_editor):
    ActionItemEvent = apps.get_model("reports", "ActionItemEvent")
    changed = []
    for event in ActionItemEvent.objects.filter(kind__in=("linked", "unlinked"), data={}).exclude(note=""):
        match = QUESTION_NUMBER.match(event.note.strip())
        if match:
            event.data, event.note = {"question": int(match.group(1))}, ""
            changed.append(event)
    ActionItemEvent.objects.bulk_update(changed, ["data", "note"], batch_size=2000)
    apps.get_model("reports", "Report").objects.filter(author_name__in=PRESS_SERVICE).update(author_name="")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_event_data")]

    operations = [migrations.RunPython(notes_to_data, migrations.RunPython.noop)]
