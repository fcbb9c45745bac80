import pytest

from tests.meetings.factories import in_days, make_meeting, make_venue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_registers_in_russian_and_sees_seats_left_go_down(live_server, page, almaty, almaly):
    venue = make_venue(almaly, capacity=40, name="№ 35 мектеп-гимназия")
    meeting = make_meeting(
        almaly, venue=venue, starts_at=in_days(6), title_kk="Әкімнің есебі", title_ru="Отчёт акима района"
    )

    page.goto(f"{live_server.url}/ru/meetings/")
    assert page.get_by_role("heading", level=1).inner_text() == "Предстоящие встречи"
    page.get_by_role("link", name="Отчёт акима района").click()
    page.wait_for_url(f"{live_server.url}/ru/meetings/{meeting.pk}/")
    assert page.locator(".seats-left").inner_text().startswith("40 из 40")

    page.get_by_label("Ваше имя").fill("Асель Қанатқызы")
    page.get_by_label("Телефон").fill("8 701 234 56 78")
    page.get_by_role("button", name="Зарегистрироваться").click()
    assert "ваше место забронировано" in page.locator(".registration-status").inner_text()

    page.get_by_role("link", name="Отчёт акима района").click()
    assert page.locator(".seats-left").inner_text().startswith("39 из 40")


def test_staff_schedule_a_meeting_and_it_appears_on_the_public_list_in_kk_and_ru(
    live_server, page, almaty, almaly, almaly_staff
):
    make_venue(almaly, capacity=200, name="Алмалы ауданы әкімдігінің залы")
    page.goto(f"{live_server.url}/ru/accounts/login/?next=/ru/meetings/staff/new/")
    page.get_by_label("Имя пользователя").fill("almaly.staff")
    page.get_by_label("Пароль").fill("correct horse battery")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(f"{live_server.url}/ru/meetings/staff/new/")

    day = in_days(9)
    page.get_by_label("Территория").select_option("almaty-almaly")
    page.get_by_label("Вид").select_option("reporting")
    page.get_by_label("Название на казахском").fill("Алмалы ауданы әкімінің тоқсандық есебі")
    page.get_by_label("Название на русском").fill("Квартальный отчёт акима Алмалинского района")
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T15:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T17:00")
    page.get_by_label("Место проведения").select_option(label="Алмалы ауданы әкімдігінің залы")
    page.get_by_role("button", name="Сохранить").click()
    assert "Встреча сохранена." in page.locator(".messages").inner_text()

    page.goto(f"{live_server.url}/kk/meetings/")
    assert page.get_by_role("link", name="Алмалы ауданы әкімінің тоқсандық есебі").is_visible()
    page.goto(f"{live_server.url}/ru/meetings/")
    assert page.get_by_role("link", name="Квартальный отчёт акима Алмалинского района").is_visible()
