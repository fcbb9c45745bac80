import pytest

from cycles.models import Cycle
from meetings.models import Meeting
from tests.factories import make_unit
from tests.meetings.factories import in_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OTHER_DISTRICTS = [
    ("almaty-alatau", "Алатау ауданы", "Алатауский район"),
    ("almaty-auezov", "Әуезов ауданы", "Ауэзовский район"),
    ("almaty-bostandyk", "Бостандық ауданы", "Бостандыкский район"),
    ("almaty-zhetysu", "Жетісу ауданы", "Жетысуский район"),
    ("almaty-nauryzbay", "Наурызбай ауданы", "Наурызбайский район"),
    ("almaty-turksib", "Түрксіб ауданы", "Турксибский район"),
]


def test_staff_create_a_cycle_for_almatys_eight_districts_and_read_it_in_kk_and_ru(
    live_server, page, almaty, almaly, medeu, almaty_staff
):
    for slug, name_kk, name_ru in OTHER_DISTRICTS:
        make_unit(parent=almaty, name_kk=name_kk, name_ru=name_ru, slug=slug)
    page.goto(f"{live_server.url}/ru/accounts/login/?next=/ru/meetings/cycles/staff/new/")
    page.get_by_label("Имя пользователя").fill("almaty.staff")
    page.get_by_label("Пароль").fill("correct horse battery")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/ru/meetings/cycles/staff/new/")

    page.get_by_label("Территория").select_option("almaty")
    page.get_by_role("button", name="Продолжить").click()
    assert page.locator("fieldset.cycle-slot").count() == 8
    page.get_by_label("Название на казахском").fill("Әкімнің аудан тұрғындарымен кездесулері")
    page.get_by_label("Название на русском").fill("Встречи акима с жителями районов")
    for index in range(8):
        day = in_days(10 + index)
        page.locator(f"#id_slot-{index}-day").fill(f"{day:%Y-%m-%d}")
    page.get_by_role("button", name="Создать цикл").click()

    cycle = Cycle.objects.get()
    page.wait_for_url(f"{live_server.url}/ru/meetings/cycles/{cycle.slug}/")
    assert "Цикл и его встречи сохранены." in page.locator(".messages").inner_text()
    assert Meeting.objects.filter(cycle_link__cycle=cycle, status="scheduled").count() == 8
    assert page.get_by_role("heading", level=1).inner_text() == "Встречи акима с жителями районов"
    held = page.locator("tr", has=page.locator('[data-figure="held"]'))
    assert held.inner_text().split() == ["Проведено", "встреч", "0", "из", "8", "запланированных"]
    assert page.locator("svg.bar-chart").count() == 0  # no questions yet: no empty chart
    assert page.locator("table").nth(3).locator("tbody tr").count() == 8  # a row per district

    page.goto(f"{live_server.url}/kk/meetings/cycles/{cycle.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Әкімнің аудан тұрғындарымен кездесулері"
    held = page.locator("tr", has=page.locator('[data-figure="held"]'))
    assert held.inner_text().split() == ["Өткізілген", "кездесулер", "0", "жоспарланғаны", "—", "8"]
    assert page.get_by_role("heading", name="Аумақтар бойынша").is_visible()
