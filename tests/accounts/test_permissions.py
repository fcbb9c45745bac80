"""The covers() matrix: personas × territories."""

import pytest

from accounts.models import StaffRole
from accounts.permissions import covered_units, covers
from tests.factories import UserFactory, make_staff


@pytest.fixture
def okrug_staff(aksengir_okrug):
    return make_staff(aksengir_okrug, username="okrug.staff")


@pytest.mark.parametrize(
    "persona,territory,expected",
    [
        # A city role covers the city and its districts.
        ("almaty_staff", "almaty", True),
        ("almaty_staff", "almaly", True),
        ("almaty_staff", "medeu", True),
        ("almaty_staff", "almaty_region", False),
        # A district role covers its district, not a sibling, not the parent.
        ("almaly_staff", "almaly", True),
        ("almaly_staff", "medeu", False),
        ("almaly_staff", "almaty", False),
        ("medeu_staff", "almaly", False),
        # A rural okrug role covers its settlements only.
        ("okrug_staff", "aksengir_okrug", True),
        ("okrug_staff", "aksengir", True),
        ("okrug_staff", "zhambyl", False),
        ("okrug_staff", "almaty_region", False),
        ("okrug_staff", "almaly", False),
        # A department officer of the city covers the city's subtree.
        ("department_officer", "almaly", True),
        ("department_officer", "almaty_region", False),
        # An administrator covers everything; a resident nothing.
        ("administrator", "aksengir", True),
        ("administrator", "almaty", True),
        ("resident", "almaly", False),
        ("resident", "aksengir", False),
    ],
)
def test_covers_matrix(request, aksengir, medeu, almaly, persona, territory, expected):
    user = request.getfixturevalue(persona)
    unit = request.getfixturevalue(territory)
    assert covers(user, unit) is expected


def test_an_anonymous_or_inactive_user_covers_nothing(almaly):
    from django.contrib.auth.models import AnonymousUser

    inactive = make_staff(almaly, username="gone", is_active=False)
    assert covers(AnonymousUser(), almaly) is False
    assert covers(inactive, almaly) is False


def test_roles_can_be_narrowed_to_a_kind(almaly, medeu):
    moderator = make_staff(almaly, StaffRole.Role.MODERATOR, username="mod")
    assert covers(moderator, almaly)
    assert not covers(moderator, almaly, roles=[StaffRole.Role.AKIMAT_STAFF])


def test_covered_units_is_the_same_policy_as_a_queryset(almaly_staff, almaly, medeu, almaty, aksengir):
    assert set(covered_units(almaly_staff)) == {almaly}
    assert set(covered_units(UserFactory())) == set()


def test_an_officer_role_requires_a_department(almaly):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_staff(almaly, StaffRole.Role.DEPARTMENT_OFFICER, username="no-department")
    assert not StaffRole.objects.filter(user__username="no-department").exists()
