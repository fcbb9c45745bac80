"""Demo questions: a few hundred in Kazakh and Russian over every category and outcome.

Deterministic (a fixed seed) and idempotent (nothing is added when demo questions exist).
Authors are fictional: example.kz emails and +7 700 000 xx xx phones. Rows and their events
are written in bulk, consistent with what the services would have recorded; answers on the
spot go to held demo meetings when the meetings demo has any.
"""

import random
import secrets
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.permissions import covers
from core.events import named_ref
from core.masking import mask_personal_data
from core.working_days import working_days_after
from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from questions.models import Category, Question, QuestionEvent, Support

SEED = 2026
COUNT = 320

SLUGS = [
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
    "shymkent-turan",
    "shymkent-kainarbulak",
    "oskemen-zashchita",
    "oskemen-ablaketka",
    "oskemen-left-bank",
    "aksengir",
    "zhibek-zholy",
    "kenen-azirbayev",
]

# category slug: [(kk, ru)] — what residents actually write about.
TEXTS: dict[str, list[tuple[str, str]]] = {
    "water": [
        ("Үйімізде бір аптадан бері ыстық су жоқ. Қашан береді?", "В нашем доме неделю нет горячей воды. Когда дадут?"),
        (
            "Ауылдағы су құбыры ескірген, жиі жарылады. Жаңарту жоспарда бар ма?",
            "Водопровод в селе изношен и часто рвётся. Есть ли в планах замена?",
        ),
    ],
    "gas": [
        (
            "Көшемізге газ құбыры қашан тартылады? Бес жылдан бері күтеміз.",
            "Когда к нашей улице проведут газ? Ждём уже пять лет.",
        ),
        ("Газ қысымы қыста өте төмен, пеш жанбай қалады.", "Зимой давление газа очень низкое, котёл гаснет."),
    ],
    "electricity": [
        ("Кешке жарық жиі сөнеді, тоңазытқыш бұзылды.", "Вечером часто отключают свет, сломался холодильник."),
        (
            "Трансформатор қуаты жетпейді, кернеу түсіп кетеді.",
            "Мощности трансформатора не хватает, падает напряжение.",
        ),
    ],
    "heating": [
        (
            "Пәтерде жылу нашар, батареялар суық. Кімге жүгінеміз?",
            "В квартире плохо топят, батареи холодные. Куда обращаться?",
        ),
        (
            "Жылу маусымы басталды, бірақ біздің үйге әлі жылу берілмеді.",
            "Отопительный сезон начался, а в наш дом тепло ещё не подали.",
        ),
    ],
    "roads": [
        (
            "Көшедегі жол шұңқырға толы, көлік жүре алмайды. Жөндеу қашан?",
            "Дорога на улице в ямах, машины не проезжают. Когда ремонт?",
        ),
        (
            "Мектеп жанындағы жаяу жүргіншілер өткеліне бағдаршам қажет.",
            "У школы нужен светофор на пешеходном переходе.",
        ),
    ],
    "transport": [
        (
            "Біздің шағынауданға автобус сирек келеді, жарты сағат күтеміз.",
            "Автобус в наш микрорайон ходит редко, ждём по полчаса.",
        ),
        (
            "Кешкі сағат оннан кейін ауылға қоғамдық көлік жоқ.",
            "После десяти вечера в село нет общественного транспорта.",
        ),
    ],
    "yards": [
        (
            "Аулада балалар алаңы сынған, қауіпті. Жөндеп беріңіздерші.",
            "Во дворе сломана детская площадка, опасно. Просим отремонтировать.",
        ),
        ("Аулада жарық жоқ, кешке қараңғы. Шам қою керек.", "Во дворе нет освещения, вечером темно. Нужны фонари."),
    ],
    "housing": [
        ("Үйдің шатыры ағады, КСК ештеңе істемейді.", "Течёт крыша дома, КСК ничего не делает."),
        (
            "Лифт үш айдан бері істемейді, қарттар шыға алмайды.",
            "Лифт не работает три месяца, пожилые не могут подняться.",
        ),
    ],
    "land": [
        (
            "Жеке тұрғын үй құрылысына жер учаскесін кезекте он жыл күтіп жүрмін.",
            "Десять лет стою в очереди на участок под ИЖС.",
        ),
        ("Көршілер жалпы жерді қоршап алды, не істеу керек?", "Соседи огородили общую землю, что делать?"),
    ],
    "education": [
        ("Мектепте орын жетпейді, балалар үш ауысыммен оқиды.", "В школе не хватает мест, дети учатся в три смены."),
        ("Балабақшаға кезек қашан келеді? Екі жыл болды.", "Когда подойдёт очередь в детский сад? Прошло два года."),
    ],
    "health": [
        (
            "Емханада дәрігерге жазылу мүмкін емес, кезек екі апта.",
            "В поликлинике невозможно записаться к врачу, очередь две недели.",
        ),
        (
            "Ауылда фельдшерлік пункт жоқ, ауруханаға 40 шақырым жүреміз.",
            "В селе нет фельдшерского пункта, до больницы 40 километров.",
        ),
    ],
    "social": [
        (
            "Көп балалы отбасыға тұрғын үй кезегі қалай жүріп жатыр?",
            "Как продвигается очередь на жильё для многодетной семьи?",
        ),
        ("Мүгедектігі бар адамдарға арналған пандус жоқ.", "Нет пандуса для людей с инвалидностью."),
    ],
    "business": [
        ("Шағын кәсіпке жеңілдетілген несие қалай алуға болады?", "Как получить льготный кредит для малого бизнеса?"),
        ("Базардағы сауда орындарының жалдау ақысы тым қымбат.", "Аренда торговых мест на рынке слишком дорогая."),
    ],
    "safety": [
        (
            "Кешке көшеде мас адамдар жиналады, полиция келмейді.",
            "По вечерам на улице собираются пьяные, полиция не приезжает.",
        ),
        ("Қаңғыбас иттер көбейді, балаларға қауіпті.", "Стало много бездомных собак, опасно для детей."),
    ],
    "other": [
        ("Ауылдың мәдениет үйін жөндеу жоспарда бар ма?", "Есть ли в планах ремонт сельского дома культуры?"),
        ("Саябаққа орындықтар мен қоқыс жәшіктерін қою керек.", "В парке нужны скамейки и урны."),
    ],
}
ANSWERS = {
    Question.Outcome.RESOLVED: ("Жұмыс орындалды, мәселе шешілді.", "Работы выполнены, вопрос решён."),
    Question.Outcome.EXPLAINED: (
        "Тәртібі түсіндірілді: өтінішті ЦОН арқылы беру керек.",
        "Разъяснён порядок: заявление подаётся через ЦОН.",
    ),
    Question.Outcome.PLANNED: (
        "Жұмыс келесі жылдың бюджетіне енгізілді.",
        "Работы включены в бюджет следующего года.",
    ),
}
NAMES = ["Айгерім", "Нұрлан", "Гүлнар", "Ерлан", "Светлана", "Асхат", "Динара", "Марат", "Ольга", "Бауыржан"]
STREETS = ["Абай", "Төле би", "Сейфуллин", "Жандосов", "Райымбек", "Байтұрсынұлы", "Гагарин"]
STAFF = ["almaty.staff", "almaly.staff", "medeu.staff", "shymkent.staff", "oskemen.staff", "aksengir.staff", "admin"]


