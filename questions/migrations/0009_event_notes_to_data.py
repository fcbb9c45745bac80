"""Question events stored generated text in `note`, in the language of the staff member who
acted ("Передан в управление — …" on a Kazakh page, "new → accepted" as codes). This reads
those notes back into data (QuestionEvent's docstring), keeping in `note` only what a person
typed. A note that does not parse is left as it was: nothing is lost.

The phrases are the ones the services wrote until now, in English, Kazakh and Russian, copied
here on purpose: a migration must not depend on today's catalogues.
"""

import re

from django.db import migrations

SATISFIED = {"satisfied", "көңілі толды", "доволен"}
NOT_SATISFIED = {"not satisfied", "көңілі толмады", "не доволен"}
OUTCOMES = {
    "resolved": "resolved",
    "шешілді": "resolved",
    "решён": "resolved",
    "explained": "explained",
    "түсіндірілді": "explained",
    "разъяснён": "explained",
    "planned: needs more time": "planned",
    "жоспарланды: көбірек уақыт керек": "planned",
    "запланирован: нужно больше времени": "planned",
}
EXTENSION = re.compile(r"^(\d{4}-\d{2}-\d{2}) → (\d{4}-\d{2}-\d{2}): ?(.*)$", re.DOTALL)
QUOTED = re.compile(r"[“«](.+)[”»]", re.DOTALL)
NUMBER = re.compile(r"(\d+)")


def _ref(obj, field="name"):
    return {"id": obj.pk, "kk": getattr(obj, f"{field}_kk") or "", "ru": getattr(obj, f"{field}_ru") or ""}


def _by_name(model, text, field="name"):
    text = text.strip()
    if not text:
        return None
    for column in (f"{field}_kk", f"{field}_ru", field):
        found = model.objects.filter(**{column: text}).order_by("pk").first()
        if found is not None:
            return found
    return None


def _category(apps, event):
    _label, _colon, rest = event.note.partition(": ")
    before, arrow, after = rest.partition(" → ")
    Category = apps.get_model("questions", "Category")
    old, new = _by_name(Category, before), _by_name(Category, after)
    if not arrow or old is None or new is None:
        return None
    return {"category": [_ref(old), _ref(new)]}, ""


def _rejected(apps, event):
    question = event.question
    if not question.reject_reason:
        return None
    typed = question.reject_note if question.reject_note and event.note.endswith(question.reject_note) else ""
    return {"reason": question.reject_reason}, typed


def _merged(apps, event):
    match = NUMBER.search(event.note)
    return ({"merged": int(match.group(1))}, "") if match else None


def _assigned(apps, event):
    name, _dot, officer = event.note.partition(" · ")
    department = _by_name(apps.get_model("districts", "Department"), name)
    if department is None:
        return None
    data = {"department": _ref(department)}
    if officer.strip():
        data["officer"] = officer.strip()
    return data, ""


def _extended(apps, event):
    match = EXTENSION.match(event.note)
    if match is None:
        return None
    return {"due": [match.group(1), match.group(2)]}, match.group(3).strip()


def _forwarded(apps, event):
    body = event.question.forwarded_to
    if body and event.note.startswith(body):
        return {"to": body}, event.note[len(body) :].lstrip(" —").strip()
    return {"to": event.note}, ""


def _answered(apps, event):
    quoted = QUOTED.search(event.note)
    if quoted:
        data = {"outcome": "resolved"}
        item = _by_name(apps.get_model("reports", "ActionItem"), quoted.group(1), field="title")
        data["action_item"] = _ref(item, "title") if item else {"kk": quoted.group(1), "ru": quoted.group(1)}
        return data, ""
    outcome = OUTCOMES.get(event.note.strip()) or event.question.outcome
    return ({"outcome": outcome}, "") if outcome else None


def _rated(apps, event):
    label, _dot, comment = event.note.partition(".")
    label = label.strip()
    if label in NOT_SATISFIED:
        return {"satisfied": False}, comment.strip()
    if label in SATISFIED:
        return {"satisfied": True}, comment.strip()
    return None


PARSERS = {
    "accepted": _category,
    "category_changed": _category,
    "rejected": _rejected,
    "merged": _merged,
    "assigned": _assigned,
    "extended": _extended,
    "forwarded": _forwarded,
    "answered": _answered,
    "answered_on_spot": _answered,
    "rated": _rated,
}


def notes_to_data(apps, schema_editor):
    QuestionEvent = apps.get_model("questions", "QuestionEvent")
    events = (
        QuestionEvent.objects.filter(kind__in=PARSERS, data={})
        .exclude(note="")
        .select_related("question")
        .order_by("pk")
    )
    changed = []
    for event in events.iterator(chunk_size=2000):
        parsed = PARSERS[event.kind](apps, event)
        if parsed is None:
            continue
        event.data, event.note = parsed
        changed.append(event)
        if len(changed) >= 2000:
            QuestionEvent.objects.bulk_update(changed, ["data", "note"])
            changed = []
    QuestionEvent.objects.bulk_update(changed, ["data", "note"])


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0008_event_data"),
        ("districts", "0001_initial"),
        # The action plan items that resolved questions are looked up by title.
        ("reports", "0004_event_data"),
    ]

    operations = [migrations.RunPython(notes_to_data, migrations.RunPython.noop)]
