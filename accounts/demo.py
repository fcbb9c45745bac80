"""Demo accounts: fictional staff with roles over demo territories. README lists them."""

from accounts.models import StaffRole, User
from accounts.services import staff_role_grant
from districts.models import AdministrativeUnit, Department

DEMO_PASSWORD = "kezdesu-demo"

# username, first name, last name, role, territory slug, department (kk name) or None
STAFF: list[tuple[str, str, str, str, str, str | None]] = [
    ("almaty.staff", "Әлия", "Демо", StaffRole.Role.AKIMAT_STAFF, "almaty", None),
    ("almaly.staff", "Айдос", "Демо", StaffRole.Role.AKIMAT_STAFF, "almaty-almaly", None),
    ("medeu.staff", "Мира", "Демо", StaffRole.Role.AKIMAT_STAFF, "almaty-medeu", None),
    ("shymkent.staff", "Ержан", "Демо", StaffRole.Role.AKIMAT_STAFF, "shymkent", None),
    ("oskemen.staff", "Ольга", "Демо", StaffRole.Role.AKIMAT_STAFF, "oskemen", None),
    ("aksengir.staff", "Бақыт", "Демо", StaffRole.Role.AKIMAT_STAFF, "aksengir-okrug", None),
    (
        "energy.officer",
        "Нұрлан",
        "Демо",
        StaffRole.Role.DEPARTMENT_OFFICER,
        "almaty",
        "Энергетика және сумен жабдықтау басқармасы",
    ),
    ("almaty.moderator", "Дана", "Демо", StaffRole.Role.MODERATOR, "almaty", None),
]


def _demo_user(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_demo=True, **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def seed() -> None:
    _demo_user("admin", first_name="Admin", last_name="Демо", is_staff=True, is_superuser=True)
    # Signs in at /kk/accounts/sign-in/ with a code (printed to the console under `make run`)
    # and finds the demo questions sent with this email under "my questions".
    _demo_user(
        "resident",
        first_name="Тұрғын",
        last_name="Демо",
        email="resident1@example.kz",
        sign_in_contact="resident1@example.kz",
    )
    for username, first, last, role, slug, department_name in STAFF:
        user = _demo_user(username, first_name=first, last_name=last)
        unit = AdministrativeUnit.objects.get(slug=slug)
        department = Department.objects.get(unit=unit, name_kk=department_name) if department_name else None
        if not StaffRole.objects.filter(user=user, unit=unit, role=role).exists():
            staff_role_grant(user=user, unit=unit, role=role, department=department)
