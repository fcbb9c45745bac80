"""The resident's journey with no dead end: from the home page to a meeting, a question for it,
and the question under "my questions" after signing in with a one-time code."""

import re

import pytest

from questions.models import Question
from tests.mail import delivered
from tests.meetings.factories import in_days, make_meeting, make_venue
from tests.questions.factories import category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_next_meeting_ask_for_it_sign_in_with_a_code_and_find_the_question(live_server, page, almaty, almaly):
    water = category("water")
    meeting = make_meeting(
        almaly,
        venue=make_venue(almaly, capacity=120, name="№ 35 мектеп-гимназия"),
        starts_at=in_days(5),
        title_kk="Алмалы ауданы әкімінің есебі",
        title_ru="Отчёт акима Алмалинского района",
    )

    # Home: the next meetings, country-wide until the resident chooses a district.
    page.goto(f"{live_server.url}/kk/")
    assert page.get_by_role("link", name="Сұрақ қою").first.is_visible()
    page.get_by_role("link", name="Алмалы ауданы әкімінің есебі").click()
    page.wait_for_url(f"{live_server.url}/kk/meetings/{meeting.pk}/")

    # The meeting's page: ask a question for it, territory and meeting already chosen.
    page.get_by_role("link", name="Осы кездесуге сұрақ қою").click()
    page.wait_for_url(re.compile(r".*/kk/questions/ask/\?unit=almaty-almaly&meeting=\d+$"))
    assert page.locator("#id_unit").input_value() == str(almaly.pk)
    assert page.locator("#id_meeting").input_value() == str(meeting.pk)
    page.locator("#id_category").select_option(str(water.pk))
    page.locator("#id_text").fill("Мектеп жанындағы жолда бағдаршам жоқ, балалар жолды қауіппен кесіп өтеді.")
    page.locator("#id_author_name").fill("Дана")
    page.locator("#id_contact_email").fill("dana@example.kz")
    page.get_by_role("button", name="Сұрақты жіберу").click()
    question = Question.objects.get()
    assert question.meeting == meeting and question.unit == almaly
    page.wait_for_url(f"{live_server.url}{question.get_tracking_url()}")

    # Sign in as a resident from the question's page: never the staff login.
    page.get_by_role("link", name="поштаңызбен немесе телефоныңызбен кіріңіз").click()
    page.wait_for_url(re.compile(r".*/kk/accounts/sign-in/.*"))
    assert page.locator("#id_password").count() == 0
    page.get_by_label("Электрондық пошта немесе телефон").fill("dana@example.kz")
    page.get_by_role("button", name="Маған код жіберу").click()
    page.wait_for_url(f"{live_server.url}/kk/accounts/sign-in/code/")
    email = next(message for message in reversed(delivered()) if "кіру кодыңыз" in message.subject)
    code = re.search(r"\b(\d{6})\b", email.body).group(1)
    page.get_by_label("Хабарламадағы код").fill(code)
    page.get_by_role("button", name="Кіру").click()

    # "My questions": the question sent with that email, and the way to notification settings.
    page.wait_for_url(f"{live_server.url}/kk/questions/mine/")
    assert page.get_by_role("heading", level=1).inner_text() == "Менің сұрақтарым"
    assert "бағдаршам жоқ" in page.locator("main .cards").inner_text()
    page.get_by_role("link", name="Хабарлама баптаулары").first.click()
    page.wait_for_url(f"{live_server.url}/kk/notifications/settings/")
