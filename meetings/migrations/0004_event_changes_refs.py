"""A meeting event's changed venue or host was kept as its name in the language of the staff
member who changed it; it is kept as a reference with both names now (core.events), so the
audit trail names it in the reader's language. Names that match nothing stay as they were."""

from django.db import migrations

FIELDS = {"venue": ("meetings", "Venue", "name"), "host": ("districts", "Akim", "full_name")}


def _ref(apps, field, value):
    if not isinstance(value, str) or not value:
        return value
    app, model, name = FIELDS[field]
    manager = apps.get_model(app, model).objects
    for column in (f"{name}_kk", f"{name}_ru", name):
        found = manager.filter(**{column: value}).order_by("pk").first()
        if found is not None:
            return {"id": found.pk, "kk": getattr(found, f"{name}_kk") or "", "ru": getattr(found, f"{name}_ru") or ""}
    return value


def names_to_refs(apps, schema_editor):
    MeetingEvent = apps.get_model("meetings", "MeetingEvent")
    changed = []
    for event in MeetingEvent.objects.filter(kind="updated").order_by("pk"):
        changes = dict(event.changes or {})
        for field in FIELDS:
            if isinstance(changes.get(field), list):
                changes[field] = [_ref(apps, field, value) for value in changes[field]]
        if changes != event.changes:
            event.changes = changes
            changed.append(event)
    MeetingEvent.objects.bulk_update(changed, ["changes"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_event_at_index"), ("districts", "0001_initial")]

    operations = [migrations.RunPython(names_to_refs, migrations.RunPython.noop)]
