"""Meetings in the fixed cast's territories."""

from datetime import date

import pytest

from meetings.models import Meeting
from tests.factories import make_akim
from tests.meetings.factories import in_days, make_meeting, make_venue


@pytest.fixture
def almaly_akim(almaly):
    return make_akim(
        almaly, full_name_kk="Айгүл Нұрланова", full_name_ru="Айгуль Нурланова", term_start=date(2020, 1, 1)
    )


@pytest.fixture
def medeu_akim(medeu):
    return make_akim(medeu, full_name_kk="Сәуле Ахметова", full_name_ru="Сауле Ахметова", term_start=date(2020, 1, 1))


@pytest.fixture
def almaty_akim(almaty):
    return make_akim(almaty, full_name_kk="Ерлан Әбдіров", full_name_ru="Ерлан Абдиров", term_start=date(2020, 1, 1))


@pytest.fixture
def almaly_school(almaly):
    return make_venue(almaly, capacity=10, name="№ 35 мектеп-гимназия")


@pytest.fixture
def medeu_hall(medeu):
    return make_venue(medeu, capacity=300, name="Медеу ауданы әкімдігінің мәжіліс залы")


@pytest.fixture
def almaly_meeting(almaly, almaly_school, almaly_akim) -> Meeting:
    return make_meeting(
        almaly,
        venue=almaly_school,
        host=almaly_akim,
        starts_at=in_days(10),
        title_kk="Алмалы ауданы әкімінің есебі",
        title_ru="Отчёт акима Алмалинского района",
    )


@pytest.fixture
def medeu_meeting(medeu, medeu_hall, medeu_akim) -> Meeting:
    return make_meeting(
        medeu,
        venue=medeu_hall,
        host=medeu_akim,
        starts_at=in_days(12),
        title_kk="Медеу ауданы әкімінің есебі",
        title_ru="Отчёт акима Медеуского района",
    )
