"""Demo cycles: Almaty's two cycles over its 8 districts, and Oskemen's programme in three.

The figures have the shape of the real press releases (issue 16), at full size: Almaty's first
cycle about four months ago (3 540 residents, 879 questions, 123 answered on the spot, 756
needing action, of those 302 satisfied, 303 explained, 151 needing time) and its second cycle
in the last two weeks (3 790 residents, 786 questions from 458 people, most still in work).
Oskemen's programme visits its three microdistricts three times: problems, the schedule of
works (31 funded projects, 698 million tenge), results.

Idempotent (cycles are looked up by slug); deterministic (a fixed seed). Rows are written
directly with the history the services record, like the other apps' demo data.
"""

import random
import secrets
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.masking import mask_personal_data
from cycles.models import Cycle, CycleMeeting, Programme
from districts.models import AdministrativeUnit
from meetings.demo import ALMATY_DISTRICTS, _akim, _at, _meeting
from meetings.models import Meeting
from questions.demo import ANSWERS, TEXTS
from questions.models import Category, Question, QuestionEvent
from reports.models import ActionItem, ActionItemEvent, ActionPlan

SEED = 16
QS, OUT = Question.Status, Question.Outcome
# Attendance per district (Alatau, Almaly, Auezov, Bostandyk, Zhetysu, Medeu, Nauryzbay, Turksib).
FIRST_ATTENDANCE = [420, 450, 610, 520, 380, 390, 300, 470]  # 3 540
SECOND_ATTENDANCE = [450, 480, 640, 560, 400, 420, 330, 510]  # 3 790
# Totals per state: spot, satisfied, explained, needing time, forwarded, open.
FIRST = {"spot": 123, "satisfied": 302, "explained": 303, "needing_time": 151, "forwarded": 0, "open": 0}
SECOND = {"spot": 110, "satisfied": 120, "explained": 150, "needing_time": 40, "forwarded": 16, "open": 350}
FIRST_PEOPLE, SECOND_PEOPLE = 612, 458
WORKS_PLAN_RU = "график работ программы микрорайонов"
OSKEMEN_AREAS = ["oskemen-zashchita", "oskemen-ablaketka", "oskemen-left-bank"]
# The schedule of works of cycle 2: 31 projects, 698 million tenge, per area.
WORKS = [
    ("Аулаларды абаттандыру", "Благоустройство дворов", 18),
    ("Көше жарығын орнату", "Уличное освещение", 9),
    ("Жолдарды жөндеу", "Ремонт дорог", 46),
    ("Балалар алаңы", "Детская площадка", 7),
    ("Су құбырын ауыстыру", "Замена водопровода", 31),
    ("Спорт алаңы", "Спортивная площадка", 12),
]


