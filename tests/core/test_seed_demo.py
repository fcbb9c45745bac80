from django.core.management import call_command

from accounts.models import StaffRole, User
from districts.models import AdministrativeUnit, Akim, Department


def counts():
    return [m.objects.count() for m in (AdministrativeUnit, Akim, Department, User, StaffRole)]


def test_seed_demo_is_idempotent_and_loads_real_territories(db):
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    almaty = AdministrativeUnit.objects.get(kato="750000000")
    assert almaty.children.count() == 8
    shymkent = AdministrativeUnit.objects.get(kato="790000000")
    assert shymkent.children.count() == 5
    assert AdministrativeUnit.objects.get(slug="shymkent-turan").kato is None
    assert AdministrativeUnit.objects.filter(name_ru="село Аксенгир").exists()
    assert not Akim.objects.filter(is_demo=False).exists()
    assert User.objects.filter(username="almaly.staff", is_demo=True).exists()
