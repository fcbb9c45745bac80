"""Demo reports and action plans: a published report for each held demo meeting, and a plan per
district for this year with items in every state (some done, some at risk), budgets in tenge.

Idempotent: reports are looked up by their meeting, plans by territory and year; rows are
written directly with the same history the services record. Deterministic (a fixed seed).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from questions.models import Question
from reports.models import ActionItem, ActionItemEvent, ActionPlan, Report, ReportEvent
from reports.services import slug_for

SEED = 2026
PLAN_SLUGS = [
    "almaty-almaly",
    "almaty-medeu",
    "almaty-auezov",
    "almaty-bostandyk",
    "almaty-alatau",
    "almaty-turksib",
    "almaty-zhetysu",
    "almaty-nauryzbay",
    "shymkent-abai",
    "shymkent-al-farabi",
    "shymkent-enbekshi",
    "shymkent-karatau",
]
# kk, ru, budget in millions of tenge (0 for work without cost)
WORKS = [
    ("Көшелерді орташа жөндеу", "Средний ремонт улиц", 180),
    ("Аулаларды абаттандыру", "Благоустройство дворов", 45),
    ("Балалар алаңдарын орнату", "Установка детских площадок", 12),
    ("Көше жарығын жаңғырту", "Модернизация уличного освещения", 38),
    ("Су құбырын ауыстыру", "Замена водопровода", 95),
    ("Кәріз желісін салу", "Строительство канализационной сети", 240),
    ("Жаяу жүргіншілер өткелдеріне бағдаршам қою", "Светофоры на пешеходных переходах", 9),
    ("Мектеп шатырын жөндеу", "Ремонт кровли школы", 27),
    ("Емханада кезекті азайту", "Сокращение очередей в поликлинике", 0),
    ("Жаңа автобус бағытын ашу", "Открытие нового автобусного маршрута", 0),
    ("Саябақты абаттандыру", "Благоустройство парка", 60),
    ("Қаңғыбас жануарларды аулау", "Отлов бездомных животных", 4),
]
RESPONSIBLE = ["А. Сейітқали", "Н. Омарова", "Б. Жұмабеков", "Д. Ахметова", "Е. Касымов"]


def _report_texts(meeting: Meeting) -> dict[str, str]:
    place_kk, place_ru = meeting.unit.name_kk, meeting.unit.name_ru or meeting.unit.name_kk
    day = timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y")
    title_kk, title_ru = meeting.title_kk, meeting.title_ru or meeting.title_kk
    return {
        # The place leads the title unless the meeting's own title already names it.
        "title_kk": title_kk if place_kk in title_kk else f"{place_kk}: {title_kk}",
        "title_ru": title_ru if place_ru in title_ru else f"{place_ru}: {title_ru}",
        "lead_kk": f"{day} күні өткен кездесуге {meeting.attendance} тұрғын қатысты.",
        "lead_ru": f"На встречу {day} пришли {meeting.attendance} жителей.",
        "body_kk": (
            "Әкім өткен кезеңде атқарылған жұмыс туралы баяндады: көшелер жөнделді, аулалар "
            "абаттандырылды, мектептер мен емханаларға күрделі жөндеу жүргізілді.\n\n"
            "## Тұрғындар не сұрады\n\n"
            "- жолдарды жөндеу және көше жарығы;\n- ыстық су мен жылу;\n- балабақшаға кезек.\n\n"
            "Орнында шешілмеген сұрақтар аудандық іс-шаралар жоспарына енгізілді. Олардың орындалуын "
            "осы беттегі көрсеткіштерден бақылауға болады."
        ),
        "body_ru": (
            "Аким рассказал о работе за прошедший период: отремонтированы улицы, благоустроены "
            "дворы, проведён капитальный ремонт школ и поликлиник.\n\n"
            "## О чём спрашивали жители\n\n"
            "- ремонт дорог и уличное освещение;\n- горячая вода и отопление;\n- очередь в детский сад.\n\n"
            "Вопросы, не решённые на месте, включены в районный план мероприятий. Следить за их "
            "выполнением можно по цифрам на этой странице."
        ),
    }


def _seed_reports() -> None:
    held = (
        Meeting.objects.filter(is_demo=True, status=Meeting.Status.HELD)
        .exclude(reports__isnull=False)
        .select_related("unit")
        .order_by("starts_at", "pk")
    )
    for meeting in held:
        texts = _report_texts(meeting)
        published_at = min(meeting.ends_at + timedelta(days=2), timezone.now())
        report = Report.objects.create(
            unit=meeting.unit,
            meeting=meeting,
            slug=slug_for(texts["title_ru"], prefix=timezone.localdate(meeting.starts_at).isoformat()),
            status=Report.Status.PUBLISHED,
            published_at=published_at,
            created_at=meeting.ends_at,
            is_demo=True,
            **texts,
        )
        ReportEvent.objects.bulk_create(
            [
                ReportEvent(report=report, kind=ReportEvent.Kind.CREATED, at=meeting.ends_at, to_status="draft"),
                ReportEvent(
                    report=report,
                    kind=ReportEvent.Kind.PUBLISHED,
                    at=published_at,
                    from_status="draft",
                    to_status="published",
                ),
            ]
        )


def _item_state(rng: random.Random, today: date, year: int) -> tuple[date, str, int]:
    """(due on, status, progress): a mix of done, on track, at risk and overdue."""
    roll = rng.random()
    if roll < 0.25:
        return today - timedelta(days=rng.randint(5, 120)), ActionItem.Status.DONE, 100
    if roll < 0.33:  # overdue
        return today - timedelta(days=rng.randint(1, 40)), ActionItem.Status.IN_PROGRESS, rng.randint(30, 90)
    if roll < 0.43:  # due soon with too little done
        return today + timedelta(days=rng.randint(3, 28)), ActionItem.Status.IN_PROGRESS, rng.randint(5, 45)
    if roll < 0.46:
        return date(year, 12, 20), ActionItem.Status.CANCELLED, 0
    due = today + timedelta(days=rng.randint(35, 200))
    if due.year != year:
        due = date(year, 12, rng.randint(1, 28)) if today < date(year, 11, 25) else due
    progress = rng.choice([0, 0, 10, 25, 40, 60, 75])
    if due <= today + timedelta(days=30):  # on track: due soon, so well under way
        progress = rng.choice([60, 75, 90])
    return due, (ActionItem.Status.IN_PROGRESS if progress else ActionItem.Status.PLANNED), progress


def _seed_plans() -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = today.year
    departments = list(Department.objects.select_related("unit").order_by("pk"))
    for unit in AdministrativeUnit.objects.filter(slug__in=PLAN_SLUGS).order_by("slug"):
        if ActionPlan.objects.filter(unit=unit, period_start=date(year, 1, 1), is_demo=True).exists():
            continue
        plan = ActionPlan.objects.create(
            unit=unit,
            title_kk=f"{unit.name_kk}: {year} жылғы іс-шаралар жоспары",
            title_ru=f"{unit.name_ru or unit.name_kk}: план мероприятий на {year} год",
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            created_at=timezone.now() - timedelta(days=90),
            is_demo=True,
        )
        plan.source_meetings.set(Meeting.objects.filter(unit=unit, is_demo=True, status=Meeting.Status.HELD))
        department = next((d for d in departments if unit.path.startswith(d.unit.path)), None)
        planned_questions = list(
            Question.objects.filter(unit=unit, is_demo=True, outcome=Question.Outcome.PLANNED).order_by("pk")
        )
        for kk, ru, millions in rng.sample(WORKS, k=rng.randint(6, 10)):
            due_on, status, progress = _item_state(rng, today, year)
            budget = Decimal(millions * 1_000_000 + rng.randint(0, 99) * 10_000) if millions else None
            item = ActionItem.objects.create(
                plan=plan,
                title_kk=kk,
                title_ru=ru,
                department=department,
                responsible=rng.choice(RESPONSIBLE),
                due_on=due_on,
                budget=budget,
                funding=ActionItem.Funding.LOCAL if millions else ActionItem.Funding.NO_COST,
                status=status,
                progress=progress,
                completed_on=due_on if status == ActionItem.Status.DONE else None,
                is_demo=True,
            )
            kinds = ActionItemEvent.Kind
            events = [
                ActionItemEvent(item=item, kind=kinds.CREATED, at=plan.created_at, to_status="planned", to_progress=0)
            ]
            if progress and status != ActionItem.Status.DONE:
                events.append(
                    ActionItemEvent(
                        item=item,
                        kind=kinds.PROGRESS,
                        at=timezone.now() - timedelta(days=7),
                        from_status="planned",
                        to_status=status,
                        from_progress=0,
                        to_progress=progress,
                    )
                )
            elif status in ActionItem.CLOSED_STATUSES:
                events.append(
                    ActionItemEvent(
                        item=item,
                        kind=kinds.DONE if status == ActionItem.Status.DONE else kinds.CANCELLED,
                        at=timezone.now() - timedelta(days=3),
                        from_status="in_progress",
                        to_status=status,
                        to_progress=progress,
                    )
                )
            ActionItemEvent.objects.bulk_create(events)
            # Open items answer the questions still waiting ("planned"); done ones were resolved.
            if status not in ActionItem.CLOSED_STATUSES and planned_questions:
                linked = [planned_questions.pop() for _ in range(min(len(planned_questions), rng.randint(0, 2)))]
                item.questions.add(*linked)


def seed() -> None:
    _seed_reports()
    _seed_plans()


def summary() -> str:
    today = timezone.localdate()
    items = ActionItem.objects.filter(is_demo=True, due_on__year=today.year).exclude(status="cancelled")
    at_risk = items.filter(~Q(status__in=ActionItem.CLOSED_STATUSES)).at_risk(today).count()
    return f"{items.count()} items planned for {today.year}, {at_risk} at risk"