def _split(total: int, weights: list[int]) -> list[int]:
    """Whole shares of `total` in proportion to `weights`, adding up exactly (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _cycle(unit, *, slug, kind, number, title_kk, title_ru, meetings, host, programme=None) -> Cycle:
    days = [timezone.localdate(m.starts_at) for m in meetings]
    cycle = Cycle.objects.create(
        unit=unit,
        host=host,
        kind=kind,
        number=number,
        title_kk=title_kk,
        title_ru=title_ru,
        starts_on=min(days),
        ends_on=max(days),
        slug=slug,
        programme=programme,
        is_demo=True,
    )
    CycleMeeting.objects.bulk_create(CycleMeeting(cycle=cycle, meeting=m) for m in meetings)
    return cycle


def _questions(meetings: list[Meeting], totals: dict, people: int, *, tag: str, rng: random.Random) -> None:
    """The questions of a cycle's meetings in the given states, asked by `people` distinct people."""
    now = timezone.now()
    categories = {c.slug: c for c in Category.objects.all()}
    slugs = sorted(slug for slug in TEXTS if slug in categories) or sorted(categories)
    weights = [m.attendance or 1 for m in meetings]
    per_meeting = {state: _split(count, weights) for state, count in totals.items()}
    rows: list[tuple[Question, list[tuple]]] = []
    n = 0
    for index, meeting in enumerate(meetings):
        states = [state for state in totals for _ in range(per_meeting[state][index])]
        for state in states:
            slug = rng.choice(slugs)
            kk, ru = rng.choice(TEXTS[slug]) if slug in TEXTS else ("Аулада жарық жоқ.", "Во дворе нет света.")
            language = "kk" if rng.random() < 0.55 else "ru"
            online = rng.random() < 0.3 and state != "spot"
            created = meeting.starts_at - timedelta(days=rng.randint(1, 10)) if online else meeting.starts_at
            question = Question(
                unit=meeting.unit,
                meeting=meeting,
                category=categories[slug],
                text=kk if language == "kk" else ru,
                language=language,
                source=Question.Source.ONLINE if online else Question.Source.MEETING,
                author_name="Демо тұрғын",
                contact_email=f"demo.{tag}.person{n % people}@example.kz",
                created_at=created,
                registered_on=timezone.localdate(created),
                due_on=timezone.localdate(created) + timedelta(days=21),
                token=secrets.token_urlsafe(32),
                status=QS.ASSIGNED,
                is_demo=True,
            )
            n += 1
            events = [(QuestionEvent.Kind.ENTERED, "", QS.ACCEPTED, created, {})]
            if state == "forwarded":
                question.status, question.forwarded_to = QS.FORWARDED, "ҚР Көлік министрлігі"
                events.append((QuestionEvent.Kind.FORWARDED, QS.ACCEPTED, QS.FORWARDED, created, {}))
            elif state != "open":
                outcome = {
                    "spot": rng.choice([OUT.RESOLVED, OUT.EXPLAINED]),
                    "satisfied": OUT.RESOLVED,
                    "explained": OUT.EXPLAINED,
                    "needing_time": OUT.PLANNED,
                }[state]
                if state == "spot":
                    answered = meeting.starts_at + timedelta(minutes=rng.randint(10, 150))
                    question.answered_at_meeting = meeting
                else:
                    later = rng.randint(3, 28) if rng.random() < 0.85 else rng.randint(35, 110)
                    answered = min(created + timedelta(days=later), now - timedelta(hours=1))
                question.status, question.outcome, question.answered_at = QS.ANSWERED, outcome, answered
                question.answer_text = ANSWERS[outcome][0 if language == "kk" else 1]
                kind = QuestionEvent.Kind.ANSWERED_ON_THE_SPOT if state == "spot" else QuestionEvent.Kind.ANSWERED
                events.append((kind, QS.ASSIGNED, QS.ANSWERED, answered, {"outcome": outcome}))
            question.text_public = mask_personal_data(question.text)
            question.answer_public = mask_personal_data(question.answer_text)
            question.forwarded_to_public = mask_personal_data(question.forwarded_to)
            rows.append((question, events))
    created_rows = Question.objects.bulk_create([q for q, _e in rows])
    QuestionEvent.objects.bulk_create(
        QuestionEvent(question=q, kind=kind, from_status=f, to_status=t, at=at, data=data)
        for q, (_q, events) in zip(created_rows, rows, strict=True)
        for kind, f, t, at, data in events
    )


def _almaty(units: dict, rng: random.Random) -> None:
    almaty = units["almaty"]
    akim = _akim(almaty)
    today = timezone.localdate()
    districts = [units[slug] for slug in ALMATY_DISTRICTS]
    for number, start, step, attendance, totals, people in (
        (1, today - timedelta(days=124), 3, FIRST_ATTENDANCE, FIRST, FIRST_PEOPLE),
        (2, today - timedelta(days=15), 2, SECOND_ATTENDANCE, SECOND, SECOND_PEOPLE),
    ):
        slug = f"almaty-city-cycle-{number}"
        if Cycle.objects.filter(slug=slug).exists():
            continue
        meetings = []
        for index, district in enumerate(districts):
            meeting, _created = _meeting(
                district,
                title_kk=f"Алматы қаласы әкімінің {district.name_kk} тұрғындарымен кездесуі ({number}-цикл)",
                title_ru=f"Встреча акима города Алматы с жителями: {district.name_ru} ({number}-й цикл)",
                kind=Meeting.Kind.REPORTING,
                starts_at=_at(start + timedelta(days=index * step), 15),
                host=akim,
                attendance=attendance[index],
            )
            meetings.append(meeting)
        _cycle(
            almaty,
            slug=slug,
            kind=Cycle.Kind.REPORTING,
            number=number,
            title_kk=f"Алматы қаласы әкімінің аудан тұрғындарымен кездесулері: {number}-цикл",
            title_ru=f"Встречи акима Алматы с жителями районов: {number}-й цикл",
            meetings=meetings,
            host=akim,
        )
        _questions(meetings, totals, people, tag=f"almaty{number}", rng=rng)


