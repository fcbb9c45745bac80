"""Almaty with its districts, the city akim, venues, and a cycle helper."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cycles import services
from cycles.models import Cycle, CycleMeeting
from cycles.services import Slot
from meetings.models import Meeting
from questions.models import Question
from tests.factories import make_akim, make_unit
from tests.meetings.conftest import almaly_akim, almaty_akim, medeu_akim  # noqa: F401
from tests.meetings.factories import in_days, make_meeting, make_venue
from tests.reports.factories import make_item, make_plan, make_question

QS, OUT = Question.Status, Question.Outcome


@pytest.fixture
def almaly_hall(almaly):
    return make_venue(almaly, capacity=400, name="Алмалы ауданы әкімдігінің залы")


@pytest.fixture
def medeu_hall(medeu):
    return make_venue(medeu, capacity=300, name="Медеу ауданы әкімдігінің залы")


@pytest.fixture
def city_akim(almaty):
    return make_akim(almaty, full_name_kk="Ерлан Әбдіров", full_name_ru="Ерлан Абдиров", term_start=date(2020, 1, 1))


@pytest.fixture
def two_slots(almaly, medeu, almaly_hall, medeu_hall):
    return [
        Slot(unit=almaly, starts_at=in_days(10), ends_at=in_days(10) + timedelta(hours=2), venue=almaly_hall),
        Slot(unit=medeu, starts_at=in_days(11), ends_at=in_days(11) + timedelta(hours=2), venue=medeu_hall),
    ]


@pytest.fixture
def city_cycle(almaty, almaty_staff, city_akim, two_slots):
    return services.cycle_create(
        actor=almaty_staff,
        unit=almaty,
        kind="reporting",
        number=1,
        title_kk="Әкімнің аудандар тұрғындарымен кездесулері",
        title_ru="Встречи акима с жителями районов",
        host=city_akim,
        slots=two_slots,
    )


@pytest.fixture
def turksib(almaty):
    return make_unit(parent=almaty, name_kk="Түрксіб ауданы", name_ru="Турксибский район", slug="almaty-turksib")


def _cycle(unit, *, number, days_ago, host=None, slug=None) -> Cycle:
    day = timezone.localdate() - timedelta(days=days_ago)
    return Cycle.objects.create(
        unit=unit,
        host=host,
        kind="reporting",
        number=number,
        title_kk=f"{number}-цикл",
        title_ru=f"Цикл {number}",
        starts_on=day,
        ends_on=day + timedelta(days=7),
        slug=slug or f"cycle-{number}",
    )


def _held(cycle, unit, *, days_ago, attendance) -> Meeting:
    meeting = make_meeting(unit, starts_at=in_days(-days_ago), status=Meeting.Status.HELD, attendance=attendance)
    CycleMeeting.objects.create(cycle=cycle, meeting=meeting)
    return meeting


def _answered(unit, meeting, *, outcome, days, **fields):
    arrived = meeting.starts_at
    return make_question(
        unit,
        meeting=meeting,
        status=QS.ANSWERED,
        outcome=outcome,
        created_at=arrived,
        answered_at=arrived + timedelta(days=days),
        **fields,
    )


@pytest.fixture
def world(almaty, almaly, medeu, almaty_staff, city_akim):
    before = _cycle(almaty, number=1, days_ago=500, host=city_akim)
    _held(before, almaly, days_ago=500, attendance=100)
    now = _cycle(almaty, number=2, days_ago=420, host=city_akim)
    almaly_meeting = _held(now, almaly, days_ago=420, attendance=300)
    medeu_meeting = _held(now, medeu, days_ago=419, attendance=200)
    cancelled = make_meeting(medeu, starts_at=in_days(-418), status=Meeting.Status.CANCELLED)
    CycleMeeting.objects.create(cycle=now, meeting=cancelled)
    # Almaly: 2 on the spot (one person asked both), 1 resolved in 10 days, 1 explained in 100,
    # 1 planned after 200 days, 1 resolved after 400; Medeu: 1 forwarded, 1 open, 1 rejected.
    make_question(almaly, meeting=almaly_meeting, status=QS.ANSWERED, on_the_spot=True, contact_email="a@x.kz")
    make_question(almaly, meeting=almaly_meeting, status=QS.ANSWERED, on_the_spot=True, contact_email="a@x.kz")
    _answered(almaly, almaly_meeting, outcome=OUT.RESOLVED, days=10)
    _answered(almaly, almaly_meeting, outcome=OUT.EXPLAINED, days=100)
    _answered(almaly, almaly_meeting, outcome=OUT.PLANNED, days=200)
    _answered(almaly, almaly_meeting, outcome=OUT.RESOLVED, days=400, contact_email="a@x.kz")
    make_question(
        medeu, meeting=medeu_meeting, status=QS.FORWARDED, forwarded_to="ҚР ІІМ", forwarded_to_public="ҚР ІІМ"
    )
    make_question(medeu, meeting=medeu_meeting, status=QS.ASSIGNED)
    make_question(medeu, meeting=medeu_meeting, status=QS.REJECTED, reject_reason="spam")
    # A city plan drawn from both meetings: its items count once.
    plan = make_plan(almaty, almaty_staff)
    plan.source_meetings.add(almaly_meeting, medeu_meeting)
    make_item(plan, almaty_staff, budget="1500000")
    make_item(plan, almaty_staff, budget="500000.50")
    return {"before": before, "now": now}


@pytest.fixture
def cycle_world(world):
    return world["now"]
