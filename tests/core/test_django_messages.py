"""Django's, DRF's and django-filter's own messages reach residents in Kazakh (core/django_messages.py)."""

import ast
from datetime import timedelta
from pathlib import Path

import django
import django_filters
import polib
import pytest
import rest_framework
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import MinimumLengthValidator, NumericPasswordValidator
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.timesince import timesince
from rest_framework import serializers
from rest_framework.exceptions import Throttled

import core.django_messages

MODULE = Path(core.django_messages.__file__)
MARKERS = {"gettext_noop", "pgettext_lazy", "ngettext_lazy"}


def marked_messages() -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of every call in the module, read from its source."""
    messages = []
    for node in ast.walk(ast.parse(MODULE.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MARKERS:
            args = [arg.value for arg in node.args]
            if node.func.id == "pgettext_lazy":
                messages.append((args[0], args[1], None))
            elif node.func.id == "ngettext_lazy":
                messages.append((None, args[0], args[1]))
            else:
                messages.append((None, args[0], None))
    return messages


def catalogue(language: str) -> dict[tuple[str | None, str], polib.POEntry]:
    path = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po")
    return {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(path)) if not entry.obsolete}


def test_the_module_marks_messages_of_every_source():
    assert len(marked_messages()) > 100
    assert len(set(marked_messages())) == len(marked_messages())


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_marked_message_is_translated_and_not_fuzzy(language):
    entries = catalogue(language)
    plural_forms = 2 if language == "kk" else 4
    problems = []
    for msgctxt, msgid, msgid_plural in marked_messages():
        entry = entries.get((msgctxt, msgid))
        if entry is None or entry.fuzzy or entry.msgid_plural != (msgid_plural or ""):
            problems.append(msgid)
        elif msgid_plural:
            if len(entry.msgstr_plural) != plural_forms or not all(entry.msgstr_plural.values()):
                problems.append(msgid)
        elif not entry.msgstr:
            problems.append(msgid)
    assert problems == []


def test_every_marked_msgid_exists_in_the_libraries():
    """After an upgrade a reworded msgid would silently stop overriding anything."""
    known: set[tuple[str | None, str]] = set()
    for package in (django, rest_framework, django_filters):
        for path in Path(package.__path__[0]).rglob("locale/*/LC_MESSAGES/django.*"):
            if path.suffix in {".po", ".mo"} and "/contrib/admin/" not in str(path):
                entries = polib.pofile(str(path)) if path.suffix == ".po" else polib.mofile(str(path))
                known.update((entry.msgctxt, entry.msgid) for entry in entries)
    # DRF ships only .mo files and a few new msgids are in no language yet: look in its source.
    sources = "".join(path.read_text() for path in Path(rest_framework.__path__[0]).rglob("*.py"))
    unknown = [
        msgid
        for msgctxt, msgid, _plural in marked_messages()
        if (msgctxt, msgid) not in known and f"_('{msgid}')" not in sources
    ]
    assert unknown == []


def test_a_too_long_form_value_is_refused_in_kazakh():
    class NameForm(forms.Form):
        name = forms.CharField(max_length=5)

    with translation.override("kk"):
        form = NameForm(data={"name": "абвгде"})
        assert not form.is_valid()
        error = form.errors["name"][0]
    assert error == "Бұл мәнде ең көбі 5 таңба болуы керек (қазір 6)."


def test_field_errors_and_timesince_words_are_in_kazakh():
    with translation.override("kk"):
        with pytest.raises(ValidationError) as raised:
            forms.UUIDField().clean("not-a-uuid")
        assert raised.value.messages == ["Дұрыс UUID енгізіңіз."]
        assert timesince(timezone.now() - timedelta(days=3)) == "3\xa0күн"


@pytest.mark.django_db
def test_a_failed_login_is_explained_in_kazakh():
    with translation.override("kk"):
        # django-axes needs the request to count the failure against an address.
        request = RequestFactory().post("/kk/accounts/login/")
        form = AuthenticationForm(request, data={"username": "nobody", "password": "wrong-password"})
        assert not form.is_valid()
        error = form.non_field_errors()[0]
    assert "немесе құпиясөз қате енгізілді" in error
    assert "Please enter" not in error


def test_password_validators_speak_kazakh():
    with translation.override("kk"):
        with pytest.raises(ValidationError) as too_short:
            MinimumLengthValidator(min_length=8).validate("1234")
        with pytest.raises(ValidationError) as numeric:
            NumericPasswordValidator().validate("12345678")
    assert too_short.value.messages == ["Бұл құпиясөз тым қысқа. Ол кемінде 8 таңбадан тұруы керек."]
    assert numeric.value.messages == ["Бұл құпиясөз тек цифрлардан тұрады."]


def test_drf_validation_error_is_in_kazakh():
    class CountSerializer(serializers.Serializer):
        count = serializers.BigIntegerField()

    with translation.override("kk"):
        serializer = CountSerializer(data={"count": "many"})
        assert not serializer.is_valid()
        assert [str(message) for message in serializer.errors["count"]] == ["Дұрыс үлкен бүтін сан енгізілуі керек."]


def test_drf_throttling_is_not_explained_in_kazakh_to_a_russian_reader():
    """DRF's ru catalogue lacks the wait message; Django would fall back to the default language, kk."""
    with translation.override("ru"):
        detail = str(Throttled(wait=5).detail)
    assert detail.endswith("Повторите запрос через 5 с.")


def test_django_filter_lookups_are_in_kazakh():
    from django_filters.utils import verbose_lookup_expr

    with translation.override("kk"):
        assert verbose_lookup_expr("date__gte") == "күн артық немесе тең"