def _status(rng: random.Random) -> str:
    roll = rng.random()
    for share, status in (
        (0.05, Question.Status.NEW),
        (0.12, Question.Status.ACCEPTED),
        (0.25, Question.Status.ASSIGNED),
        (0.29, Question.Status.REJECTED),
        (0.31, Question.Status.FORWARDED),
    ):
        if roll < share:
            return status
    return Question.Status.ANSWERED


def seed() -> None:
    if Question.objects.filter(is_demo=True).exists():
        return
    rng = random.Random(SEED)
    units = list(AdministrativeUnit.objects.filter(slug__in=SLUGS).order_by("slug"))
    categories = {c.slug: c for c in Category.objects.all()}
    if not units or not categories:
        return
    # The narrowest role first, so each question is handled by its own district's staff.
    staff = sorted(User.objects.filter(username__in=STAFF), key=lambda u: STAFF.index(u.username))
    departments = list(Department.objects.select_related("unit").order_by("pk"))
    held = list(Meeting.objects.filter(status=Meeting.Status.HELD).select_related("unit").order_by("pk"))
    now = timezone.now()

    rows: list[tuple[Question, list[tuple]]] = []
    for n in range(COUNT):
        unit = rng.choice(units)
        slug = rng.choice(sorted(TEXTS))
        kk, ru = rng.choice(TEXTS[slug])
        language = "kk" if rng.random() < 0.55 else "ru"
        street = rng.choice(STREETS)
        text = f"{kk} ({street} көшесі)" if language == "kk" else f"{ru} (улица {street})"
        created = now - timedelta(days=rng.randint(1, 150), minutes=rng.randint(0, 600))
        registered = timezone.localdate(created)
        actor = next((u for u in staff if covers(u, unit)), staff[-1] if staff else None)
        status = _status(rng)
        question = Question(
            unit=unit,
            category=categories.get(slug) or categories["other"],
            text=text,
            language=language,
            source=Question.Source.ONLINE,
            author_name=rng.choice(NAMES),
            created_at=created,
            registered_on=registered,
            due_on=working_days_after(registered, 15),
            token=secrets.token_urlsafe(32),
            status=status,
            support_count=0,
            is_demo=True,
        )
        if n % 3 == 0:
            question.contact_phone = f"+7700000{n % 100:02d}{rng.randint(10, 99)}"
        else:
            question.contact_email = f"resident{n}@example.kz"
        events = [(QuestionEvent.Kind.SUBMITTED, None, "", Question.Status.SUBMITTED, created, {})]
        at = created + timedelta(minutes=rng.randint(2, 90))
        events.append((QuestionEvent.Kind.CONFIRMED, None, "submitted", "new", at, {}))
        if status == Question.Status.NEW:
            rows.append((question, events))
            continue
        at += timedelta(hours=rng.randint(2, 30))
        if status == Question.Status.REJECTED:
            question.reject_reason = rng.choice(["spam", "out_of_scope", "abusive"])
            reason = {"reason": question.reject_reason}
            events.append((QuestionEvent.Kind.REJECTED, actor, "new", "rejected", at, reason))
            rows.append((question, events))
            continue
        events.append((QuestionEvent.Kind.ACCEPTED, actor, "new", "accepted", at, {}))
        if status == Question.Status.ACCEPTED:
            rows.append((question, events))
            continue
        if status == Question.Status.FORWARDED:
            question.forwarded_to = "ҚР Көлік министрлігі" if slug == "transport" else "Облыстық прокуратура"
            at += timedelta(days=1)
            body = {"to": question.forwarded_to}
            events.append((QuestionEvent.Kind.FORWARDED, actor, "accepted", "forwarded", at, body))
            rows.append((question, events))
            continue
        meeting = None
        if status == Question.Status.ANSWERED and held and rng.random() < 0.2:
            candidates = [m for m in held if unit.path.startswith(m.unit.path) and m.starts_at > created]
            meeting = rng.choice(candidates) if candidates else None
        department = next((d for d in departments if unit.path.startswith(d.unit.path)), None)
        if meeting is None and department is not None:
            question.department = department
            at += timedelta(hours=rng.randint(1, 48))
            routed = {"department": named_ref(department)}
            events.append((QuestionEvent.Kind.ASSIGNED, actor, "accepted", "assigned", at, routed))
        elif meeting is None and status == Question.Status.ASSIGNED:
            question.status = status = Question.Status.ACCEPTED
        if status == Question.Status.ANSWERED:
            outcome = rng.choices(list(ANSWERS), weights=[40, 40, 20])[0]
            question.outcome = outcome
            question.answer_text = ANSWERS[outcome][0 if language == "kk" else 1]
            question.answered_by = actor
            if meeting is not None:
                question.meeting = question.answered_at_meeting = meeting
                at = max(at, meeting.starts_at + timedelta(minutes=30))
                kind = QuestionEvent.Kind.ANSWERED_ON_THE_SPOT
            else:
                due = datetime.combine(question.due_on, time(17), tzinfo=created.tzinfo)
                at = min(at + timedelta(days=rng.randint(2, 25)), max(due, at + timedelta(hours=1)), now)
                kind = QuestionEvent.Kind.ANSWERED
            question.answered_at = at
            from_status = "assigned" if question.department_id else "accepted"
            events.append((kind, actor, from_status, "answered", at, {"outcome": outcome}))
            if rng.random() < 0.5:
                question.satisfied = rng.random() < 0.75
                question.rated_at = min(at + timedelta(days=1), now)
                rating = {"satisfied": question.satisfied}
                events.append((QuestionEvent.Kind.RATED, None, "answered", "answered", question.rated_at, rating))
        rows.append((question, events))

    for question, _events in rows:
        if question.status in Question.PUBLIC_STATUSES:
            question.support_count = rng.choice([0, 0, 0, 1, 2, 3, 5, 8])
        # The public copies, as questions.services writes them.
        question.text_public = mask_personal_data(question.text)
        question.answer_public = mask_personal_data(question.answer_text)
        question.forwarded_to_public = mask_personal_data(question.forwarded_to)
    created_rows = Question.objects.bulk_create([q for q, _e in rows])
    Support.objects.bulk_create(
        Support(question=q, contact=f"supporter{q.pk}-{i}@example.kz", confirmed_at=q.created_at + timedelta(days=1))
        for q in created_rows
        for i in range(q.support_count)
    )
    QuestionEvent.objects.bulk_create(
        QuestionEvent(question=q, kind=k, actor=a, from_status=f, to_status=t, at=at, data=data)
        for q, (_q, events) in zip(created_rows, rows, strict=True)
        for k, a, f, t, at, data in events
    )
