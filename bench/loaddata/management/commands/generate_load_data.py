"""Synthetic national-scale data for the benchmarks:
`DJANGO_SETTINGS_MODULE=bench.settings python manage.py generate_load_data --scale 1`.

Scale 1 is Kazakhstan after five years of Kezdesu: about 3,000 territories, 2,500 akims,
100,000 meetings, 1,000,000 questions in Kazakh and Russian, 2,000,000 registrations,
10,000 reports and 50,000 action items. The territory tree is always national; the rest is
multiplied by the scale (0.01 for a quick run).

Deterministic: the same seed and the same anchor date give the same rows. Rows are written
with PostgreSQL's COPY (bulk_create on other databases, for small scales only), straight into
the tables the models describe: the column list comes from the models, so a new column with a
default needs nothing here and a new NOT NULL column without one fails loudly.
"""

import io
import json
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from core.masking import mask_personal_data
from core.working_days import working_days_after
from cycles.models import Cycle, CycleMeeting
from districts.models import AdministrativeUnit, Akim, Department
from meetings.models import AgendaItem, Meeting, MeetingEvent, Registration, Speaker, Venue
from questions.models import Category, Question, QuestionEvent
from reports.models import ActionItem, ActionItemEvent, ActionPlan, Report, ReportEvent

FULL = {
    "meetings": 100_000,
    "questions": 1_000_000,
    "registrations": 2_000_000,
    "reports": 10_000,
    "plans": 5_000,
    "items_per_plan": 10,
}
YEARS = 5
# One republican city gets this share of all questions: "a territory's question list" at
# scale 1 is then a list over 100,000 questions.
BIG_CITY_SHARE = 0.10

GENERATED_MODELS = [
    CycleMeeting,
    Cycle,
    ActionItemEvent,
    ActionItem.questions.through,
    ActionItem,
    ActionPlan.source_meetings.through,
    ActionPlan,
    ReportEvent,
    Report,
    QuestionEvent,
    Question,
    Registration,
    AgendaItem,
    Speaker,
    MeetingEvent,
    Meeting,
    Venue,
    Department,
    Akim,
    AdministrativeUnit,
]

# --- Words ------------------------------------------------------------------------------------

REGIONS = [
    ("Абай облысы", "область Абай"),
    ("Ақмола облысы", "Акмолинская область"),
    ("Ақтөбе облысы", "Актюбинская область"),
    ("Алматы облысы", "Алматинская область"),
    ("Атырау облысы", "Атырауская область"),
    ("Батыс Қазақстан облысы", "Западно-Казахстанская область"),
    ("Жамбыл облысы", "Жамбылская область"),
    ("Жетісу облысы", "область Жетысу"),
    ("Қарағанды облысы", "Карагандинская область"),
    ("Қостанай облысы", "Костанайская область"),
    ("Қызылорда облысы", "Кызылординская область"),
    ("Маңғыстау облысы", "Мангистауская область"),
    ("Павлодар облысы", "Павлодарская область"),
    ("Солтүстік Қазақстан облысы", "Северо-Казахстанская область"),
    ("Түркістан облысы", "Туркестанская область"),
    ("Ұлытау облысы", "область Улытау"),
    ("Шығыс Қазақстан облысы", "Восточно-Казахстанская область"),
]
CITIES = [("Астана", "Астана"), ("Алматы", "Алматы"), ("Шымкент", "Шымкент")]
PLACE_ROOTS = [
    ("Ақсу", "Аксу"),
    ("Береке", "Береке"),
    ("Жаңаталап", "Жанаталап"),
    ("Көктал", "Коктал"),
    ("Қарасу", "Карасу"),
    ("Бірлік", "Бирлик"),
    ("Ынтымақ", "Ынтымак"),
    ("Саралжын", "Саралжын"),
    ("Тасқала", "Таскала"),
    ("Шалқар", "Шалкар"),
    ("Жайық", "Жайык"),
    ("Есіл", "Есиль"),
    ("Нұра", "Нура"),
    ("Алатау", "Алатау"),
    ("Бәйтерек", "Байтерек"),
    ("Достық", "Достык"),
]
FIRST = ["Айгүл", "Серік", "Нұрлан", "Гүлнар", "Ерлан", "Динара", "Асхат", "Мадина", "Бауыржан", "Әсел", "Ольга"]
LAST = ["Ахметов", "Серікова", "Жұмабаев", "Омарова", "Тұрсынов", "Исаева", "Қасымов", "Бекова", "Иванов", "Ким"]

