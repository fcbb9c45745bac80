import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core.errors import ApplicationError
from meetings.models import Meeting
from notifications.models import Message
from questions.models import Question, QuestionEvent
from reports import services
from reports.models import ActionItem, ActionItemEvent, Report, ReportEvent
from tests.meetings.factories import make_meeting
from tests.questions import factories as questions
from tests.reports.factories import held_meeting, make_item, make_plan, make_report

pytestmark = pytest.mark.django_db


def image_upload(size=(1600, 900), fmt="JPEG", name="cover.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 60, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- Reports ----------------------------------------------------------------------------------


def test_a_report_starts_as_a_draft_with_a_latin_address_and_its_history(almaly, almaly_staff):
    report = services.report_create(
        actor=almaly_staff, unit=almaly, title_kk="Әкім тұрғындармен кездесті", body_kk="Мәтін"
    )
    assert report.status == Report.Status.DRAFT and report.published_at is None
    assert report.slug == "akim-turgyndarmen-kezdesti"
    assert list(report.events.values_list("kind", flat=True)) == ["created"]


def test_a_report_needs_a_title_in_one_language(almaly, almaly_staff):
    with pytest.raises(ValidationError) as error:
        services.report_create(actor=almaly_staff, unit=almaly, title_kk=" ", title_ru="")
    assert "title_kk" in error.value.message_dict
    assert not Report.objects.exists()


def test_publishing_records_the_time_once_and_unpublishing_needs_a_reason(almaly, almaly_staff):
    report = make_report(almaly, almaly_staff, meeting=held_meeting(almaly))
    first = report.published_at
    assert report.status == Report.Status.PUBLISHED and first is not None
    with pytest.raises(ValidationError):
        services.report_unpublish(report=report, actor=almaly_staff, reason="")
    services.report_unpublish(report=report, actor=almaly_staff, reason="Фото не того района")
    republished = services.report_publish(report=report, actor=almaly_staff)
    assert republished.published_at == first
    kinds = list(ReportEvent.objects.filter(report=report).values_list("kind", "from_status", "to_status"))
    assert kinds[1:] == [
        ("published", "draft", "published"),
        ("unpublished", "published", "unpublished"),
        ("published", "unpublished", "published"),
    ]


def test_a_report_of_a_meeting_is_published_only_after_the_meeting_is_held(almaly, almaly_staff):
    meeting = make_meeting(almaly, status=Meeting.Status.SCHEDULED)
    report = make_report(almaly, almaly_staff, meeting=meeting, publish=False)
    with pytest.raises(ApplicationError):
        services.report_publish(report=report, actor=almaly_staff)
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT


def test_staff_cannot_write_reports_outside_their_territory(almaly, medeu, almaly_staff, department_officer):
    with pytest.raises(PermissionDenied):
        services.report_create(actor=almaly_staff, unit=medeu, title_kk="Бөтен аудан")
    with pytest.raises(PermissionDenied):  # officers answer questions; reports are the akimat's
        services.report_create(actor=department_officer, unit=almaly, title_kk="Есеп")
    report = make_report(medeu, __import__("tests.factories", fromlist=["make_staff"]).make_staff(medeu))
    with pytest.raises(PermissionDenied):
        services.report_unpublish(report=report, actor=almaly_staff, reason="Бөтен есеп")
    assert Report.objects.get(pk=report.pk).status == Report.Status.PUBLISHED


def test_a_report_may_only_name_a_meeting_of_its_territory(almaly, medeu, almaty_staff):
    with pytest.raises(ValidationError) as error:
        services.report_create(actor=almaty_staff, unit=almaly, title_kk="Есеп", meeting=held_meeting(medeu))
    assert "meeting" in error.value.message_dict


def test_a_new_end_of_the_period_is_checked_against_the_stored_start(almaly, almaly_staff):
    start = timezone.localdate()
    report = make_report(almaly, almaly_staff, period_start=start, period_end=start + timedelta(days=30))
    with pytest.raises(ValidationError) as error:
        services.report_update(report=report, actor=almaly_staff, period_end=start - timedelta(days=1))
    assert "period_end" in error.value.message_dict
    assert Report.objects.get(pk=report.pk).period_end == start + timedelta(days=30)


def test_edits_are_recorded_with_the_changed_fields(almaly, almaly_staff):
    report = make_report(almaly, almaly_staff)
    services.report_update(report=report, actor=almaly_staff, body_ru="Новый текст", title_kk=report.title_kk)
    event = report.events.last()
    assert (event.kind, event.changes) == ("updated", ["body_ru"])


def test_a_cover_is_resized_into_renditions_without_its_exif(almaly, almaly_staff):
    report = make_report(almaly, almaly_staff)
    services.report_set_cover(report=report, actor=almaly_staff, upload=image_upload((2400, 1350)), alt_kk="Зал")
    report.refresh_from_db()
    with Image.open(report.cover.path) as large, Image.open(report.cover_small.path) as small:
        assert large.size == (1200, 675) and small.size == (480, 270)
        assert large.format == "JPEG" and not large.getexif()
    assert report.events.last().kind == "cover"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>"), "JPEG"),
        (image_upload((300, 200)), "600"),
        (image_upload(fmt="GIF", name="x.gif"), "JPEG"),
    ],
)
def test_a_bad_cover_is_refused_and_nothing_changes(almaly, almaly_staff, upload, message):
    report = make_report(almaly, almaly_staff)
    with pytest.raises(ValidationError) as error:
        services.report_set_cover(report=report, actor=almaly_staff, upload=upload, alt_kk="Сурет")
    assert message in " ".join(error.value.messages)
    report.refresh_from_db()
    assert not report.cover and report.events.last().kind == "published"


