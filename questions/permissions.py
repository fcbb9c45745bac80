"""Who may do what with questions, built on the one policy in accounts/permissions.py.

- akimat staff covering the question's territory: everything (triage, route, extend, answer);
- moderators covering it: triage only (accept, reject, merge, correct the category);
- department officers: answer and forward the questions assigned to their own department,
  inside the territory their role covers.
"""

from django.db.models import Q

from accounts.models import StaffRole, User
from accounts.permissions import covered_unit_ids_q, covers, role_departments, roles_of, unit_ids_under
from districts.models import AdministrativeUnit
from questions.models import Question

R = StaffRole.Role
TRIAGE_ROLES = [R.AKIMAT_STAFF, R.MODERATOR]
MANAGE_ROLES = [R.AKIMAT_STAFF]


def _active(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def officer_departments(user: User) -> list[tuple[int, str]]:
    """(department id, unit path) of the user's officer roles (read with the user's roles)."""
    if not _active(user):
        return []
    return role_departments(user, R.DEPARTMENT_OFFICER)


def can_triage(user: User, question: Question) -> bool:
    return covers(user, question.unit, roles=TRIAGE_ROLES)


def can_manage(user: User, question: Question) -> bool:
    """Route, extend, forward and answer: the akimat's own staff."""
    return covers(user, question.unit, roles=MANAGE_ROLES)


def is_assigned_officer(user: User, question: Question) -> bool:
    if question.department_id is None:
        return False
    return any(
        department_id == question.department_id and question.unit.path.startswith(path)
        for department_id, path in officer_departments(user)
    )


def can_answer(user: User, question: Question) -> bool:
    return can_manage(user, question) or is_assigned_officer(user, question)


def can_see_private(user: User, question: Question) -> bool:
    """Contacts, IIN and address: staff who act on the question, nobody else."""
    return can_triage(user, question) or is_assigned_officer(user, question)


def can_enter_questions(user: User, unit: AdministrativeUnit) -> bool:
    return covers(user, unit, roles=MANAGE_ROLES)


def staff_questions_q(user: User) -> Q:
    """A filter for Question querysets: the questions the user may see in the workspace.

    The territories are resolved to ids once per user object (accounts.permissions), so the
    queues read the question indexes that start with the unit, with no join.
    """
    condition = covered_unit_ids_q(user, roles=TRIAGE_ROLES)
    if not condition:  # everything (a superuser): `Q() | x` would narrow it to x
        return condition
    for department_id, path in officer_departments(user):
        condition |= Q(department_id=department_id, unit_id__in=unit_ids_under(user, [path]))
    return condition


def is_question_staff(user: User) -> bool:
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user) & {*TRIAGE_ROLES, R.DEPARTMENT_OFFICER})
