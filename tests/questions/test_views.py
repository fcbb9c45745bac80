"""Pages: what residents and staff see, in both languages, and what they cannot do."""

import pytest
from django.urls import reverse
from django.utils import translation

from questions import services
from questions.models import Question
from tests.mail import delivered
from tests.questions import factories
from tests.questions.factories import refresh

S = Question.Status


def url(name, lang="kk", **kwargs):
    with translation.override(lang):
        return reverse(f"questions:{name}", kwargs=kwargs or None)


def href(question):
    # The whole attribute: "/kk/questions/46/" is a substring of "/kk/questions/464/".
    return f'href="{question.get_absolute_url()}"'


def form_data(unit, category, **extra):
    data = {
        "unit": unit.pk,
        "category": category.pk,
        "text": "Біздің көшеде үш күннен бері жарық жоқ, көмектесіңіздер.",
        "language": "kk",
        "author_name": "Айгерім",
        "contact_email": "aigerim@example.kz",
        "website": "",
    }
    data.update(extra)
    return data


# --- Asking ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_form_renders_in_both_languages_with_the_territory_picker(client, almaly, medeu, water, lang):
    response = client.get(url("ask", lang) + f"?unit={almaly.slug}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-names="алмалы ауданы алмалинский район"' in html
    assert "<optgroup" in html and 'name="website"' in html
    assert ("Сұрақ қою" if lang == "kk" else "Задать вопрос") in html


def test_a_resident_submits_without_an_account_and_lands_on_the_tracking_page(
    client, almaly, water, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("ask"), form_data(almaly, water))
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_tracking_url()
    assert question.status == S.SUBMITTED and question.author is None
    assert len(delivered()) == 1


def test_bad_input_shows_a_translated_message_and_writes_nothing(client, almaly, water):
    response = client.post(url("ask", "ru"), form_data(almaly, water, text="коротко", contact_email=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Укажите адрес электронной почты или номер телефона" in html
    assert not Question.objects.exists()


def test_an_invalid_iin_on_an_appeal_is_refused_with_a_message(client, almaly, water):
    data = form_data(
        almaly,
        water,
        is_official_appeal="on",
        full_name="Ахметова Айгерім",
        postal_address="Алматы",
        iin="900101300177",
    )
    response = client.post(url("ask", "ru"), data)
    assert "ИИН" in response.content.decode()
    assert not Question.objects.exists()


def test_the_honeypot_looks_successful_and_keeps_nothing(client, almaly, water):
    response = client.post(url("ask"), form_data(almaly, water, website="http://spam.example"))
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_submissions_are_limited_per_contact_with_a_clear_message(client, almaly, water, settings):
    settings.QUESTIONS_RATE_LIMIT_PER_CONTACT = 2
    for _ in range(2):
        assert client.post(url("ask"), form_data(almaly, water)).status_code == 302
    response = client.post(url("ask", "ru"), form_data(almaly, water))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Слишком много вопросов" in response.content.decode()
    assert form_data(almaly, water)["text"] in response.content.decode()  # what was typed stays on the form
    assert Question.objects.count() == 2


def test_submissions_are_limited_per_ip_address(client, almaly, water, settings):
    settings.QUESTIONS_RATE_LIMIT_PER_IP = 1
    assert client.post(url("ask"), form_data(almaly, water)).status_code == 302
    response = client.post(url("ask"), form_data(almaly, water, contact_email="other@example.kz"))
    assert response.status_code == 429
    assert Question.objects.count() == 1


def test_the_confirmation_link_registers_the_question(client, submitted):
    signed = services.confirmation_link(submitted).rstrip("/").rsplit("/", 1)[1]
    response = client.get(url("confirm", signed=signed), follow=True)
    assert refresh(submitted).status == S.NEW
    assert response.redirect_chain[-1][0] == submitted.get_tracking_url()


def test_a_forged_confirmation_link_gets_a_clear_page(client, submitted):
    response = client.get(url("confirm", "ru", signed="forged:link"))
    assert response.status_code == 400
    assert "Ссылка не работает" in response.content.decode()
    assert refresh(submitted).status == S.SUBMITTED


def test_the_code_form_confirms_and_a_wrong_code_says_so(client, submitted):
    wrong = "000000" if services.confirmation_code(submitted) != "000000" else "111111"
    response = client.post(url("track_code", "ru", token=submitted.token), {"code": wrong})
    assert response.status_code == 400 and "Код неверный" in response.content.decode()
    client.post(url("track_code", token=submitted.token), {"code": services.confirmation_code(submitted)})
    assert refresh(submitted).status == S.NEW


def test_a_forged_tracking_token_is_a_404(client, submitted):
    assert client.get(url("track", token=submitted.token + "x")).status_code == 404
    assert client.post(url("track_withdraw", token="nope")).status_code == 404


def test_the_author_withdraws_and_rates_on_the_tracking_page(client, accepted_question, answered_question):
    client.post(url("track_withdraw", token=accepted_question.token))
    assert refresh(accepted_question).status == S.WITHDRAWN
    client.post(url("track_rate", token=answered_question.token), {"satisfied": "no", "comment": "Су әлі жоқ"})
    assert refresh(answered_question).status == S.ASSIGNED
    page = client.get(url("track", token=answered_question.token)).content.decode()
    assert "Су әлі жоқ" in page


def test_my_questions_lists_only_the_account_s_own(client, almaly, water, resident):
    mine = factories.submit(almaly, author=resident, text="Менің сұрағым: аулада жарық жоқ.")
    factories.submit(almaly, text="Басқа адамның сұрағы: жол бұзылған.")
    client.force_login(resident)
    html = client.get(url("mine")).content.decode()
    assert mine.get_tracking_url() in html
    assert "Басқа адамның" not in html


# --- Public pages --------------------------------------------------------------------------------


def test_the_public_list_shows_accepted_questions_only(client, almaly, almaly_staff, water):
    shown = factories.accepted(almaly, almaly_staff, text="Жарияланған сұрақ: аула жөндеу.")
    factories.new(almaly, text="Жаңа сұрақ әлі жарияланбаған.")
    factories.submit(almaly, text="Расталмаған сұрақ, көрсетілмейді.")
    html = client.get(url("territory", slug=almaly.slug)).content.decode()
    assert href(shown) in html
    assert "әлі жарияланбаған" not in html and "Расталмаған" not in html


def test_the_public_list_filters_by_category_status_and_search(
    client, almaly, almaly_staff, energy_department, water, roads
):
    water_q = factories.accepted(almaly, almaly_staff, text="Су жоқ, құбыр жарылған.")
    road_q = factories.answered(
        almaly, almaly_staff, energy_department, category=roads, text="Жол шұқыр, жөндеу керек."
    )
    assert href(road_q) not in client.get(url("list") + "?category=water").content.decode()
    html = client.get(url("list") + "?status=answered").content.decode()
    assert href(road_q) in html and href(water_q) not in html
    html = client.get(url("list") + "?q=жарылған").content.decode()
    assert href(water_q) in html and href(road_q) not in html


def test_unpublished_questions_have_no_public_page(client, new_question, submitted):
    assert client.get(url("detail", pk=new_question.pk)).status_code == 404
    assert client.get(url("detail", pk=submitted.pk)).status_code == 404


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_question_page_shows_the_answer_and_the_author_as_a_resident(client, answered_question, lang):
    html = client.get(url("detail", lang, pk=answered_question.pk)).content.decode()
    assert "Құбыр ауыстырылды" in html
    assert ("Алмалы ауданы тұрғыны" if lang == "kk" else "Житель: Алмалинский район") in html
    assert answered_question.author_name not in html


def test_a_logged_in_resident_supports_once(client, accepted_question, resident):
    client.force_login(resident)
    client.post(url("support", pk=accepted_question.pk))
    client.post(url("support", pk=accepted_question.pk))
    assert refresh(accepted_question).support_count == 1


# --- Staff workspace --------------------------------------------------------------------------------


def test_the_workspace_needs_a_login_and_a_role(client, resident):
    assert client.get(url("staff")).status_code == 302
    client.force_login(resident)
    assert client.get(url("staff")).status_code == 404


def test_the_triage_queue_shows_new_questions_of_the_staff_territory_with_counts(
    client, almaly, medeu, almaly_staff, medeu_staff, water
):
    mine = factories.new(almaly, text="Алмалыдағы жаңа сұрақ, жарық жоқ.")
    factories.new(medeu, text="Медеудегі жаңа сұрақ, жол бұзылған.")
    client.force_login(almaly_staff)
    response = client.get(url("staff", "ru") + "?queue=triage")
    html = response.content.decode()
    assert mine.get_staff_url() in html and "Медеудегі" not in html
    assert response.context["counts"]["triage"] == 1


def test_staff_accept_assign_and_answer_through_the_pages(client, new_question, almaly_staff, energy_department):
    client.force_login(almaly_staff)
    client.post(url("staff_action", pk=new_question.pk, action="accept"), {"category": new_question.category_id})
    client.post(url("staff_action", pk=new_question.pk, action="assign"), {"department": energy_department.pk})
    client.post(
        url("staff_action", pk=new_question.pk, action="answer"),
        {"answer_text": "Жарық қалпына келтірілді.", "outcome": "resolved"},
    )
    question = refresh(new_question)
    assert question.status == S.ANSWERED and question.department == energy_department


def test_a_refused_staff_action_shows_the_reason_and_changes_nothing(client, accepted_question, almaly_staff):
    client.force_login(almaly_staff)
    response = client.post(
        url("staff_action", "ru", pk=accepted_question.pk, action="accept"), {"category": accepted_question.category_id}
    )
    assert response.status_code == 400
    assert "Принять можно только новые вопросы" in response.content.decode()
    assert refresh(accepted_question).status == S.ACCEPTED


def test_staff_of_another_district_get_404_and_nothing_changes(client, new_question, medeu_staff):
    client.force_login(medeu_staff)
    assert client.get(url("staff_detail", pk=new_question.pk)).status_code == 404
    response = client.post(
        url("staff_action", pk=new_question.pk, action="accept"), {"category": new_question.category_id}
    )
    assert response.status_code == 404
    response = client.post(url("staff_bulk"), {"action": "accept", "ids": [new_question.pk]})
    assert response.status_code == 404
    assert refresh(new_question).status == S.NEW


def test_bulk_accept_is_all_or_nothing(client, almaly, almaly_staff, water):
    first = factories.new(almaly)
    already = factories.accepted(almaly, almaly_staff)
    client.force_login(almaly_staff)
    client.post(url("staff_bulk"), {"action": "accept", "ids": [first.pk, already.pk]})
    assert refresh(first).status == S.NEW
    second = factories.new(almaly)
    client.post(url("staff_bulk"), {"action": "accept", "ids": [first.pk, second.pk]})
    assert refresh(first).status == refresh(second).status == S.ACCEPTED


def test_bulk_assign_routes_several_questions(client, almaly, almaly_staff, energy_department, water):
    questions = [factories.accepted(almaly, almaly_staff) for _ in range(3)]
    client.force_login(almaly_staff)
    client.post(
        url("staff_bulk"), {"action": "assign", "department": energy_department.pk, "ids": [q.pk for q in questions]}
    )
    assert {refresh(q).status for q in questions} == {S.ASSIGNED}


def test_the_department_queue_shows_what_was_routed_to_the_officer(client, assigned_question, department_officer):
    client.force_login(department_officer)
    response = client.get(url("staff") + "?queue=department")
    assert assigned_question.get_staff_url() in response.content.decode()
    response = client.post(
        url("staff_action", pk=assigned_question.pk, action="answer"),
        {"answer_text": "Жөндеу жұмыстары аяқталды.", "outcome": "resolved"},
    )
    assert refresh(assigned_question).status == S.ANSWERED


def test_staff_record_a_question_from_a_meeting(client, almaly, almaly_staff, water):
    client.force_login(almaly_staff)
    response = client.post(
        url("staff_enter"),
        {
            "unit": almaly.pk,
            "category": water.pk,
            "source": "paper",
            "language": "ru",
            "text": "Вопрос с бумаги: нет освещения во дворе.",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and question.status == S.ACCEPTED and question.source == "paper"


def test_the_similar_fragment_finds_published_questions_of_the_territory(client, almaly, almaly_staff, water):
    factories.accepted(almaly, almaly_staff, text="Аулада су құбыры жарылып, су жоқ.")
    response = client.get(url("similar") + f"?unit={almaly.pk}&text=су құбыры жарылды, су жоқ")
    assert "су құбыры" in response.content.decode()