# Per category: what residents write about, in Kazakh and in Russian. Sentences are assembled
# from these, the place and a number, so every question differs and search has real words.
TOPICS = {
    "water": (
        ["ауыз су берілмейді", "су құбыры жарылған", "судың сапасы нашар", "су қысымы әлсіз"],
        ["нет питьевой воды", "прорвало водопровод", "плохое качество воды", "слабый напор воды"],
    ),
    "gas": (
        ["газ құбыры тартылмаған", "газ қысымы төмен", "газдандыру жоспары белгісіз"],
        ["не проведён газопровод", "низкое давление газа", "неизвестен план газификации"],
    ),
    "electricity": (
        ["жарық жиі сөнеді", "көше шамдары жанбайды", "трансформатор ескірген"],
        ["часто отключают свет", "не горят уличные фонари", "изношен трансформатор"],
    ),
    "heating": (
        ["пәтерде жылу жоқ", "жылу құбыры ескірген", "қазандық жөнделмеген"],
        ["в квартире нет отопления", "изношена теплотрасса", "не отремонтирована котельная"],
    ),
    "roads": (
        ["көшедегі жол бұзылған", "жол жөндеуді қажет етеді", "жаяу жүргіншілер жолы жоқ", "жолда шұңқыр көп"],
        ["разбита дорога на улице", "дорога требует ремонта", "нет пешеходного тротуара", "на дороге много ям"],
    ),
    "transport": (
        ["автобус сирек жүреді", "аялдамада шатыр жоқ", "маршрут жабылды"],
        ["автобус ходит редко", "на остановке нет навеса", "закрыли маршрут"],
    ),
    "yards": (
        ["аулада балалар алаңы жоқ", "ағаштар кесілді", "қоқыс шығарылмайды"],
        ["во дворе нет детской площадки", "вырубили деревья", "не вывозят мусор"],
    ),
    "housing": (
        ["үйдің шатыры ағады", "лифт жұмыс істемейді", "подъезд жөнделмеген"],
        ["протекает крыша дома", "не работает лифт", "не отремонтирован подъезд"],
    ),
    "land": (
        ["жер учаскесі берілмеді", "жайылым жетіспейді", "жер кезегі жылжымайды"],
        ["не выделяют земельный участок", "не хватает пастбищ", "не движется очередь на землю"],
    ),
    "education": (
        ["мектепте орын жетіспейді", "балабақша кезегі ұзақ", "мектеп ғимараты апатты"],
        ["в школе не хватает мест", "длинная очередь в детский сад", "аварийное здание школы"],
    ),
    "health": (
        ["емханада дәрігер жетіспейді", "фельдшерлік пункт жабық", "жедел жәрдем кешігеді"],
        ["в поликлинике не хватает врачей", "закрыт фельдшерский пункт", "скорая помощь опаздывает"],
    ),
    "social": (
        ["әлеуметтік көмек кешіктірілді", "мүгедектерге пандус жоқ", "зейнеткерлерге көмек керек"],
        ["задерживают социальную помощь", "нет пандуса для инвалидов", "пенсионерам нужна помощь"],
    ),
    "business": (
        ["шағын бизнеске несие берілмейді", "базар жабылды", "кәсіпкерлерге тексеріс көп"],
        ["малому бизнесу не дают кредит", "закрыли рынок", "много проверок предпринимателей"],
    ),
    "safety": (
        ["көшеде жарық жоқ, қауіпті", "учаскелік полицей жоқ", "қаңғыбас иттер көп"],
        ["на улице темно и опасно", "нет участкового полицейского", "много бродячих собак"],
    ),
    "other": (
        ["мәдениет үйі жабық", "спорт алаңы салынбады", "интернет нашар"],
        ["закрыт дом культуры", "не построили спортплощадку", "плохой интернет"],
    ),
}
ASK = (["Көмектесуіңізді сұраймыз.", "Қашан шешіледі?", "Шара қабылдауыңызды өтінеміз."],
       ["Просим помочь.", "Когда решат?", "Просим принять меры."])  # fmt: skip
ANSWERS = (
    ["Мәселе жұмыс жоспарына енгізілді.", "Жөндеу жұмыстары аяқталды.", "Түсініктеме берілді."],
    ["Вопрос включён в план работ.", "Ремонт выполнен.", "Даны разъяснения."],
)
DEPARTMENTS = [
    ("Тұрғын үй-коммуналдық шаруашылық бөлімі", "Отдел жилищно-коммунального хозяйства"),
    ("Жолаушылар көлігі және жолдар бөлімі", "Отдел пассажирского транспорта и дорог"),
    ("Білім бөлімі", "Отдел образования"),
    ("Жер қатынастары бөлімі", "Отдел земельных отношений"),
    ("Жұмыспен қамту және әлеуметтік бағдарламалар бөлімі", "Отдел занятости и социальных программ"),
]


BLANK_AS_EMPTY = {"CharField", "TextField", "SlugField", "FileField", "ImageField"}


def slugify_ascii(prefix: str, number: int) -> str:
    return f"{prefix}-{number}"


