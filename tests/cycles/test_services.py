from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from cycles import services
from cycles.models import Cycle, CycleMeeting
from cycles.services import Slot
from meetings.models import Meeting, MeetingEvent
from tests.meetings.factories import in_days, make_meeting

pytestmark = pytest.mark.django_db


def test_a_cycle_schedules_one_announced_meeting_per_district(city_cycle, almaly, medeu, city_akim):
    meetings = Meeting.objects.filter(cycle_link__cycle=city_cycle).order_by("starts_at")
    assert [m.unit for m in meetings] == [almaly, medeu]
    assert {m.status for m in meetings} == {Meeting.Status.SCHEDULED}
    assert {m.host for m in meetings} == {city_akim}
    assert meetings[0].title_kk == "Әкімнің аудандар тұрғындарымен кездесулері: Алмалы ауданы"
    assert meetings[1].title_ru == "Встречи акима с жителями районов: Медеуский район"
    assert city_cycle.starts_on == meetings[0].starts_at.astimezone().date()
    assert city_cycle.ends_on == in_days(11).date()
    # The meetings app records them like any other meeting (mandate, plan and audit count them).
    assert MeetingEvent.objects.filter(meeting__in=meetings, kind=MeetingEvent.Kind.SCHEDULED).count() == 2


def test_one_refused_meeting_writes_nothing_and_names_its_district(almaty, almaty_staff, two_slots, almaly_hall, medeu):
    # Medeu's meeting in Almaly's hall at the same time as Almaly's: the venue is taken.
    clash = Slot(unit=medeu, starts_at=two_slots[0].starts_at, ends_at=two_slots[0].ends_at, venue=almaly_hall)
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        services.cycle_create(
            actor=almaty_staff,
            unit=almaty,
            kind="reporting",
            number=1,
            title_kk="Кездесулер",
            slots=[two_slots[0], clash],
        )
    assert any(message.startswith("Медеуский район: ") and "занят" in message for message in refused.value.messages)
    assert not Cycle.objects.exists()
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_past_is_refused_in_kazakh(almaty, almaty_staff, almaly):
    past = Slot(unit=almaly, starts_at=in_days(-1), ends_at=in_days(-1) + timedelta(hours=2))
    with translation.override("kk"), pytest.raises(ValidationError) as refused:
        services.cycle_create(actor=almaty_staff, unit=almaty, kind="reporting", number=1, title_kk="К", slots=[past])
    assert refused.value.messages == ["Алмалы ауданы: Кездесуді өткен уақытқа жоспарлауға болмайды."]
    assert not Cycle.objects.exists()


def test_only_subdivisions_of_the_cycle_territory_take_part(almaty, almaty_staff, almaly, zhambyl):
    slot = Slot(unit=zhambyl, starts_at=in_days(5), ends_at=in_days(5) + timedelta(hours=2))
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        services.cycle_create(actor=almaty_staff, unit=almaty, kind="reporting", number=1, title_kk="К", slots=[slot])
    assert refused.value.messages == ["Жамбылский район не входит в Алматы."]


def test_district_staff_cannot_create_a_city_cycle(almaty, almaly_staff, two_slots):
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=almaly_staff, unit=almaty, kind="reporting", number=1, title_kk="К", slots=two_slots[:1]
        )
    assert not Cycle.objects.exists()


def test_a_later_meeting_joins_and_a_meeting_moves_between_cycles(city_cycle, almaty, almaty_staff, turksib):
    later = make_meeting(turksib, starts_at=in_days(30))
    services.cycle_meeting_add(cycle=city_cycle, meeting=later, actor=almaty_staff)
    city_cycle.refresh_from_db()
    assert city_cycle.ends_on == in_days(30).date()
    second = Cycle.objects.create(
        unit=almaty, kind="reporting", number=2, title_kk="Екінші", starts_on=in_days(40), ends_on=in_days(40), slug="s"
    )
    services.cycle_meeting_add(cycle=second, meeting=later, actor=almaty_staff)
    assert CycleMeeting.objects.get(meeting=later).cycle == second
    assert city_cycle.links.count() == 2


def test_a_meeting_outside_the_cycle_territory_cannot_join(city_cycle, almaty_staff, zhambyl, administrator):
    elsewhere = make_meeting(zhambyl)
    with pytest.raises(ValidationError):
        services.cycle_meeting_add(cycle=city_cycle, meeting=elsewhere, actor=administrator)
    assert not CycleMeeting.objects.filter(meeting=elsewhere).exists()


def test_removing_a_meeting_keeps_the_meeting(city_cycle, almaty_staff):
    meeting = city_cycle.links.first().meeting
    services.cycle_meeting_remove(cycle=city_cycle, meeting=meeting, actor=almaty_staff)
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert city_cycle.links.count() == 1
