from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from cycles.models import Cycle
from meetings.models import Meeting
from tests.meetings.factories import in_days

pytestmark = pytest.mark.django_db


def _url(language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _post(almaly_hall, medeu_hall, *, medeu_day=None, **extra) -> dict:
    day = in_days(10).date()
    data = {
        "unit": "almaty",
        "kind": "reporting",
        "number": "1",
        "title_kk": "Әкімнің аудандар тұрғындарымен кездесулері",
        "title_ru": "Встречи акима с жителями районов",
        "publish": "on",
        # Rows follow the subdivisions by name: Алмалы, Медеу.
        "slot-0-day": day.isoformat(),
        "slot-0-starts": "11:00",
        "slot-0-ends": "13:00",
        "slot-0-venue": str(almaly_hall.pk),
        "slot-1-day": (medeu_day or day + timedelta(days=1)).isoformat(),
        "slot-1-starts": "15:00",
        "slot-1-ends": "17:00",
        "slot-1-venue": str(medeu_hall.pk),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_form_offers_a_row_per_district(client, almaty_staff, almaly, medeu, language):
    client.force_login(almaty_staff)
    response = client.get(_url(language, "cycles:staff-create") + "?unit=almaty")
    assert response.status_code == 200
    text = response.content.decode()
    assert ("Алмалы ауданы" if language == "kk" else "Алмалинский район") in text
    assert 'name="slot-1-day"' in text
    assert ("Кездесу циклін құру" if language == "kk" else "Создать цикл встреч") in text


def test_staff_create_a_cycle_in_one_form(client, almaty_staff, almaly_hall, medeu_hall):
    client.force_login(almaty_staff)
    response = client.post(_url("ru", "cycles:staff-create"), _post(almaly_hall, medeu_hall))
    cycle = Cycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("ru", "cycles:detail", slug=cycle.slug)
    starts = sorted(Meeting.objects.filter(cycle_link__cycle=cycle).values_list("starts_at", flat=True))
    assert [s.astimezone().hour for s in starts] == [11, 15]


@pytest.mark.parametrize(
    ("language", "message"),
    [("kk", "Кездесу басталғаннан кейін аяқталуы тиіс."), ("ru", "Встреча должна заканчиваться после начала.")],
)
def test_a_bad_row_refuses_the_whole_cycle_in_the_readers_language(
    client, almaty_staff, almaly_hall, medeu_hall, language, message
):
    client.force_login(almaty_staff)
    data = _post(almaly_hall, medeu_hall, **{"slot-1-ends": "14:00"})
    response = client.post(_url(language, "cycles:staff-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Cycle.objects.exists()
    assert not Meeting.objects.exists()


def test_garbage_input_is_a_form_error_not_a_500(client, almaty_staff, almaly_hall, medeu_hall):
    client.force_login(almaty_staff)
    data = _post(almaly_hall, medeu_hall, number="many", **{"slot-0-day": "yesterday", "slot-1-venue": "99999"})
    response = client.post(_url("ru", "cycles:staff-create"), data)
    assert response.status_code == 400
    assert not Cycle.objects.exists()


def test_district_staff_cannot_pick_the_city(client, almaly_staff, almaly_hall, medeu_hall):
    client.force_login(almaly_staff)
    response = client.post(_url("kk", "cycles:staff-create"), _post(almaly_hall, medeu_hall))
    assert response.status_code == 400
    assert not Cycle.objects.exists()


def test_residents_cannot_open_the_staff_form(client, resident):
    client.force_login(resident)
    assert client.get(_url("kk", "cycles:staff-create")).status_code == 403


def test_staff_of_another_territory_get_404_on_a_cycle(client, city_cycle, medeu_staff):
    client.force_login(medeu_staff)
    assert client.get(_url("kk", "cycles:staff-detail", slug=city_cycle.slug)).status_code == 404


def test_staff_add_a_later_meeting_from_the_cycle_page(client, city_cycle, almaty_staff, turksib):
    from tests.meetings.factories import make_meeting

    later = make_meeting(turksib, starts_at=in_days(20))
    client.force_login(almaty_staff)
    response = client.post(_url("ru", "cycles:staff-detail", slug=city_cycle.slug), {"meeting": later.pk})
    assert response.status_code == 302
    assert city_cycle.links.filter(meeting=later).exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("kk", ["Өткізілген кездесулер", "Келген тұрғындар", "Орнында жауап берілді", "Алдыңғы циклмен салыстыру"]),
        ("ru", ["Проведено встреч", "Пришло жителей", "Отвечено на месте", "Сравнение с предыдущим циклом"]),
    ],
)
def test_the_cycle_page_prints_its_figures_in_each_language(client, cycle_world, language, words):
    response = client.get(_url(language, "cycles:detail", slug=cycle_world.slug))
    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word in text
    assert 'data-figure="attendance">500<' in text
    assert 'data-figure="received">8<' in text
    assert "<svg" in text
    assert "a@x.kz" not in text and "Айгерім Тестова" not in text  # never personal data


def test_the_cycle_page_runs_a_fixed_number_of_queries(client, cycle_world, django_assert_max_num_queries):
    url = _url("kk", "cycles:detail", slug=cycle_world.slug)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_an_unknown_cycle_is_a_404(client, db):
    assert client.get(_url("ru", "cycles:detail", slug="no-such-cycle")).status_code == 404
