"""The shared world of the permission matrix: targets in Almaly district and the cast of personas.

Built once per test module inside an outer transaction that is rolled back at the end; every test
runs in a savepoint inside it (pytest-django's `db`), so a write by an allowed persona never
reaches the next test.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import StaffRole, User
from cycles.models import Cycle, CycleMeeting
from districts.models import AdministrativeUnit, Department
from districts.services import department_create
from meetings.models import AgendaItem, Meeting, PlanItem, Speaker
from questions import services as question_services
from questions.models import Category, Question
from reports.models import ActionItem, ActionPlan, Report
from reports.services import action_item_link_questions
from tests.factories import UserFactory, make_akim, make_staff, make_unit
from tests.meetings.factories import in_days, make_meeting, make_registration, make_venue
from tests.questions import factories as question_factories
from tests.reports.factories import held_meeting, make_item, make_plan, make_question, make_report

K = AdministrativeUnit.Kind

# ASCII markers: a list a persona may see shows them, a list it may not see must not.
MEETING_MARK = "MX-MEETING-ALMALY"
CYCLE_MARK = "MX-CYCLE-ALMALY"
PLAN_ITEM_MARK = "MX-PLANITEM-ALMALY"
NEW_QUESTION_MARK = "MX-QUESTION-NEW-ALMALY"
WORK_QUESTION_MARK = "MX-QUESTION-WORK-ALMALY"
REPORT_MARK = "MX-REPORT-ALMALY"
PLAN_MARK = "MX-PLAN-ALMALY"
ITEM_MARK = "MX-ITEM-ALMALY"

PERSONAS = [
    "anonymous",
    "resident",
    "medeu_staff",
    "almaly_staff",
    "almaty_staff",
    "other_officer",
    "administrator",
]
# Every target lives in Almaly: its district, the parent city and the administrator cover it.
ALLOWED = frozenset({"almaly_staff", "almaty_staff", "administrator"})


@dataclass
class World:
    almaty: AdministrativeUnit
    almaly: AdministrativeUnit
    medeu: AdministrativeUnit
    energy: Department
    roads: Department
    water: Category
    roads_category: Category
    meeting: Meeting
    held: Meeting
    speaker: Speaker
    agenda: AgendaItem
    plan_item: PlanItem
    new_question: Question
    work_question: Question
    planned_question: Question
    linked_question: Question
    report: Report
    plan: ActionPlan
    item: ActionItem
    personas: dict[str, User | None] = field(default_factory=dict)
    cycle: Cycle | None = None


def build_world() -> World:
    almaty = make_unit(K.REPUBLICAN_CITY, name_kk="Алматы", name_ru="Алматы", kato="750000000", slug="almaty")
    almaly = make_unit(
        K.DISTRICT, parent=almaty, name_kk="Алмалы ауданы", name_ru="Алмалинский район", slug="almaty-almaly"
    )
    medeu = make_unit(K.DISTRICT, parent=almaty, name_kk="Медеу ауданы", name_ru="Медеуский район", slug="almaty-medeu")
    energy = department_create(unit=almaty, name_kk="Энергетика басқармасы", name_ru="Управление энергетики")
    roads = department_create(unit=almaty, name_kk="Жолдар басқармасы", name_ru="Управление дорог")

    personas: dict[str, User | None] = {
        "anonymous": None,
        "resident": UserFactory(username="mx.resident"),
        "medeu_staff": make_staff(medeu, username="mx.medeu.staff"),
        "almaly_staff": make_staff(almaly, username="mx.almaly.staff"),
        "almaty_staff": make_staff(almaty, username="mx.almaty.staff"),
        # An officer of the energy department; the question in work belongs to the roads department.
        "other_officer": make_staff(
            almaty, StaffRole.Role.DEPARTMENT_OFFICER, department=energy, username="mx.energy.officer"
        ),
        "administrator": UserFactory(username="mx.admin", is_staff=True, is_superuser=True),
    }
    actor = personas["almaly_staff"]

    akim = make_akim(almaly, full_name_kk="Айгүл Нұрланова", term_start=date(2020, 1, 1))
    meeting = make_meeting(
        almaly,
        venue=make_venue(almaly, capacity=50),
        host=akim,
        starts_at=in_days(10),
        title_kk=f"{MEETING_MARK} Алмалы ауданы әкімінің есебі",
        title_ru=f"{MEETING_MARK} Отчёт акима Алмалинского района",
    )
    make_registration(meeting, name="Тұрғын Тіркелген")
    speaker = Speaker.objects.create(meeting=meeting, name_kk="Бөлім басшысы", name_ru="Руководитель отдела")
    agenda = AgendaItem.objects.create(meeting=meeting, title_kk="Есеп", title_ru="Отчёт", minutes=30)
    plan_item = PlanItem.objects.create(
        unit=almaly,
        year=timezone.localdate().year,
        planned_on=timezone.localdate() + timedelta(days=40),
        kind=Meeting.Kind.REPORTING,
        title_kk=f"{PLAN_ITEM_MARK} жоспар",
        title_ru=f"{PLAN_ITEM_MARK} план",
    )
    held = held_meeting(almaly, days_ago=3, title_kk="Өткен кездесу", title_ru="Прошедшая встреча")

    water = question_factories.category("water")
    roads_category = question_factories.category("roads")
    new_question = question_factories.new(almaly, text=f"{NEW_QUESTION_MARK} Аулада жарық жоқ, көмектесіңіздер.")
    work_question = question_services.question_assign(
        question=question_factories.accepted(almaly, actor, text=f"{WORK_QUESTION_MARK} Жол бұзылған, жөндеңіздер."),
        actor=actor,
        department=roads,
    )
    planned_question = make_question(almaly, status=Question.Status.ANSWERED, outcome=Question.Outcome.PLANNED)
    linked_question = make_question(almaly, status=Question.Status.ANSWERED, outcome=Question.Outcome.PLANNED)

    report = make_report(almaly, actor, meeting=held, publish=False, title_kk=REPORT_MARK, title_ru=REPORT_MARK)
    plan = make_plan(almaly, actor, title_kk=PLAN_MARK, title_ru=PLAN_MARK)
    item = make_item(plan, actor, title_kk=ITEM_MARK, title_ru=ITEM_MARK)
    action_item_link_questions(item=item, actor=actor, question_ids=[linked_question.pk])

    # A cycle of Almaly's own meetings (the cycles app's staff pages).
    cycle = Cycle.objects.create(
        unit=almaly,
        kind=Cycle.Kind.REPORTING,
        number=1,
        title_kk=CYCLE_MARK,
        title_ru=CYCLE_MARK,
        starts_on=timezone.localdate(held.starts_at),
        ends_on=timezone.localdate(held.starts_at),
        slug="mx-almaly-cycle",
    )
    CycleMeeting.objects.create(cycle=cycle, meeting=held)

    return World(
        almaty=almaty,
        almaly=almaly,
        medeu=medeu,
        energy=energy,
        roads=roads,
        water=water,
        roads_category=roads_category,
        meeting=meeting,
        held=held,
        speaker=speaker,
        agenda=agenda,
        plan_item=plan_item,
        new_question=new_question,
        work_question=work_question,
        planned_question=planned_question,
        linked_question=linked_question,
        report=report,
        plan=plan,
        item=item,
        personas=personas,
        cycle=cycle,
    )
