"""One public copy of every text a resident or staff wrote, masked when written, stored beside
the original: public pages, the API and staff emails read the copy; staff who cover the
territory and the author read the original; `manage.py remask_public_text` writes the copies
again when the rules change."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.masking import EMAIL, IIN, MARKERS, PHONE
from questions import services
from questions.models import Question, QuestionEvent
from questions.tasks import officer_reminders_task
from tests.mail import delivered
from tests.questions import factories

SECRET_IIN = "850715 304274"
SECRET_PHONE = "+7 (7172) 55-66-77"
SECRET_EMAIL = "aigerim.secret@mail.kz"
TEXT = f"Аулада су жоқ. ЖСН {SECRET_IIN}, тел. {SECRET_PHONE}, {SECRET_EMAIL}."
MASKED = f"Аулада су жоқ. ЖСН {MARKERS[IIN]}, тел. {MARKERS[PHONE]}, {MARKERS[EMAIL]}."
SECRETS = [SECRET_IIN, "304274", "55-66-77", SECRET_EMAIL, "aigerim"]


def _public_event(question: Question, kind: str) -> QuestionEvent:
    return question.events.get(kind=kind)


def test_every_service_writes_the_public_copy_with_the_original(almaly, almaly_staff, energy_department, water):
    question = factories.assigned(almaly, almaly_staff, energy_department, text=TEXT)
    assert (question.text, question.text_public) == (TEXT, MASKED)

    question = services.question_extend(
        question=question,
        actor=almaly_staff,
        due_on=question.due_on + timedelta(days=10),
        reason=f"Мердігер таңдалуда, сұрақтар бойынша {SECRET_PHONE} нөміріне хабарласыңыз.",
    )
    extended = _public_event(question, QuestionEvent.Kind.EXTENDED)
    assert "55-66-77" in extended.note and "55-66-77" not in extended.note_public
    assert MARKERS[PHONE] in extended.note_public

    question = services.question_answer(
        question=question,
        actor=almaly_staff,
        answer_text=f"Жауапты {SECRET_EMAIL} поштасына жібердік.",
        outcome="resolved",
    )
    assert question.answer_public == f"Жауапты {MARKERS[EMAIL]} поштасына жібердік."

    question = services.question_rate(question=question, satisfied=False, comment=f"Маған хабарласыңыз: {SECRET_IIN}")
    reopened = _public_event(question, QuestionEvent.Kind.REOPENED)
    assert reopened.note_public == f"Маған хабарласыңыз: {MARKERS[IIN]}"

    forwarded = services.question_forward(
        question=question, actor=almaly_staff, forwarded_to=f"Полиция, тел. {SECRET_PHONE}", note="Жіберілді"
    )
    assert forwarded.forwarded_to_public == f"Полиция, тел. {MARKERS[PHONE]}"

    entered = services.question_enter(
        actor=almaly_staff,
        unit=almaly,
        category=water,
        text=TEXT,
        language="kk",
        source=Question.Source.PAPER,
        author_name="Қағаз",
    )
    assert entered.text_public == MASKED
    stored = Question.objects.get(pk=question.pk)
    assert (stored.text_public, stored.forwarded_to_public) == (MASKED, f"Полиция, тел. {MARKERS[PHONE]}")


def test_readers_see_the_copy_in_their_language_and_staff_and_the_author_the_original(
    client, almaly, almaly_staff, energy_department
):
    question = factories.answered(almaly, almaly_staff, energy_department, text=TEXT)
    public = {
        "kk": client.get(f"/kk/questions/{question.pk}/").content.decode(),
        "ru": client.get(f"/ru/questions/{question.pk}/").content.decode(),
    }
    assert "ЖСН [ЖСН жасырылған], тел. [нөмір жасырылған], [пошта жасырылған]" in public["kk"]
    assert "ЖСН [ИИН скрыт], тел. [номер скрыт], [почта скрыта]" in public["ru"]
    api = client.get(f"/api/v1/questions/{question.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert api["text"] == "Аулада су жоқ. ЖСН [ИИН скрыт], тел. [номер скрыт], [почта скрыта]."
    for body in [*public.values(), str(api)]:
        assert [secret for secret in SECRETS if secret in body] == []

    track = client.get(question.get_tracking_url()).content.decode()
    assert SECRET_IIN in track and SECRET_EMAIL in track
    client.force_login(almaly_staff)
    staff = client.get(f"/kk/questions/staff/{question.pk}/").content.decode()
    assert SECRET_IIN in staff and SECRET_EMAIL in staff
    assert client.get(f"/api/v1/staff/questions/{question.pk}/").json()["text"] == TEXT


def test_the_officers_reminder_email_carries_the_public_copy(
    almaly, almaly_staff, energy_department, department_officer
):
    department_officer.email = "officer@example.kz"
    department_officer.save()
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 2, 10, 0)), tick=False):
        factories.assigned(almaly, almaly_staff, energy_department, text=TEXT)
    delivered()
    mail.outbox.clear()
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 20, 9, 0)), tick=False):
        assert officer_reminders_task() == 1
    (message,) = delivered()
    assert "ЖСН [ЖСН жасырылған]" in message.body  # the officer's language (kk)
    assert [secret for secret in SECRETS if secret in message.body] == []


def test_remask_writes_stale_copies_again_and_a_second_run_changes_nothing(almaly, almaly_staff, energy_department):
    question = factories.answered(almaly, almaly_staff, energy_department, text=TEXT)
    event = question.events.create(
        kind=QuestionEvent.Kind.EXTENDED, note=f"тел. {SECRET_PHONE}", note_public=f"тел. {SECRET_PHONE}"
    )
    # As if written under older rules that missed the landline and the email.
    Question.objects.filter(pk=question.pk).update(
        text_public=f"Аулада су жоқ. ЖСН {MARKERS[IIN]}, тел. {SECRET_PHONE}"
    )
    before = Question.objects.get(pk=question.pk).updated_at

    out = StringIO()
    call_command("remask_public_text", "--batch-size", "1", stdout=out)
    question.refresh_from_db()
    event.refresh_from_db()
    assert question.text_public == MASKED
    assert event.note_public == f"тел. {MARKERS[PHONE]}"
    assert question.updated_at == before  # the retention clock does not restart
    report = out.getvalue()
    assert "questions.Question: 1 rows read, 1 changed" in report
    assert "questions.QuestionEvent:" in report and "reports.Report: 0 rows read, 0 changed" in report

    again = StringIO()
    call_command("remask_public_text", stdout=again)
    assert "0 rows re-masked." in again.getvalue()


def test_the_database_refuses_an_original_without_its_public_copy(almaly, almaly_staff, energy_department):
    question = factories.answered(almaly, almaly_staff, energy_department, text=TEXT)
    for field in ("text_public", "answer_public"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Question.objects.filter(pk=question.pk).update(**{field: ""})
    with pytest.raises(IntegrityError), transaction.atomic():
        question.events.create(kind=QuestionEvent.Kind.EXTENDED, note="Себебі бар")
