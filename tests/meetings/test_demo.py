from django.core.management import call_command

from districts.models import AdministrativeUnit
from meetings import selectors
from meetings.models import Meeting, PlanItem, ReceptionSlot, Venue
from meetings.periods import current_quarter


def counts():
    return [model.objects.count() for model in (Meeting, Venue, ReceptionSlot, PlanItem)]


def test_the_meetings_demo_is_idempotent_and_covers_every_kind_and_mandate_state(db):
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first
    assert set(Meeting.objects.values_list("kind", flat=True)) == set(Meeting.Kind.values)
    assert Meeting.objects.filter(venue__capacity=3200, kind="reporting").exists()
    assert Meeting.objects.filter(unit__slug="shymkent-kainarbulak", kind="reporting").exists()
    assert Meeting.objects.filter(unit__slug__startswith="oskemen-").count() == 9
    assert not Meeting.objects.filter(is_demo=False).exists()
    report = selectors.mandate_report(unit=AdministrativeUnit.objects.get(slug="almaty"), quarter=current_quarter())
    assert report.held and report.scheduled and report.missing
