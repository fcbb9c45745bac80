"""Reports test data. Questions are written directly in any state (with an event, as the
services would record one) so that figures can be computed by hand; reports and plans go
through the services, which are what these tests are about."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import count

from django.utils import timezone

from core.masking import mask_personal_data
from meetings.models import Meeting
from questions.models import Question, QuestionEvent
from reports import services
from reports.models import ActionItem, ActionPlan, Report
from tests.meetings.factories import in_days, make_meeting
from tests.questions.factories import category

_n = count(1)


def held_meeting(unit, *, days_ago: int = 30, attendance: int = 150, **fields) -> Meeting:
    return make_meeting(
        unit, starts_at=in_days(-days_ago), status=Meeting.Status.HELD, attendance=attendance, capacity=200, **fields
    )


def make_question(
    unit,
    *,
    meeting: Meeting | None = None,
    source: str = Question.Source.ONLINE,
    status: str = Question.Status.ACCEPTED,
    outcome: str = "",
    on_the_spot: bool = False,
    registered_on: date | None = None,
    due_on: date | None = None,
    answered_at: datetime | None = None,
    slug: str = "water",
    text: str | None = None,
    language: str = "kk",
    **fields,
) -> Question:
    n = next(_n)
    today = timezone.localdate()
    registered_on = registered_on or today - timedelta(days=40)
    if status == Question.Status.ANSWERED:
        outcome = outcome or Question.Outcome.RESOLVED
        answered_at = answered_at or timezone.now() - timedelta(days=1)
    text = text or f"Аулада су құбыры жарылып, су жоқ. Нөмір {n}."
    answer_text = "Жауап берілді, жұмыс жүргізілді." if status == Question.Status.ANSWERED else ""
    question = Question.objects.create(
        unit=unit,
        meeting=meeting,
        category=category(slug),
        text=text,
        text_public=mask_personal_data(text),
        language=language,
        source=source,
        status=status,
        outcome=outcome,
        author_name=fields.pop("author_name", "Айгерім Тестова"),
        contact_email=fields.pop("contact_email", f"author{n}@example.kz"),
        token=f"token-{n}-{timezone.now().timestamp()}",
        registered_on=registered_on,
        due_on=due_on or registered_on + timedelta(days=21),
        answered_at=answered_at,
        answer_text=answer_text,
        answer_public=mask_personal_data(answer_text),
        answered_at_meeting=meeting if on_the_spot else None,
        **fields,
    )
    QuestionEvent.objects.create(question=question, kind=QuestionEvent.Kind.ENTERED, to_status=status)
    return question


def make_report(unit, actor, *, meeting: Meeting | None = None, publish: bool = True, **fields) -> Report:
    n = next(_n)
    fields.setdefault("title_kk", f"Әкімнің тұрғындармен кездесуі {n}")
    fields.setdefault("title_ru", f"Встреча акима с жителями {n}")
    fields.setdefault("lead_kk", "Әкім жыл қорытындысы бойынша есеп берді.")
    fields.setdefault("lead_ru", "Аким отчитался об итогах года.")
    fields.setdefault("body_kk", "Кездесуде жолдар мен мектептер туралы айтылды.")
    fields.setdefault("body_ru", "На встрече говорили о ремонте дорог и школах.")
    report = services.report_create(actor=actor, unit=unit, meeting=meeting, **fields)
    if publish:
        report = services.report_publish(report=report, actor=actor)
    return report


def make_plan(unit, actor, *, year: int | None = None, **fields) -> ActionPlan:
    year = year or timezone.localdate().year
    return services.action_plan_create(
        actor=actor,
        unit=unit,
        title_kk=fields.pop("title_kk", f"{year} жылғы іс-шаралар жоспары"),
        title_ru=fields.pop("title_ru", f"План мероприятий на {year} год"),
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        **fields,
    )


def make_item(plan: ActionPlan, actor, *, due_on: date | None = None, budget="1000000", **fields) -> ActionItem:
    n = next(_n)
    return services.action_item_create(
        actor=actor,
        plan=plan,
        title_kk=fields.pop("title_kk", f"Көшені жөндеу {n}"),
        title_ru=fields.pop("title_ru", f"Ремонт улицы {n}"),
        due_on=due_on or timezone.localdate() + timedelta(days=120),
        budget=Decimal(budget) if budget is not None else None,
        **fields,
    )
