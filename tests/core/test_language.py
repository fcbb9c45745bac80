"""Every word a person reads is in the page's language: every page, in Kazakh and in Russian, every
message in its recipient's language, and the open data's descriptions.

The demo data (`seed_demo`, completed by tests/demo_routes.py) is rendered route by route as the
person the route is for; tests/language.py extracts what a reader meets (leaving out what people
typed and people's names, marked `data-user-content`, and text that declares another language)
and fails on an English word or a word of the other language. Messages are produced by the
services themselves, in both languages, and rendered as the outbox would send them.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.test import Client, override_settings
from django.utils import formats, timezone, translation

from accounts.models import StaffRole, User
from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from meetings.periods import current_quarter
from notifications import kinds
from notifications.models import Message
from notifications.services import message_render
from questions.models import Category
from tests.demo_routes import LANGUAGES, STAFF_USERNAME, complete_demo, demo_routes
from tests.language import problems_in, visible_text, wrong_words

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
sweep = pytest.mark.skipif(
    not ON_POSTGRESQL,
    reason="a sweep over every page in both languages: CI runs it on PostgreSQL; the templates it reads "
    "are the same on SQLite, where it would only add minutes",
)


# --- The checker can fail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "language", "words"),
    [
        ("<p>Please enter your old password.</p>", "kk", ["Please", "enter", "your", "old", "password"]),
        ("<p>Передан в управление — Энергетика және сумен жабдықтау басқармасы</p>", "ru", ["және", "сумен"]),
        ("<p>Вопрос передан в управление энергетики</p>", "kk", ["Вопрос", "в", "управление"]),
        ('<button aria-label="Close the menu">×</button>', "kk", ["Close", "the"]),
        ('<input type="submit" value="Send">', "ru", ["Send"]),
        ("<title>Password change · Кездесу</title>", "ru", ["Password"]),
        ("<p>Алматы: 8 ауданның 3-еуі есеп берді</p>", "ru", ["ауданның", "3-еуі", "есеп"]),
        ("<p>Шымкентский район</p>", "kk", ["Шымкентский"]),
    ],
)
def test_the_checker_finds_english_and_the_other_language(html, language, words):
    found = [word for line in problems_in(visible_text(html, language), language) for word in words if word in line]
    assert found == words


@pytest.mark.parametrize(
    ("html", "language"),
    [
        ('<blockquote data-user-content lang="ru">Течёт крыша, КСК ничего не делает.</blockquote>', "kk"),
        ("<p>Автор: <span data-user-content>Әлия Демо</span></p>", "ru"),
        ('<span lang="ru">Отчёт акима</span> <small>(орысша көрсетілген)</small>', "kk"),
        ('<a lang="kk" hreflang="kk">Қазақша</a>', "ru"),
        ("<td><code>territory_kato</code></td><td>Код КАТО территории</td>", "ru"),
        ("<textarea>Әкім жыл қорытындысы туралы баяндады.</textarea>", "ru"),
        ("<p>almaty.staff · resident50@example.kz · /kk/accounts/</p>", "ru"),
        ("<p>Almaty Arena · Кездесу · ISO 8601, UTC+5 · SMS · n = 4</p>", "ru"),
        ("<p>Тұрғындар не сұрады · API-да да бар · 5 минут</p>", "kk"),
    ],
)
def test_the_checker_passes_what_is_not_ours_to_translate(html, language):
    assert problems_in(visible_text(html, language), language) == []


# --- Every page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, completed, and messages of every kind in both languages; rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(ADMIN_TWO_FACTOR_REQUIRED=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            extras = complete_demo()
            _messages_in_both_languages()
            yield extras
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def pages(demo, django_db_blocker):
    """Every page a person reads, in both languages, as the person it is for."""
    clients: dict[str | None, Client] = {}
    results = []
    with django_db_blocker.unblock(), override_settings(ADMIN_TWO_FACTOR_REQUIRED=False):
        for route in demo_routes(demo):
            if not route.is_html_page or route.writes_on_get:
                continue
            if route.username not in clients:
                clients[route.username] = Client()
                if route.username:
                    clients[route.username].force_login(User.objects.get(username=route.username))
            for language in LANGUAGES:
                for path in route.paths(language):
                    savepoint = transaction.savepoint()  # what a GET writes does not reach the next one
                    response = clients[route.username].get(path)
                    transaction.savepoint_rollback(savepoint)
                    results.append((route.name, path, *_read(response, language)))
        # The error pages a person meets: a page that does not exist, a page closed to them.
        for name, username, path in ERROR_PAGES:
            for language in LANGUAGES:
                response = clients[username].get(path.format(language=language))
                results.append((name, path.format(language=language), *_read(response, language)))
    return results


ERROR_PAGES = [
    ("404", None, "/{language}/meetings/999999999/"),
    ("403", "resident", "/{language}/accounts/audit/"),
]


def _read(response, language: str) -> tuple[int, list[str]]:
    html = response.content.decode() if "html" in response.get("Content-Type", "") else ""
    return response.status_code, problems_in(visible_text(html, language), language) if html else []


@sweep
def test_every_page_speaks_its_language(pages, db):
    problems = [f"{path} ({name}): {problem}" for name, path, _status, found in pages for problem in found]
    assert problems == [], "\n".join(problems[:60])


@sweep
def test_the_sweep_reads_every_page_in_both_languages(pages, db):
    assert [f"{path}: {status}" for _name, path, status, _found in pages if status >= 500] == []
    read = {(name, path[:4]) for name, path, status, _found in pages if status in (200, 403, 404)}
    # Routes that only take a POST answer a GET with 405: there is no page to read.
    pages_of = {name for name, _path, status, _found in pages if status != 405}
    missing = sorted(
        f"{name} {prefix}" for name in pages_of for prefix in ("/kk/", "/ru/") if (name, prefix) not in read
    )
    assert missing == []
    assert len(pages_of) > 50


# --- Every message --------------------------------------------------------------------------------

TEXTS = {
    "kk": {
        "question": "Аулада жарық жоқ, кешке қараңғы. Шам қашан қойылады?",
        "reason": "Мердігер келесі айда таңдалады, жұмыс сонан соң басталады.",
        "answer": "Шам келесі айда қойылады, мердігер таңдалды.",
        "body": "Облыс әкімдігі",
    },
    "ru": {
        "question": "Во дворе нет освещения, вечером темно. Когда поставят фонарь?",
        "reason": "Подрядчика выберут в следующем месяце, тогда работы и начнутся.",
        "answer": "Фонарь поставят в следующем месяце, подрядчик выбран.",
        "body": "Областной акимат",
    },
}
# Context values a person typed or that name a person: in a message they are shown as written.
TYPED = ("name", "excerpt", "username", "reason")


def _messages_in_both_languages() -> None:
    """Every kind of message, produced by the services, for a Kazakh and a Russian recipient."""
    from accounts.services import password_reset_send, staff_role_grant
    from meetings import services as meetings
    from questions import services as questions

    staff = User.objects.get(username=STAFF_USERNAME)
    almaty = AdministrativeUnit.objects.get(slug="almaty")
    district = AdministrativeUnit.objects.get(slug="almaty-almaly")
    department = Department.objects.filter(unit=almaty).order_by("pk").first()
    category = Category.objects.filter(is_active=True).order_by("position", "pk").first()
    meeting = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now() + timedelta(days=2))
        .within(almaty)
        .exclude(kind=Meeting.Kind.RECEPTION)
        .order_by("starts_at")
        .first()
    )
    for language, texts in TEXTS.items():
        answered, forwarded = (
            questions.question_submit(
                unit=district,
                category=category,
                text=texts["question"],
                language=language,
                author_name="Айдос",
                contact_email=f"{use}-{language}@example.kz",
            )
            for use in ("answered", "forwarded")
        )
        for question in (answered, forwarded):
            questions.question_confirm_by_code(question=question, code=questions.confirmation_code(question))
            questions.question_accept(question=question, actor=staff)
        questions.question_assign(question=answered, actor=staff, department=department)
        questions.question_extend(
            question=answered, actor=staff, due_on=answered.due_on + timedelta(days=10), reason=texts["reason"]
        )
        questions.question_answer(question=answered, actor=staff, answer_text=texts["answer"], outcome="planned")
        questions.question_forward(question=forwarded, actor=staff, forwarded_to=texts["body"])
        meetings.registration_create(
            meeting=meeting, name="Айдос", email=f"seat-{language}@example.kz", language=language
        )
        for use in ("reset", "staff"):
            user = User.objects.create_user(
                f"{use}-{language}", f"{use}-{language}@example.kz", preferred_language=language
            )
            if use == "reset":
                password_reset_send(user=user)
            else:
                staff_role_grant(user=user, unit=district, role=StaffRole.Role.AKIMAT_STAFF)
    meetings.meeting_reminders_enqueue(now=meeting.starts_at - timedelta(hours=24, minutes=5))
    meetings.meeting_reschedule(
        meeting=meeting,
        actor=staff,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
    )
    quarter = current_quarter()
    meetings.mandate_nudges_enqueue(today=quarter.next_first_day - timedelta(days=5))
    questions.questions_staff_digest_enqueue(today=timezone.localdate() + timedelta(days=40))
    questions.questions_officer_reminders_enqueue(today=timezone.localdate())


def _rendered_text(message: Message) -> str:
    rendered = message_render(message)
    text = " ".join(str(part) for part in rendered.values())
    for key in TYPED:
        if message.context.get(key):
            text = text.replace(str(message.context[key]), " ")
    return text


@sweep
def test_every_message_speaks_its_recipients_language(demo, db):
    messages = list(Message.objects.order_by("pk"))
    problems = [
        f"{message.kind} [{message.language}]: {', '.join(words)}"
        for message in messages
        if (words := wrong_words(_rendered_text(message), message.language))
    ]
    assert problems == [], "\n".join(problems[:40])
    produced = {(message.kind, message.language) for message in messages}
    wanted = {
        (kind, language)
        for kind in (
            "questions.confirmation",
            "questions.status",
            "questions.answered",
            "meetings.registration_confirmed",
            "meetings.reminder",
            "meetings.rescheduled",
            "accounts.password_reset",
            "questions.staff_digest",
        )
        for language in LANGUAGES
    }
    assert wanted - produced == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_template_speaks_both_languages(db, language):
    """Each kind's own template words, whatever the services put in (a sample context)."""
    with translation.override(language):
        context = {
            "name": "Айдос",
            "title": "Алматы",
            "territory": "Алматы",
            "period": current_quarter().label,
            "when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "where": "Алматы",
            "due": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            "day": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            "number": 12,
            "days_left": 5,
            "minutes": 15,
            "new": 3,
            "due_soon": 2,
            "overdue": [{"number": 7, "territory": "Алматы", "department": "—", "due": "01.12.2026", "url": "/"}],
            "status": "registered",
            "label": "24h",
            "subject": "",
            "body": "",
        }
    problems = []
    for kind in kinds.all_kinds():
        message = Message(kind=kind.name, language=language, context=context, channel="email", email="a@example.kz")
        problems += [f"{kind.name} email: {word}" for word in wrong_words(_rendered_text(message), language)]
        message.channel, message.phone = "sms", "+77010000000"
        try:
            text = _rendered_text(message)
        except TemplateDoesNotExist:  # a kind sent by email only
            continue
        problems += [f"{kind.name} sms: {word}" for word in wrong_words(text, language)]
    assert problems == []


# --- Open data ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_open_data_describes_its_columns_in_the_requests_language(client, db, language):
    body = client.get(f"/{language}/reports/open-data/questions.json").json()
    descriptions = " ".join(column["description"] for column in body["columns"])
    words = " ".join(word for word in descriptions.split() if word.strip(",.") not in _CODES)
    assert wrong_words(words, language) == [], descriptions


# The codes a column of codes lists (the same in every language).
_CODES = {
    "kk", "ru", "online", "meeting", "reception", "paper", "accepted", "assigned", "answered", "forwarded",
    "resolved", "explained", "planned", "true", "false",
}  # fmt: skip
