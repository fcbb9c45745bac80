"""Who may do what with a question in Almaly district: personas × predicates."""

import pytest

from questions import permissions

MATRIX = {
    # persona: (triage, manage, answer once assigned to the energy department, see private data)
    "almaly_staff": (True, True, True, True),
    "almaty_staff": (True, True, True, True),
    "medeu_staff": (False, False, False, False),
    "department_officer": (False, False, True, True),
    "resident": (False, False, False, False),
    "administrator": (True, True, True, True),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_permission_matrix(persona, request, assigned_question):
    user = request.getfixturevalue(persona)
    triage, manage, answer, private = MATRIX[persona]
    assert permissions.can_triage(user, assigned_question) is triage
    assert permissions.can_manage(user, assigned_question) is manage
    assert permissions.can_answer(user, assigned_question) is answer
    assert permissions.can_see_private(user, assigned_question) is private


def test_an_officer_does_not_answer_before_the_question_reaches_the_department(accepted_question, department_officer):
    assert not permissions.can_answer(department_officer, accepted_question)


def test_an_anonymous_visitor_may_do_nothing(accepted_question):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_see_private(AnonymousUser(), accepted_question)
    assert not permissions.is_question_staff(AnonymousUser())
