from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core.management import call_command

from questions.models import Question
from questions.tasks import expire_unconfirmed_questions_task
from tests.questions import factories


def test_the_task_expires_old_unconfirmed_questions_and_is_safe_to_run_twice(almaly, water):
    start = datetime(2026, 5, 4, 9, tzinfo=ZoneInfo("Asia/Almaty"))
    with time_machine.travel(start, tick=False):
        question = factories.submit(almaly)
    with time_machine.travel(start + timedelta(days=7, minutes=1), tick=False):
        assert expire_unconfirmed_questions_task() == 1
        assert expire_unconfirmed_questions_task() == 0
    assert Question.objects.get(pk=question.pk).status == Question.Status.EXPIRED


def test_beat_runs_the_task_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["questions.expire_unconfirmed"]
    assert entry["task"] == expire_unconfirmed_questions_task.name


def test_categories_exist_after_migrations(db):
    from questions.models import Category

    assert Category.objects.count() == 15
    assert Category.objects.get(slug="water").name_ru == "Водоснабжение"


def test_the_demo_is_idempotent_and_covers_every_category_and_outcome(db):
    call_command("seed_demo", verbosity=0)
    count = Question.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Question.objects.count() == count >= 300
    assert set(Question.objects.values_list("language", flat=True)) == {"kk", "ru"}
    assert Question.objects.values("category").distinct().count() == 15
    assert set(Question.objects.exclude(outcome="").values_list("outcome", flat=True)) == {
        "resolved",
        "explained",
        "planned",
    }
    for question in Question.objects.filter(status__in=Question.PUBLIC_STATUSES)[:50]:
        assert question.support_count == question.supports.filter(confirmed_at__isnull=False).count()
        assert question.events.exists()
