import pytest

from tests.questions import factories


@pytest.fixture
def water(db):
    return factories.category("water")


@pytest.fixture
def roads(db):
    return factories.category("roads")


@pytest.fixture
def submitted(almaly, water):
    return factories.submit(almaly)


@pytest.fixture
def new_question(almaly, water):
    return factories.new(almaly)


@pytest.fixture
def accepted_question(almaly, almaly_staff, water):
    return factories.accepted(almaly, almaly_staff)


@pytest.fixture
def assigned_question(almaly, almaly_staff, energy_department, department_officer):
    return factories.assigned(almaly, almaly_staff, energy_department)


@pytest.fixture
def answered_question(almaly, almaly_staff, energy_department):
    return factories.answered(almaly, almaly_staff, energy_department)
