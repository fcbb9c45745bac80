"""With Redis down a resident's question is still taken, and its confirmation goes out later."""

import pytest
from django.urls import reverse
from django.utils import translation

from questions.models import Question
from tests.processes import broker_at, celery, database_url, free_port, needs_redis, redis_server, wait_for
from tests.questions.factories import category

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_question_sent_while_redis_is_down_is_kept_and_confirmed_when_it_returns(client, almaly, tmp_path):
    needs_redis()
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    with translation.override("kk"):
        ask = reverse("questions:ask")
    form = {
        "unit": almaly.pk,
        "category": category("water").pk,
        "text": "Аулада су құбыры жарылды, үш күннен бері су жоқ.",
        "language": "kk",
        "author_name": "Айгерім",
        "contact_email": "aigerim@example.kz",
        "website": "",
    }
    with broker_at(url):  # nothing listens on this port: the broker is down
        response = client.post(ask, form)
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.get_tracking_url()
    assert question.status == "submitted"

    env = {"DATABASE_URL": database_url(), "CELERY_BROKER_URL": url, "NOTIFICATIONS_DELIVER_SECONDS": "1"}
    log = tmp_path / "worker.log"
    with redis_server(port), celery("worker", log, **env), celery("beat", tmp_path / "beat.log", **env):
        wait_for(lambda: "To: aigerim@example.kz" in log.read_text(), timeout=90, what="the confirmation email")
