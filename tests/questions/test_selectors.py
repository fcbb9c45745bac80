from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from questions import selectors
from tests.questions import factories

ALMATY = ZoneInfo("Asia/Almaty")


def test_similar_questions_come_from_the_same_territory_and_skip_unpublished(
    almaly, medeu, almaly_staff, medeu_staff, water
):
    same = factories.accepted(almaly, almaly_staff, text="Аулада су құбыры жарылып, үш күн су жоқ.")
    factories.accepted(almaly, almaly_staff, text="Мектеп жанында бағдаршам қажет, балалар қауіпте.")
    factories.accepted(medeu, medeu_staff, text="Аулада су құбыры жарылып, үш күн су жоқ.")
    factories.new(almaly, text="Аулада су құбыры жарылып, үш күн су жоқ.")
    found = selectors.questions_similar(unit=almaly, text="Су құбыры жарылды, аулада су жоқ")
    assert [item.question for item in found] == [same]


def test_queues_sort_questions_by_due_date_into_due_soon_and_overdue(almaly, almaly_staff, water):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=ALMATY), tick=False):
        early = factories.accepted(almaly, almaly_staff)  # due 23 March... skipped by Nauryz: 27 March
    with time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=ALMATY), tick=False):
        later = factories.accepted(almaly, almaly_staff)
    with time_machine.travel(datetime(2026, 3, 26, 10, tzinfo=ALMATY), tick=False):
        due_soon = list(selectors.questions_for_staff(user=almaly_staff, queue=selectors.QUEUE_DUE_SOON))
        overdue = list(selectors.questions_for_staff(user=almaly_staff, queue=selectors.QUEUE_OVERDUE))
        counts = selectors.staff_queue_counts(user=almaly_staff)
    assert early.due_on.isoformat() == "2026-03-27" and due_soon == [early]
    assert overdue == [] and later not in due_soon
    assert counts["due_soon"] == 1 and counts["overdue"] == 0 and counts["all"] == 2
    with time_machine.travel(datetime(2026, 3, 30, 10, tzinfo=ALMATY), tick=False):
        assert list(selectors.questions_for_staff(user=almaly_staff, queue=selectors.QUEUE_OVERDUE)) == [early]


def test_a_meeting_s_questions_include_those_answered_there(client, almaly, almaly_staff, water):
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from questions import services

    start = timezone.now() - timedelta(hours=2)
    meeting = Meeting.objects.create(
        unit=almaly,
        title_kk="Есеп беру кездесуі",
        title="Есеп беру кездесуі",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status=Meeting.Status.HELD,
        attendance=80,
    )
    question = factories.accepted(almaly, almaly_staff, text="Саябаққа орындықтар қою керек.")
    services.question_answer_on_the_spot(
        question=question, actor=almaly_staff, meeting=meeting, answer_text="Көктемде қойылады."
    )
    factories.accepted(almaly, almaly_staff, text="Басқа сұрақ, кездесуге қатысы жоқ.")
    assert list(selectors.questions_public(meeting=meeting)) == [question]
    html = client.get(f"/ru/questions/meeting/{meeting.pk}/").content.decode()
    assert "Вопросы к встрече" in html and question.get_absolute_url() in html and "Басқа сұрақ" not in html