def _works_plan(areas, meetings, rng: random.Random) -> None:
    """The schedule of works presented in cycle 2: a plan per area drawn from the area's meeting,
    31 projects and 698 million tenge in all, some done, some in progress, some moved."""
    today = timezone.localdate()
    counts = _split(31, [11, 10, 10])
    budgets = _split(698, [250, 230, 218])
    items = []
    for area, meeting, count, millions in zip(areas, meetings, counts, budgets, strict=True):
        plan = ActionPlan.objects.create(
            unit=area,
            title_kk=f"{area.name_kk}: жұмыстар кестесі",
            title_ru=f"{area.name_ru}: {WORKS_PLAN_RU}",
            period_start=today.replace(month=1, day=1),
            period_end=today.replace(month=12, day=31),
            is_demo=True,
        )
        plan.source_meetings.add(meeting)
        shares = _split(millions * 10, [weight for _kk, _ru, weight in (WORKS * 2)[:count]])
        for index in range(count):
            kk, ru, _weight = WORKS[index % len(WORKS)]
            roll = index % 5
            status = (
                ActionItem.Status.DONE
                if roll < 3
                else (ActionItem.Status.IN_PROGRESS if roll == 3 else ActionItem.Status.PLANNED)
            )
            done = status == ActionItem.Status.DONE
            due = today - timedelta(days=20) if done else today + timedelta(days=200)
            items.append(
                ActionItem(
                    plan=plan,
                    title_kk=kk,
                    title_ru=ru,
                    due_on=due,
                    budget=Decimal(shares[index]) * Decimal(100_000),
                    funding=rng.choice(
                        [ActionItem.Funding.LOCAL, ActionItem.Funding.LOCAL, ActionItem.Funding.SPONSOR]
                    ),
                    status=status,
                    progress=100 if done else (60 if status == ActionItem.Status.IN_PROGRESS else 0),
                    completed_on=due if done else None,
                    is_demo=True,
                )
            )
    for item in ActionItem.objects.bulk_create(items):
        ActionItemEvent.objects.create(item=item, kind=ActionItemEvent.Kind.CREATED, to_status=item.status)


def _oskemen(units: dict, rng: random.Random) -> None:
    """The programme's meetings are the meetings app's demo (three stages in three areas)."""
    oskemen = units["oskemen"]
    programme, _created = Programme.objects.get_or_create(
        slug="oskemen-microdistricts",
        defaults={
            "unit": oskemen,
            "title_kk": "Өскемен ықшамаудандарын дамыту бағдарламасы",
            "title_ru": "Программа развития микрорайонов Усть-Каменогорска",
            "is_demo": True,
        },
    )
    stages = [
        (1, Cycle.Kind.PROGRAMME_1, Meeting.Kind.PROGRAMME_1, "мәселелер тізімі", "список проблем"),
        (2, Cycle.Kind.PROGRAMME_2, Meeting.Kind.PROGRAMME_2, "жұмыстар кестесі", "график работ"),
        (3, Cycle.Kind.PROGRAMME_3, Meeting.Kind.PROGRAMME_3, "қорытындылар", "итоги"),
    ]
    for number, kind, meeting_kind, topic_kk, topic_ru in stages:
        slug = f"oskemen-programme-cycle-{number}"
        meetings = list(
            Meeting.objects.filter(is_demo=True, unit__slug__in=OSKEMEN_AREAS, kind=meeting_kind).order_by("starts_at")
        )
        if Cycle.objects.filter(slug=slug).exists() or len(meetings) != len(OSKEMEN_AREAS):
            continue
        _cycle(
            oskemen,
            slug=slug,
            kind=kind,
            number=number,
            title_kk=f"Өскемен ықшамаудандарын дамыту бағдарламасы: {number}-цикл, {topic_kk}",
            title_ru=f"Программа развития микрорайонов Усть-Каменогорска: {number}-й цикл, {topic_ru}",
            meetings=meetings,
            host=_akim(oskemen),
            programme=programme,
        )
        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        if held:
            totals = {"spot": 20, "satisfied": 25, "explained": 15, "needing_time": 20, "forwarded": 0, "open": 6}
            _questions(held, totals, 70, tag=f"oskemen{number}", rng=rng)


def _units() -> dict:
    slugs = ["almaty", "oskemen", *ALMATY_DISTRICTS, *OSKEMEN_AREAS]
    units = {unit.slug: unit for unit in AdministrativeUnit.objects.filter(slug__in=slugs)}
    return units if len(units) == len(slugs) else {}


def seed() -> None:
    """Cycles, their meetings and questions: before the reports' demo, which reports on the held
    meetings (a published report per held meeting)."""
    units = _units()
    if units:
        rng = random.Random(SEED)
        _almaty(units, rng)
        _oskemen(units, rng)


def seed_plans() -> None:
    """After the reports' demo: each Almaty district's plan draws on its first-cycle meeting, and
    Oskemen's schedule of works is presented in the programme's second cycle."""
    units = _units()
    if not units:
        return
    districts = [units[slug] for slug in ALMATY_DISTRICTS]
    first = {
        link.meeting.unit_id: link.meeting
        for link in CycleMeeting.objects.filter(cycle__slug="almaty-city-cycle-1").select_related("meeting")
    }
    for plan in ActionPlan.objects.filter(unit__in=districts, is_demo=True).order_by("pk"):
        if plan.unit_id in first:
            plan.source_meetings.add(first[plan.unit_id])
    areas = [units[slug] for slug in OSKEMEN_AREAS]
    works = {m.unit_id: m for m in Meeting.objects.filter(cycle_link__cycle__slug="oskemen-programme-cycle-2")}
    if (
        len(works) == len(areas)
        and not ActionPlan.objects.filter(is_demo=True, title_ru__endswith=WORKS_PLAN_RU).exists()
    ):
        _works_plan(areas, [works[area.pk] for area in areas], random.Random(SEED))
