import pytest

from questions.models import Question
from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

# Personal data that must never leave through a public page, feed, export or API response.
SECRET_EMAIL = "secret.author@example.kz"
SECRET_PHONE = "+77015550123"
SECRET_IIN = "900101350013"  # a valid IIN (check digit 3)
SECRET_NAME = "Құпиябек Жасырынов"
SECRET_ADDRESS = "Құпия көшесі, 13-үй"
SECRETS = [SECRET_EMAIL, "7015550123", "701 555 01 23", SECRET_IIN, SECRET_NAME, "Құпия көшесі"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def almaly_meeting(almaly):
    return held_meeting(almaly)


@pytest.fixture
def published_world(almaly, almaly_staff):
    """A held meeting with a published report, questions carrying personal data, and a plan."""
    meeting = held_meeting(almaly)
    texts = [
        f"Менің нөмірім {SECRET_PHONE}, поштам {SECRET_EMAIL}, ЖСН {SECRET_IIN}. Жол жөнделсін.",
        "Водопровод на улице прорвало, телефон 8 (701) 555-01-23, почта secret.author@example.kz.",
    ]
    questions = []
    for text in texts:
        question = make_question(
            almaly,
            meeting=meeting,
            status=Question.Status.ANSWERED,
            outcome=Question.Outcome.PLANNED,
            text=text,
            contact_email=SECRET_EMAIL,
            contact_phone=SECRET_PHONE,
            author_name=SECRET_NAME,
            is_official_appeal=True,
            full_name=SECRET_NAME,
            postal_address=SECRET_ADDRESS,
            iin=SECRET_IIN,
        )
        questions.append(question)
    report = make_report(almaly, almaly_staff, meeting=meeting, body_ru=f"Текст. Звоните {SECRET_PHONE}.")
    plan = make_plan(almaly, almaly_staff, source_meetings=[meeting])
    item = make_item(plan, almaly_staff, responsible="Бас маман Ахметов")
    from reports.services import action_item_link_questions

    action_item_link_questions(item=item, actor=almaly_staff, question_ids=[q.pk for q in questions])
    return {"meeting": meeting, "report": report, "plan": plan, "item": item, "questions": questions}
