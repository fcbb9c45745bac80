"""Events are stored as data and read in the reader's language.

The event models of questions, meetings, reports and action items keep what happened as codes,
ids, dates and numbers (their columns and a `data` dict); their `summary` writes the sentence in
the active language: the page's, the API request's, or a message's recipient's under
`translation.override`. What a person typed (a reason, a note to the author, a comment) stays in
`note` and is shown as typed.

A name that an event mentions (a department, a category, an action plan item) is kept as a
reference with both languages, `{"id": 3, "kk": "…", "ru": "…"}`: the event says what the thing
was called when it happened, in either language, and outlives it (as the audit trail's staff
role events keep the names they mention).
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language

OTHER_LANGUAGE = {"kk": "ru", "ru": "kk"}


def named_ref(obj: models.Model | None, field: str = "name") -> dict | None:
    """A reference to `obj` that keeps its translated `field` in both languages."""
    if obj is None:
        return None
    return {
        "id": obj.pk,
        "kk": getattr(obj, f"{field}_kk", "") or "",
        "ru": getattr(obj, f"{field}_ru", "") or "",
    }


def ref_name(ref: Any) -> str:
    """The name a reference keeps, in the active language (the other one when it has only that)."""
    if not ref:
        return ""
    if not isinstance(ref, dict):
        return str(ref)
    language = (get_language() or "kk")[:2]
    return ref.get(language) or ref.get(OTHER_LANGUAGE.get(language, "kk")) or ""


def status_label(choices: type[models.TextChoices], code: str) -> str:
    """A status code as its label in the active language ("" stays "")."""
    if not code:
        return ""
    return str(dict(choices.choices).get(code, code))


def status_change(choices: type[models.TextChoices], before: str, after: str) -> str:
    """The change of status as the reader says it ("new → accepted"); "" when it did not change."""
    if not (before or after) or before == after:
        return ""
    return f"{status_label(choices, before) or '—'} → {status_label(choices, after) or '—'}"


def field_labels(model: type[models.Model], names: list[str]) -> str:
    """Changed field names ("title_kk") as the form calls them ("Title [kk]"), comma-separated."""
    labels = []
    for name in names:
        try:
            labels.append(str(capfirst(model._meta.get_field(name).verbose_name)))
        except FieldDoesNotExist:
            labels.append(name)
    return ", ".join(labels)
