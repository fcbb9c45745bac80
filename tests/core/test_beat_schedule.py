import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


# Transactional: the scheduler calls close_old_connections(), which closes a connection that
# sits inside a test's transaction (autocommit off) and would break every later test.
@pytest.mark.django_db(transaction=True)
def test_production_beat_loads_the_schedule_into_the_database_where_admins_can_edit_it():
    DatabaseScheduler(app=app)
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(settings.CELERY_BEAT_SCHEDULE) <= names
    digest = PeriodicTask.objects.get(name="questions.staff_digest")
    assert (digest.crontab.hour, digest.crontab.minute) == ("8", "45")
