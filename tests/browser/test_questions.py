import re

import pytest
from django.conf import settings

from questions.models import Question
from tests.mail import delivered
from tests.questions.factories import category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_asks_in_kazakh_confirms_by_email_and_rates_the_answer(
    live_server, page, almaty, almaly, medeu, almaly_staff, energy_department
):
    water = category("water")

    # The resident, without an account, finds the territory by typing its Russian name.
    page.goto(f"{live_server.url}/kk/questions/ask/")
    assert page.get_by_role("heading", level=1).inner_text() == "Сұрақ қою"
    page.locator("#territory-search").fill("алмалинский")
    assert page.locator("#id_unit").input_value() == str(almaly.pk)
    page.locator("#id_category").select_option(str(water.pk))
    page.locator("#id_text").fill("Абай даңғылындағы үйімізде бір аптадан бері ыстық су жоқ.")
    page.locator("#id_author_name").fill("Айгерім")
    page.locator("#id_contact_email").fill("aigerim@example.kz")
    page.get_by_role("button", name="Сұрақты жіберу").click()

    question = Question.objects.get()
    page.wait_for_url(f"{live_server.url}{question.get_tracking_url()}")
    assert "растауды күтуде" in page.locator(".status").inner_text().lower()

    # The confirmation link from the email.
    assert delivered()[-1].to == ["aigerim@example.kz"]
    link = re.search(r"http\S+/confirm/\S+/", delivered()[-1].body).group()
    page.goto(link.replace(settings.SITE_URL, live_server.url))
    page.wait_for_url(f"{live_server.url}{question.get_tracking_url()}")
    assert "расталып, тіркелді" in page.locator(".messages").inner_text()
    assert "жаңа" in page.locator(".status").inner_text().lower()

    # Staff accept, assign and answer it as resolved.
    page.goto(f"{live_server.url}/kk/accounts/login/?next=/kk/questions/staff/")
    page.locator("#id_username").fill("almaly.staff")
    page.locator("#id_password").fill("correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/kk/questions/staff/")
    page.get_by_role("link", name=f"#{question.pk}").click()
    page.locator("#form-accept button").click()
    page.locator("#form-assign select").select_option(str(energy_department.pk))
    page.locator("#form-assign button").click()
    assert "жұмыста" in page.locator(".status").first.inner_text().lower()
    page.locator("#form-answer textarea").fill("Құбыр ауыстырылды, ыстық су берілді.")
    page.locator("#form-answer select").select_option("resolved")
    page.locator("#form-answer button").click()
    assert "шешілді" in page.locator(".outcome").first.inner_text().lower()

    # The resident sees the answer on the private page and rates it.
    page.goto(f"{live_server.url}{question.get_tracking_url()}")
    assert "ыстық су берілді" in page.locator(".answer").inner_text()
    page.get_by_label("Иә, көңілім толды").check()
    page.get_by_role("button", name="Бағаны жіберу").click()
    assert "Бағаңызға рақмет" in page.locator(".messages").inner_text()
    question.refresh_from_db()
    assert (question.status, question.outcome, question.satisfied) == ("answered", "resolved", True)
