"""Every meetings predicate as a matrix of personas × territories."""

import pytest

from meetings.permissions import can_manage_meetings, is_meeting_staff

PERSONAS = ["resident", "almaly_staff", "medeu_staff", "almaty_staff", "department_officer", "administrator"]
TERRITORIES = ["almaty", "almaly", "medeu", "zhambyl"]

EXPECTED = {
    "resident": set(),
    "almaly_staff": {"almaly"},
    "medeu_staff": {"medeu"},
    "almaty_staff": {"almaty", "almaly", "medeu"},
    "department_officer": set(),  # answers questions; does not schedule meetings
    "administrator": {"almaty", "almaly", "medeu", "zhambyl"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_manages_meetings_where(request, persona):
    user = request.getfixturevalue(persona)
    allowed = {name for name in TERRITORIES if can_manage_meetings(user, request.getfixturevalue(name))}
    assert allowed == EXPECTED[persona]
    assert is_meeting_staff(user) == bool(EXPECTED[persona])


def test_anonymous_visitors_manage_nothing(almaly):
    from django.contrib.auth.models import AnonymousUser

    assert not can_manage_meetings(AnonymousUser(), almaly)
    assert not is_meeting_staff(AnonymousUser())