def test_a_cover_too_large_in_bytes_is_refused(settings, almaly, almaly_staff):
    settings.REPORTS_COVER_MAX_BYTES = 1000
    report = make_report(almaly, almaly_staff)
    with pytest.raises(ValidationError):
        services.report_set_cover(report=report, actor=almaly_staff, upload=image_upload(), alt_kk="Сурет")


# --- Action plans -----------------------------------------------------------------------------


def test_an_item_keeps_its_budget_in_tenge_as_a_decimal(almaly, almaly_staff):
    item = make_item(make_plan(almaly, almaly_staff), almaly_staff, budget="123456789.99")
    assert ActionItem.objects.get(pk=item.pk).budget == Decimal("123456789.99")
    with pytest.raises(ValidationError):
        make_item(make_plan(almaly, almaly_staff), almaly_staff, budget="-5")


def test_progress_moves_a_planned_item_into_work_and_is_recorded(almaly, almaly_staff):
    item = make_item(make_plan(almaly, almaly_staff), almaly_staff)
    services.action_item_progress(item=item, actor=almaly_staff, progress=40, note="Асфальт төселуде")
    item.refresh_from_db()
    assert (item.status, item.progress) == (ActionItem.Status.IN_PROGRESS, 40)
    event = item.events.last()
    assert (event.kind, event.from_progress, event.to_progress, event.from_status) == ("progress", 0, 40, "planned")
    with pytest.raises(ValidationError):
        services.action_item_progress(item=item, actor=almaly_staff, progress=100)
    assert ActionItem.objects.get(pk=item.pk).progress == 40


def test_linking_takes_only_planned_questions_of_the_territory(almaly, medeu, almaty_staff, energy_department):
    item = make_item(make_plan(almaly, almaty_staff), almaty_staff)
    planned = questions.answered(almaly, almaty_staff, energy_department, outcome="planned")
    resolved = questions.answered(almaly, almaty_staff, energy_department, outcome="resolved")
    elsewhere = questions.answered(medeu, almaty_staff, energy_department, outcome="planned")
    with pytest.raises(ValidationError):
        services.action_item_link_questions(item=item, actor=almaty_staff, question_ids=[planned.pk, resolved.pk])
    with pytest.raises(ValidationError):
        services.action_item_link_questions(item=item, actor=almaty_staff, question_ids=[elsewhere.pk])
    assert not item.questions.exists()
    services.action_item_link_questions(item=item, actor=almaty_staff, question_ids=[planned.pk])
    assert list(item.questions.all()) == [planned]
    assert (item.events.last().data, item.events.last().note) == ({"question": planned.pk}, "")


def test_a_done_item_resolves_its_planned_questions_and_tells_their_authors(almaly, almaty_staff, energy_department):
    item = make_item(make_plan(almaly, almaty_staff), almaty_staff, title_kk="Аулаға жарық орнату")
    first = questions.answered(almaly, almaty_staff, energy_department, outcome="planned", contact_email="a@example.kz")
    second = questions.answered(
        almaly, almaty_staff, energy_department, outcome="planned", language="ru", contact_email="b@example.kz"
    )
    services.action_item_link_questions(item=item, actor=almaty_staff, question_ids=[first.pk, second.pk])
    services.action_item_complete(item=item, actor=almaty_staff, note="Шамдар қойылды")

    item.refresh_from_db()
    assert (item.status, item.progress, item.completed_on) == ("done", 100, timezone.localdate())
    for question in (first, second):
        question = Question.objects.get(pk=question.pk)
        assert (question.status, question.outcome) == ("answered", "resolved")
        event = question.events.order_by("pk").last()
        assert event.kind == QuestionEvent.Kind.ANSWERED
        assert event.data == {
            "outcome": "resolved",
            "action_item": {"id": item.pk, "kk": item.title_kk, "ru": item.title_ru},
        }
    told = {
        message.email: message
        for message in Message.objects.filter(email__in=["a@example.kz", "b@example.kz"])
        if "Аулаға жарық орнату" in message.context["body"] or "Ремонт улицы" in message.context["body"]
    }
    assert set(told) == {"a@example.kz", "b@example.kz"}
    assert (told["a@example.kz"].language, told["b@example.kz"].language) == ("kk", "ru")
    assert "Аулаға жарық орнату" in told["a@example.kz"].context["body"]
    assert ActionItemEvent.objects.filter(item=item, kind="done").count() == 1
    with pytest.raises(ApplicationError):
        services.action_item_complete(item=item, actor=almaty_staff)


def test_a_failure_while_resolving_rolls_the_item_back(almaly, almaty_staff, energy_department, monkeypatch):
    item = make_item(make_plan(almaly, almaty_staff), almaty_staff)
    question = questions.answered(almaly, almaty_staff, energy_department, outcome="planned")
    services.action_item_link_questions(item=item, actor=almaty_staff, question_ids=[question.pk])

    def broken(**kwargs):
        raise ApplicationError("boom")

    monkeypatch.setattr(services, "question_resolve_by_plan", broken)
    with pytest.raises(ApplicationError):
        services.action_item_complete(item=item, actor=almaty_staff)
    assert ActionItem.objects.get(pk=item.pk).status == ActionItem.Status.PLANNED
    assert not item.events.filter(kind="done").exists()


def test_cancelling_needs_a_reason(almaly, almaly_staff):
    item = make_item(make_plan(almaly, almaly_staff), almaly_staff, due_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.action_item_cancel(item=item, actor=almaly_staff, reason="")
    services.action_item_cancel(item=item, actor=almaly_staff, reason="Қаржы бөлінбеді")
    assert ActionItem.objects.get(pk=item.pk).status == "cancelled"