class Writer:
    """Rows for one model: dicts keyed by attname, completed with the model's defaults.

    PostgreSQL: the text format of COPY, flushed every `batch` rows. Elsewhere: bulk_create.
    """

    def __init__(self, model, batch: int = 50_000):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.defaults = {}
        now = timezone.now()
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.defaults[field.attname] = now
            elif field.has_default():
                self.defaults[field.attname] = field.get_default()
            elif field.null or field.primary_key:
                self.defaults[field.attname] = None
            elif field.blank and field.get_internal_type() in BLANK_AS_EMPTY:
                self.defaults[field.attname] = ""
        self.batch = batch
        self.rows: list[dict] = []
        self.count = 0
        self.postgres = connection.vendor == "postgresql"

    def add(self, **row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.postgres:
            self._copy()
        else:
            self.model.objects.bulk_create([self.model(**{**self.defaults, **row}) for row in self.rows])
        self.count += len(self.rows)
        self.rows = []

    def _copy(self) -> None:
        buffer = io.StringIO()
        names = [field.attname for field in self.fields]
        missing = object()
        for row in self.rows:
            values = []
            for name in names:
                value = row.get(name, missing)
                if value is missing:
                    value = self.defaults.get(name, missing)
                    if value is missing:
                        raise CommandError(f"{self.model.__name__}.{name} has no value and no default")
                values.append(_copy_text(value))
            buffer.write("\t".join(values))
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    if isinstance(value, int | Decimal):
        return str(value)
    raise TypeError(f"no COPY text for {value!r}")


@cache
def due_on(registered: date) -> date:
    return working_days_after(registered, 15)


class Generator:
    def __init__(self, *, scale: float, seed: int, anchor: date, out):
        self.scale = scale
        self.random = random.Random(seed)
        self.anchor = anchor
        self.now = datetime.combine(anchor, datetime.min.time(), tzinfo=UTC) + timedelta(hours=6)
        self.out = out
        self.next_id: dict = {}
        self.categories = list(Category.objects.order_by("position").values_list("pk", "slug"))
        if not self.categories:
            raise CommandError("No question categories: run migrate first.")

    def ids(self, model, count: int) -> range:
        start = self.next_id.get(model, 1)
        self.next_id[model] = start + count
        return range(start, start + count)

    def scaled(self, key: str) -> int:
        return max(1, round(FULL[key] * self.scale))

    def log(self, what: str, count: int, started: float) -> None:
        self.out.write(f"  {what:<28}{count:>12,}  {time.monotonic() - started:6.1f} s")

    # --- Territories, akims, departments, venues ---------------------------------------------

    def territories(self) -> None:
        started = time.monotonic()
        writer = Writer(AdministrativeUnit)
        rnd = self.random
        self.units: list[tuple[int, str, str, int]] = []  # id, kind, path, depth
        self.big_city_units: list[int] = []
        self.children: dict[int, list[int]] = {}
        counter = iter(range(1, 10**7))
        K = AdministrativeUnit.Kind

        def add(kind, kk, ru, parent=None):
            pk = next(counter)
            path = (parent[2] if parent else "/") + f"{pk}/"
            depth = parent[3] + 1 if parent else 0
            writer.add(
                id=pk,
                kind=kind,
                name=ru,
                name_kk=kk,
                name_ru=ru,
                parent_id=parent[0] if parent else None,
                kato=f"{pk:09d}",
                slug=slugify_ascii("t", pk),
                path=path,
                depth=depth,
            )
            unit = (pk, kind, path, depth)
            self.units.append(unit)
            if parent:
                self.children.setdefault(parent[0], []).append(pk)
            return unit

        for index, (kk, ru) in enumerate(CITIES):
            city = add(K.REPUBLICAN_CITY, kk, ru)
            if index == 1:
                self.big_city = city
            for number in range(1, 8):
                root = PLACE_ROOTS[(index * 7 + number) % len(PLACE_ROOTS)]
                district = add(K.DISTRICT, f"{root[0]} ауданы {number}", f"{root[1]}ский район {number}", city)
                for micro in range(1, 6):
                    add(K.MICRODISTRICT, f"{micro}-шағын аудан", f"микрорайон {micro}", district)
        for index, (kk, ru) in enumerate(REGIONS):
            region = add(K.REGION, kk, ru)
            root = PLACE_ROOTS[index % len(PLACE_ROOTS)]
            add(K.CITY, f"{root[0]} қаласы", f"город {root[1]}", region)
            for number in range(1, 11):
                root = PLACE_ROOTS[(index + number) % len(PLACE_ROOTS)]
                district = add(K.DISTRICT, f"{root[0]} ауданы {number}", f"{root[1]}ский район {number}", region)
                for okrug_number in range(1, 13):
                    root = PLACE_ROOTS[(index + number + okrug_number) % len(PLACE_ROOTS)]
                    okrug = add(
                        K.RURAL_OKRUG,
                        f"{root[0]} ауылдық округі {okrug_number}",
                        f"{root[1]}ский сельский округ {okrug_number}",
                        district,
                    )
                    if rnd.random() < 0.4:
                        add(K.SETTLEMENT, f"{root[0]} ауылы", f"село {root[1]}", okrug)
        writer.flush()
        self.next_id[AdministrativeUnit] = next(counter)
        big_path = self.big_city[2]
        self.big_city_units = [unit[0] for unit in self.units if unit[2].startswith(big_path)]
        # Akims lead every unit down to rural okrugs; settlements and microdistricts have none.
        self.led = [unit for unit in self.units if unit[1] not in (K.SETTLEMENT, K.MICRODISTRICT)]
        self.log("territories", writer.count, started)

    def akims(self) -> None:
        started = time.monotonic()
        writer = Writer(Akim)
        rnd = self.random
        self.akim_of: dict[int, int] = {}
        ids = iter(self.ids(Akim, 10 * len(self.led)))
        start_of_history = self.anchor.replace(year=self.anchor.year - YEARS)
        for unit in self.led:
            # One in ten units changed its akim during the five years.
            if rnd.random() < 0.1:
                pk = next(ids)
                writer.add(
                    id=pk,
                    unit_id=unit[0],
                    full_name=self.person(),
                    full_name_kk=self.person(),
                    mandate="appointed",
                    term_start=start_of_history - timedelta(days=400),
                    term_end=start_of_history + timedelta(days=rnd.randint(100, 900)),
                )
            pk = next(ids)
            name = self.person()
            writer.add(
                id=pk,
                unit_id=unit[0],
                full_name=name,
                full_name_kk=name,
                full_name_ru=name,
                mandate="elected" if unit[1] == AdministrativeUnit.Kind.RURAL_OKRUG else "appointed",
                term_start=start_of_history + timedelta(days=rnd.randint(0, 300) if rnd.random() < 0.1 else 0),
            )
            self.akim_of[unit[0]] = pk
        writer.flush()
        self.log("akims", writer.count, started)

    def person(self) -> str:
        return f"{self.random.choice(LAST)} {self.random.choice(FIRST)}"

    def departments_and_venues(self) -> None:
        started = time.monotonic()
        departments = Writer(Department)
        venues = Writer(Venue)
        self.departments_of: dict[int, list[int]] = {}
        self.venue_of: dict[int, int] = {}
        department_ids = iter(self.ids(Department, len(self.led) * len(DEPARTMENTS)))
        venue_ids = iter(self.ids(Venue, len(self.led)))
        for unit in self.led:
            if unit[3] <= 1:  # akimats of regions, cities and districts have departments
                for kk, ru in DEPARTMENTS:
                    pk = next(department_ids)
                    departments.add(id=pk, unit_id=unit[0], name=ru, name_kk=kk, name_ru=ru)
                    self.departments_of.setdefault(unit[0], []).append(pk)
            pk = next(venue_ids)
            venues.add(
                id=pk,
                unit_id=unit[0],
                name="Дом культуры",
                name_kk="Мәдениет үйі",
                name_ru="Дом культуры",
                address=f"ул. Абая, {unit[0] % 200 + 1}",
                address_kk=f"Абай көшесі, {unit[0] % 200 + 1}",
                address_ru=f"ул. Абая, {unit[0] % 200 + 1}",
                capacity=self.random.choice([80, 120, 200, 300, 500]),
            )
            self.venue_of[unit[0]] = pk
        departments.flush()
        venues.flush()
        self.log("departments", departments.count, started)
        self.log("venues", venues.count, started)

    def department_for(self, unit: tuple) -> int | None:
        # The nearest akimat with departments: the unit itself, else its ancestors upwards.
        for ancestor in reversed([int(part) for part in unit[2].strip("/").split("/")]):
            found = self.departments_of.get(ancestor)
            if found:
                return found[unit[0] % len(found)]
        return None

    # --- Meetings --------------------------------------------------------------------------

    def meetings(self) -> None:
        started = time.monotonic()
        rnd = self.random
        meetings = Writer(Meeting)
        events = Writer(MeetingEvent, batch=100_000)
        speakers = Writer(Speaker)
        agenda = Writer(AgendaItem)
        registrations = Writer(Registration, batch=100_000)
        total = self.scaled("meetings")
        per_meeting = self.scaled("registrations") / total
        first_quarter = date(self.anchor.year - YEARS + 1, 1, 1)
        quarters = [
            date(first_quarter.year + q // 4, q % 4 * 3 + 1, 1) for q in range(YEARS * 4)
        ]  # five calendar years, the current one last
        self.meetings_of: dict[int, list[tuple[int, datetime, str]]] = {}
        self.held_reporting: list[tuple[int, int, datetime]] = []
        meeting_ids = self.ids(Meeting, total)
        event_ids = iter(self.ids(MeetingEvent, total * 3))
        registration_ids = iter(self.ids(Registration, int(total * per_meeting * 2) + total))
        speaker_ids = iter(self.ids(Speaker, total))
        agenda_ids = iter(self.ids(AgendaItem, total * 2))
        led = self.led
        other_kinds = ["outreach", "programme_1", "programme_2", "programme_3", "forum", "reception"]
        registration_serial = 0
        for index, pk in enumerate(meeting_ids):
            unit = led[index % len(led)]
            round_number = index // len(led)
            quarter = quarters[round_number % len(quarters)]
            kind = "reporting" if round_number < len(quarters) else rnd.choice(other_kinds)
            day = quarter + timedelta(days=rnd.randint(0, 88))
            starts_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=rnd.randint(4, 12))
            ends_at = starts_at + timedelta(hours=2)
            if starts_at > self.now:
                status = "scheduled"
            else:
                roll = rnd.random()
                status = "cancelled" if roll < 0.03 else "held"
            capacity = rnd.choice([None, 100, 200, 300])
            title_kk, title_ru = self.meeting_title(kind, unit, quarter)
            attendance = rnd.randint(30, 400) if status == "held" else None
            meetings.add(
                id=pk,
                unit_id=unit[0],
                host_id=self.akim_of.get(unit[0]),
                kind=kind,
                title=title_ru,
                title_kk=title_kk,
                title_ru=title_ru,
                description="",
                description_kk="Тұрғындармен кездесу: есеп, сұрақтар мен жауаптар.",
                description_ru="Встреча с жителями: отчёт, вопросы и ответы.",
                starts_at=starts_at,
                ends_at=ends_at,
                venue_id=self.venue_of.get(unit[0]),
                status=status,
                capacity=capacity,
                registration_open=status == "scheduled",
                questions_close_at=starts_at - timedelta(hours=24),
                attendance=attendance,
                cancel_reason="Ауа райы" if status == "cancelled" else "",
                created_at=starts_at - timedelta(days=30),
                updated_at=starts_at,
            )
            self.meetings_of.setdefault(unit[0], []).append((pk, starts_at, status))
            if kind == "reporting" and status == "held":
                self.held_reporting.append((pk, unit[0], starts_at))
            events.add(id=next(event_ids), meeting_id=pk, kind="created", at=starts_at - timedelta(days=30),
                       to_status="draft")  # fmt: skip
            events.add(id=next(event_ids), meeting_id=pk, kind="scheduled", at=starts_at - timedelta(days=29),
                       from_status="draft", to_status="scheduled")  # fmt: skip
            if status != "scheduled":
                events.add(id=next(event_ids), meeting_id=pk, kind=status if status == "cancelled" else "held",
                           at=ends_at, from_status="scheduled", to_status=status)  # fmt: skip
            name = self.person()
            speakers.add(id=next(speaker_ids), meeting_id=pk, name=name, name_kk=name, name_ru=name,
                         position="Аким", position_kk="Әкім", position_ru="Аким", order=0)  # fmt: skip
            agenda.add(id=next(agenda_ids), meeting_id=pk, title="Отчёт акима", title_kk="Әкімнің есебі",
                       title_ru="Отчёт акима", order=0, minutes=40, is_akim_report=True)  # fmt: skip
            agenda.add(id=next(agenda_ids), meeting_id=pk, title="Вопросы жителей", title_kk="Тұрғындардың сұрақтары",
                       title_ru="Вопросы жителей", order=1, minutes=60)  # fmt: skip
            wanted = int(per_meeting * 2 * rnd.random() + 0.5)
            seats = capacity or 10**6
            for position in range(wanted):
                registration_serial += 1
                registrations.add(
                    id=next(registration_ids),
                    meeting_id=pk,
                    name=self.person(),
                    email=f"resident{registration_serial}@example.kz",
                    language="kk" if registration_serial % 2 else "ru",
                    status="registered" if position < seats else "waitlisted",
                    created_at=starts_at - timedelta(days=7, minutes=position),
                )
        for writer in (meetings, events, speakers, agenda, registrations):
            writer.flush()
        self.log("meetings", meetings.count, started)
        self.log("meeting events", events.count, started)
        self.log("registrations", registrations.count, started)

    def meeting_title(self, kind: str, unit: tuple, quarter: date) -> tuple[str, str]:
        q = (quarter.month - 1) // 3 + 1
        if kind == "reporting":
            return (
                f"Әкімнің {quarter.year} жылғы {q}-тоқсандағы есебі",
                f"Отчёт акима за {q} квартал {quarter.year} года",
            )
        return ("Тұрғындармен кездесу", "Встреча с жителями")

    # --- Questions -------------------------------------------------------------------------

    def questions(self) -> None:
        started = time.monotonic()
        rnd = self.random
        questions = Writer(Question, batch=50_000)
        events = Writer(QuestionEvent, batch=150_000)
        total = self.scaled("questions")
        question_ids = self.ids(Question, total)
        event_ids = iter(self.ids(QuestionEvent, total * 5))
        units_by_id = {unit[0]: unit for unit in self.units}
        all_units = [unit[0] for unit in self.units]
        start = self.now - timedelta(days=365 * YEARS)
        span = (self.now - start).total_seconds()
        category_ids = [pk for pk, _slug in self.categories]
        topics = {pk: TOPICS.get(slug.split("-")[0], TOPICS["other"]) for pk, slug in self.categories}
        self.planned_questions: list[tuple[int, int]] = []  # (question, unit)
        for pk in question_ids:
            unit_id = rnd.choice(self.big_city_units if rnd.random() < BIG_CITY_SHARE else all_units)
            unit = units_by_id[unit_id]
            category = rnd.choice(category_ids)
            language = "kk" if rnd.random() < 0.55 else "ru"
            side = 0 if language == "kk" else 1
            phrase = rnd.choice(topics[category][side])
            place = f"{rnd.randint(1, 150)}-үй" if side == 0 else f"дом {rnd.randint(1, 150)}"
            text = f"{phrase.capitalize()}, {place}. {rnd.choice(ASK[side])}"
            created_at = start + timedelta(seconds=rnd.random() * span)
            meeting_id = None
            answered_at_meeting = None
            meetings_here = self.meetings_of.get(unit_id)
            source = "online"
            if meetings_here and rnd.random() < 0.5:
                meeting_id, meeting_start, meeting_status = rnd.choice(meetings_here)
                created_at = min(created_at, meeting_start - timedelta(days=rnd.randint(2, 20)))
                if meeting_status == "held" and rnd.random() < 0.3:
                    source = "meeting"
                    created_at = meeting_start + timedelta(minutes=30)
            elif rnd.random() < 0.2:
                source = rnd.choice(["reception", "paper"])
            registered = timezone.localtime(created_at).date()
            age_days = (self.now - created_at).days
            roll = rnd.random()
            if age_days < 3:
                status = "submitted" if roll < 0.2 else "new" if roll < 0.6 else "accepted"
            elif age_days < 30:
                status = "accepted" if roll < 0.2 else "assigned" if roll < 0.6 else "answered"
            else:
                status = (
                    "rejected" if roll < 0.04
                    else "withdrawn" if roll < 0.05
                    else "expired" if roll < 0.07
                    else "forwarded" if roll < 0.09
                    else "assigned" if roll < 0.11
                    else "answered"
                )  # fmt: skip
            row = {
                "id": pk,
                "unit_id": unit_id,
                "meeting_id": meeting_id,
                "category_id": category,
                "text": text,
                "language": language,
                "source": source,
                "status": status,
                "author_name": self.person(),
                "contact_email": f"author{pk}@example.kz" if pk % 3 else "",
                "contact_phone": "" if pk % 3 else f"+7701{pk % 10**7:07d}",
                "token": f"lq{pk:030d}",
                "registered_on": registered if status != "submitted" else None,
                "created_at": created_at,
                "updated_at": created_at,
            }
            at = created_at
            event = [("submitted", "", "submitted", at)]
            if status in ("new", "accepted", "assigned", "answered", "forwarded", "rejected", "expired", "withdrawn"):
                at += timedelta(minutes=10)
                if status == "expired":
                    event.append(("expired", "submitted", "expired", at + timedelta(days=7)))
                else:
                    event.append(("confirmed", "submitted", "new", at))
            if status in ("accepted", "assigned", "answered", "forwarded", "withdrawn"):
                at += timedelta(hours=rnd.randint(2, 30))
                event.append(("accepted", "new", "accepted", at))
            if status == "rejected":
                row["reject_reason"] = rnd.choice(["spam", "out_of_scope", "abusive"])
                event.append(("rejected", "new", "rejected", at + timedelta(hours=5)))
            if status == "withdrawn":
                event.append(("withdrawn", "accepted", "withdrawn", at + timedelta(days=1)))
            if status == "forwarded":
                row["forwarded_to"] = "Полиция департаменті"
                event.append(("forwarded", "accepted", "forwarded", at + timedelta(days=2)))
            on_the_spot = source == "meeting" and status == "answered" and rnd.random() < 0.5
            if status in ("assigned", "answered") and not on_the_spot:
                at += timedelta(hours=rnd.randint(2, 48))
                row["department_id"] = self.department_for(unit)
                row["due_on"] = due_on(registered)
                event.append(("assigned", "accepted", "assigned", at))
            if status == "answered":
                if on_the_spot:
                    answered_at = created_at + timedelta(minutes=20)
                    answered_at_meeting = meeting_id
                    outcome = "explained" if rnd.random() < 0.6 else "resolved"
                    event.append(("answered_on_spot", "accepted", "answered", answered_at))
                else:
                    answered_at = at + timedelta(days=rnd.choice([2, 5, 9, 12, 14, 18, 25, 40]))
                    roll = rnd.random()
                    outcome = "resolved" if roll < 0.4 else "explained" if roll < 0.8 else "planned"
                    event.append(("answered", "assigned", "answered", answered_at))
                row.update(
                    answer_text=rnd.choice(ANSWERS[side]),
                    answered_at=answered_at,
                    answered_at_meeting_id=answered_at_meeting,
                    outcome=outcome,
                    updated_at=answered_at,
                )
                if outcome == "planned":
                    self.planned_questions.append((pk, unit_id))
                if rnd.random() < 0.3:
                    row["satisfied"] = rnd.random() < 0.7
                    row["rated_at"] = answered_at + timedelta(days=3)
            # The public copies, as questions.services writes them.
            row["text_public"] = mask_personal_data(text)
            row["answer_public"] = mask_personal_data(row.get("answer_text", ""))
            row["forwarded_to_public"] = mask_personal_data(row.get("forwarded_to", ""))
            questions.add(**row)
            for kind, before, after, when in event:
                events.add(id=next(event_ids), question_id=pk, kind=kind, at=when, from_status=before, to_status=after)
        questions.flush()
        events.flush()
        self.log("questions", questions.count, started)
        self.log("question events", events.count, started)

    # --- Reports and action plans -----------------------------------------------------------

    def reports(self) -> None:
        started = time.monotonic()
        rnd = self.random
        reports = Writer(Report)
        events = Writer(ReportEvent)
        wanted = min(self.scaled("reports"), len(self.held_reporting))
        chosen = rnd.sample(self.held_reporting, wanted)
        report_ids = self.ids(Report, wanted)
        event_ids = iter(self.ids(ReportEvent, wanted))
        for pk, (meeting_id, unit_id, starts_at) in zip(report_ids, chosen, strict=True):
            published = starts_at + timedelta(days=rnd.randint(1, 10))
            if published > self.now:
                published = self.now - timedelta(hours=1)
            local = timezone.localtime(starts_at)
            quarter = (local.month - 1) // 3 + 1
            title_kk = f"Әкім тұрғындарға {local.year} жылғы {quarter}-тоқсан бойынша есеп берді"
            title_ru = f"Аким отчитался перед жителями за {quarter} квартал {local.year} года"
            lead_kk = "Кездесуде жолдар, су және мектептер туралы сұрақтар қойылды."
            lead_ru = "На встрече жители спрашивали о дорогах, воде и школах."
            body_ru = "## Итоги\n\nАким рассказал о ремонте дорог, водопроводе и строительстве школы.\n"
            body_kk = "## Қорытынды\n\nӘкім жол жөндеу, су құбыры және мектеп құрылысы туралы айтты.\n"
            reports.add(
                id=pk,
                unit_id=unit_id,
                meeting_id=meeting_id,
                title=title_ru,
                title_kk=title_kk,
                title_ru=title_ru,
                lead=lead_ru,
                lead_kk=lead_kk,
                lead_ru=lead_ru,
                body=body_ru,
                body_kk=body_kk,
                body_ru=body_ru,
                author_name="Әкімдіктің баспасөз қызметі",
                status="published",
                published_at=published,
                slug=f"report-{pk}",
                created_at=starts_at,
                updated_at=published,
            )
            events.add(id=next(event_ids), report_id=pk, kind="published", at=published,
                       from_status="draft", to_status="published")  # fmt: skip
        reports.flush()
        events.flush()
        self.log("reports", reports.count, started)

    def action_plans(self) -> None:
        started = time.monotonic()
        rnd = self.random
        plans = Writer(ActionPlan)
        items = Writer(ActionItem)
        events = Writer(ActionItemEvent)
        links = Writer(ActionItem.questions.through)
        sources = Writer(ActionPlan.source_meetings.through)
        plan_total = self.scaled("plans")
        per_plan = FULL["items_per_plan"]
        plan_ids = self.ids(ActionPlan, plan_total)
        item_ids = iter(self.ids(ActionItem, plan_total * per_plan))
        event_ids = iter(self.ids(ActionItemEvent, plan_total * per_plan))
        link_ids = iter(range(1, 10**9))
        units_by_id = {unit[0]: unit for unit in self.units}
        planned_by_unit: dict[int, list[int]] = {}
        for question, unit_id in self.planned_questions:
            planned_by_unit.setdefault(unit_id, []).append(question)
        first_year = self.anchor.year - YEARS + 1
        for index, pk in enumerate(plan_ids):
            unit = self.led[index % len(self.led)]
            year = first_year + (index // len(self.led)) % YEARS
            plans.add(
                id=pk,
                unit_id=unit[0],
                title=f"План мероприятий на {year} год",
                title_kk=f"{year} жылға арналған іс-шаралар жоспары",
                title_ru=f"План мероприятий на {year} год",
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                created_at=datetime(year, 1, 15, 4, tzinfo=UTC),
            )
            source = self.meetings_of.get(unit[0])
            if source:
                sources.add(id=next(link_ids), actionplan_id=pk, meeting_id=source[0][0])
            waiting = planned_by_unit.get(unit[0], [])
            for number in range(per_plan):
                item = next(item_ids)
                due = date(year, rnd.randint(2, 12), rnd.randint(1, 28))
                if due < self.anchor:
                    status = rnd.choices(["done", "in_progress", "cancelled"], [0.8, 0.15, 0.05])[0]
                else:
                    status = rnd.choices(["planned", "in_progress"], [0.4, 0.6])[0]
                progress = 100 if status == "done" else rnd.choice([0, 10, 30, 60, 80]) if status != "planned" else 0
                phrase_kk, phrase_ru = TOPICS["roads"][0][number % 4], TOPICS["roads"][1][number % 4]
                items.add(
                    id=item,
                    plan_id=pk,
                    title=phrase_ru.capitalize(),
                    title_kk=f"Шешу: {phrase_kk}",
                    title_ru=f"Решить: {phrase_ru}",
                    department_id=self.department_for(units_by_id[unit[0]]),
                    responsible=self.person(),
                    due_on=due,
                    budget=Decimal(rnd.randint(0, 500)) * Decimal("1000000") if number % 3 else None,
                    funding=rnd.choice(["local_budget", "republican_budget", "sponsor", "no_cost"]),
                    status=status,
                    progress=progress,
                    completed_on=due if status == "done" else None,
                    created_at=datetime(year, 1, 20, 4, tzinfo=UTC),
                    updated_at=datetime(year, 1, 20, 4, tzinfo=UTC),
                )
                events.add(id=next(event_ids), item_id=item, kind="created", at=datetime(year, 1, 20, 4, tzinfo=UTC),
                           to_status=status)  # fmt: skip
                if waiting:
                    links.add(id=next(link_ids), actionitem_id=item, question_id=waiting.pop())
        for writer in (plans, sources, items, events, links):
            writer.flush()
        self.log("action plans", plans.count, started)
        self.log("action items", items.count, started)
        self.log("questions linked to items", links.count, started)

    def cycles(self) -> None:
        """Every round of reporting meetings in a territory's subdivisions is a cycle of its akim:
        the n-th meeting of each child, for each parent whose children meet (cities, regions,
        districts with rural okrugs)."""
        started = time.monotonic()
        cycles = Writer(Cycle)
        links = Writer(CycleMeeting, batch=100_000)
        led_ids = {unit[0] for unit in self.led}
        link_ids = iter(range(1, 10**9))
        rounds = YEARS * 4
        for parent in self.led:
            children = [child for child in self.children.get(parent[0], []) if child in led_ids]
            lists = [self.meetings_of.get(child, [])[:rounds] for child in children]
            for number in range(rounds):
                meetings = [rows[number] for rows in lists if len(rows) > number]
                if len(meetings) < 2:
                    continue
                pk = self.ids(Cycle, 1)[0]
                days = [starts_at.date() for _pk, starts_at, _status in meetings]
                quarter = number % 4 + 1
                cycles.add(
                    id=pk,
                    unit_id=parent[0],
                    host_id=self.akim_of.get(parent[0]),
                    kind="reporting",
                    number=quarter,
                    title=f"Встречи акима с жителями: {quarter}-й квартал",
                    title_kk=f"Әкімнің тұрғындармен кездесулері: {quarter}-тоқсан",
                    title_ru=f"Встречи акима с жителями: {quarter}-й квартал",
                    starts_on=min(days),
                    ends_on=max(days),
                    slug=f"cycle-{pk}",
                    created_at=self.now,
                )
                for meeting_pk, _starts_at, _status in meetings:
                    links.add(id=next(link_ids), cycle_id=pk, meeting_id=meeting_pk)
        for writer in (cycles, links):
            writer.flush()
        self.log("cycles", cycles.count, started)
        self.log("meetings in cycles", links.count, started)

    def run(self) -> None:
        self.territories()
        self.akims()
        self.departments_and_venues()
        self.meetings()
        self.questions()
        self.reports()
        self.action_plans()
        self.cycles()


class Command(BaseCommand):
    help = "Fill the database with deterministic synthetic data at national scale (for make bench)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = national scale; 0.01 for a quick run.")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--anchor", type=date.fromisoformat, default=None, help="'Today' of the data.")
        parser.add_argument("--reset", action="store_true", help="Empty the generated tables first.")

    def handle(self, *args, scale, seed, anchor, reset, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive.")
        if connection.vendor != "postgresql" and scale > 0.05:
            raise CommandError("National scale needs PostgreSQL: set DATABASE_URL, or use --scale 0.05 or less.")
        if AdministrativeUnit.objects.exists():
            if not reset:
                raise CommandError("The database already has territories: use --reset to replace everything.")
            self.reset()
        started = time.monotonic()
        generator = Generator(scale=scale, seed=seed, anchor=anchor or timezone.localdate(), out=self.stdout)
        with transaction.atomic():
            generator.run()
            self.reset_sequences()
        if connection.vendor == "postgresql":
            # Statistics for the planner, and the visibility map that lets counts read indexes
            # only (as autovacuum would, hours later, on a real server).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(f"Done in {time.monotonic() - started:.0f} s.")

    def reset(self) -> None:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in GENERATED_MODELS)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            return
        with transaction.atomic():
            for model in GENERATED_MODELS:
                model.objects.all()._raw_delete(connection.alias)

    def reset_sequences(self) -> None:
        models = [model for model in apps.get_models(include_auto_created=True) if model in GENERATED_MODELS]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
