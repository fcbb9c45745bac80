"""The press-release draft: the figures as a press office writes them, and the round trip
through the import into a published report."""

import pytest
from django.urls import reverse
from django.utils import translation

from cycles import press
from cycles.selectors import Figures
from reports import services as report_services
from reports.imports import parse_press_release
from reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "kk", "ru"),
    [
        (879, "880-ге жуық", "около 880 вопросов"),
        (3512, "3\u00a0500-ден астам", "более 3\u00a0500 вопросов"),
        (786, "790-ға жуық", "около 790 вопросов"),
        (461, "460-тан астам", "более 460 вопросов"),
        (41, "41", "41 вопрос"),
        (23, "23", "23 вопроса"),
        (3800, "3\u00a0800", "3\u00a0800 вопросов"),
    ],
)
def test_counts_are_rounded_and_declined_as_press_releases_write_them(count, kk, ru):
    assert press.kk_count(count) == kk
    assert press.ru_count(count, press.QUESTIONS) == ru


def test_the_first_cycles_figures_read_like_the_akimats_release():
    figures = Figures(attendance=3512, received=879, on_the_spot=123, satisfied=302, explained=303, needing_time=151)
    kk = " ".join(press._questions_kk(figures, single=False))
    ru = " ".join(press._questions_ru(figures, single=False))
    assert "Кездесулерге 3\u00a0500-ден астам тұрғын келді." in kk
    assert "Тұрғындардан 880-ге жуық сұрақ түсті." in kk
    assert "Оның 123-іне орнында жауап берілді, 756 сұрақ шешуді талап етеді." in kk
    assert "40%-ы қанағаттандырылды, 40%-ы бойынша түсіндірме берілді, 20%-ы уақытты қажет етеді" in kk
    assert "На встречи пришло более 3\u00a0500 жителей." in ru
    assert "Жители задали около 880 вопросов." in ru
    assert "На 123 из них ответили на месте, 756 вопросов требуют решения." in ru
    assert "40% удовлетворены, по 40% даны разъяснения, 20% требуют времени" in ru


def test_the_draft_is_in_the_format_the_import_reads(cycle_world):
    document = parse_press_release(press.cycle_press_release(cycle=cycle_world))
    assert document.title_kk == "2-цикл: қорытынды"
    assert document.title_ru == "Цикл 2: итоги"
    assert document.territory == "almaty"
    assert "6 адамнан 8 сұрақ түсті." in document.body_kk
    assert "Оның 2-еуіне орнында жауап берілді, 6 сұрақ шешуді талап етеді." in document.body_kk
    assert "6 человек задали 8 вопросов." in document.body_ru
    assert "На 2 из них ответили на месте, 6 вопросов требуют решения." in document.body_ru
    assert document.lead_ru.startswith("С ")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_round_trip_generate_import_publish_and_read_the_same_figures(client, cycle_world, almaty_staff, language):
    client.force_login(almaty_staff)
    with translation.override(language):
        page = reverse("cycles:staff-press", kwargs={"slug": cycle_world.slug})
    draft = client.get(page).context["form"].initial["text"]
    response = client.post(page, {"text": draft})
    report = Report.objects.get()
    assert response.status_code == 302
    assert report.status == Report.Status.DRAFT
    report_services.report_publish(report=report, actor=almaty_staff)
    client.logout()
    with translation.override(language):
        text = client.get(report.get_absolute_url()).content.decode()
    if language == "kk":
        assert "6 адамнан 8 сұрақ түсті." in text
        assert "Оның 2-еуіне орнында жауап берілді, 6 сұрақ шешуді талап етеді." in text
        assert "Кездесулерге 500 тұрғын келді." in text
    else:
        assert "6 человек задали 8 вопросов." in text
        assert "На 2 из них ответили на месте, 6 вопросов требуют решения." in text
        assert "На встречи пришло 500 жителей." in text


def test_a_broken_edit_is_refused_and_writes_nothing(client, cycle_world, almaty_staff):
    client.force_login(almaty_staff)
    with translation.override("ru"):
        page = reverse("cycles:staff-press", kwargs={"slug": cycle_world.slug})
    response = client.post(page, {"text": "no front matter"})
    assert response.status_code == 400
    assert "Файл должен начинаться" in response.content.decode()
    assert not Report.objects.exists()


def test_a_single_meeting_has_its_draft_too(client, cycle_world, almaty_staff):
    meeting = cycle_world.links.order_by("meeting__starts_at").first().meeting
    client.force_login(almaty_staff)
    response = client.get(reverse("cycles:staff-meeting-press", kwargs={"pk": meeting.pk}) + "?format=md")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/markdown")
    document = parse_press_release(text)
    assert "Кездесуге 300 тұрғын келді." in document.body_kk
    assert "На встречу пришло 300 жителей." in document.body_ru


def test_staff_of_another_district_cannot_draft_a_cycles_release(client, cycle_world, medeu_staff):
    client.force_login(medeu_staff)
    assert client.get(reverse("cycles:staff-press", kwargs={"slug": cycle_world.slug})).status_code == 404
