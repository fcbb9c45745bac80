"""Reads of questions shared by pages, the API and tasks. Lists run a fixed number of queries."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import unit_ids_under
from core.search import pg_document, pg_query
from core.working_days import working_days_after
from districts.models import AdministrativeUnit
from meetings.models import Meeting
from questions.models import Category, Question, QuestionEvent
from questions.permissions import officer_departments, staff_questions_q

S = Question.Status


def questions_version() -> str:
    """Changes with every step of every question (each service records an event). One query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM questions_questionevent")
        return str(cursor.fetchone()[0] or 0)


def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("position", "slug")


def _listed(queryset: QuerySet[Question]) -> QuerySet[Question]:
    return queryset.select_related("unit", "category", "meeting", "answered_at_meeting", "department")


def questions_public(
    *,
    unit: AdministrativeUnit | None = None,
    category: Category | None = None,
    status: str | None = None,
    meeting: Meeting | None = None,
    search: str = "",
) -> QuerySet[Question]:
    """Accepted questions and everything after them (never rejected, withdrawn or unconfirmed).

    `search` reads the public copies only: matching the originals would let a search for the
    first digits of a hidden IIN tell which question holds it.
    """
    queryset = Question.objects.public()
    search = (search or "").strip()
    if unit is not None:
        # The subtree as a list of ids, not a join on the path: knowing the ids, PostgreSQL
        # sees how common the territory's questions are and walks the date index newest first
        # for a city (a few hundred rows) or the territory's own index for a village. Through
        # the join it read and sorted all 105,000 of a city's questions (100 ms) for 20.
        subtree = AdministrativeUnit.objects.within(unit).order_by().values_list("pk", flat=True)
        queryset = queryset.filter(unit_id__in=list(subtree))
    if category is not None:
        queryset = queryset.filter(category=category)
    if status:
        queryset = queryset.filter(status=status)
    if meeting is not None:
        queryset = queryset.filter(Q(meeting=meeting) | Q(answered_at_meeting=meeting))
    if search and connection.vendor == "postgresql":
        # The stored document of the public copies and its GIN index; pages of a search are
        # read with keyset_page(sparse=True), which never walks the date index blind.
        queryset = queryset.annotate(document=pg_document(Question)).filter(document=pg_query(search))
    elif search:
        queryset = queryset.filter(Q(text_public__icontains=search) | Q(answer_public__icontains=search))
    return _listed(queryset).order_by("-created_at", "-pk")


def question_public_detail(*, pk: int) -> Question:
    return _listed(Question.objects.public()).get(pk=pk)


def question_timeline(*, question: Question, public: bool) -> QuerySet[QuestionEvent]:
    events = question.events.select_related("actor").order_by("at", "pk")
    if public:
        events = events.filter(kind__in=QuestionEvent.PUBLIC_KINDS)
    return events


def question_by_token(*, token: str) -> Question:
    return _listed(Question.objects.all()).get(token=token)


def questions_of_account(*, user: User) -> QuerySet[Question]:
    """The account's questions: sent while signed in, and, for a resident account, every
    question sent with the email or phone it signs in with (its owner proved it with a code)."""
    mine = Q(author=user)
    if user.sign_in_contact:
        mine |= Q(contact_email=user.sign_in_contact) | Q(contact_phone=user.sign_in_contact)
    return _listed(Question.objects.filter(mine)).order_by("-created_at", "-pk")


# --- The staff workspace --------------------------------------------------------------------

QUEUE_TRIAGE, QUEUE_DEPARTMENT, QUEUE_DUE_SOON, QUEUE_OVERDUE, QUEUE_ALL = (
    "triage",
    "department",
    "due_soon",
    "overdue",
    "all",
)
QUEUES = (QUEUE_TRIAGE, QUEUE_DEPARTMENT, QUEUE_DUE_SOON, QUEUE_OVERDUE, QUEUE_ALL)
IN_WORK = (S.ACCEPTED, S.ASSIGNED)


def due_soon_limit(today: date | None = None) -> date:
    return working_days_after(today or timezone.localdate(), settings.QUESTIONS_DUE_SOON_WORKING_DAYS)


# Every status a queue can show: "all" is written as the statuses it holds, not as "not
# submitted, not expired", so that the (unit, status, created_at, id) index can answer it.
STAFF_STATUSES = tuple(value for value in S.values if value not in (S.SUBMITTED, S.EXPIRED))
# A queue's count stops here: "1 000+" is what a tab needs, and it costs a thousand index
# entries, not the city's hundred thousand questions.
QUEUE_COUNT_LIMIT = 1000


def _queue_q(queue: str, *, user: User, today: date) -> Q:
    """A queue's condition. The open queues (triage, department, deadlines) are read from the
    partial indexes over open questions (questions/migrations: question_open_*)."""
    if queue == QUEUE_TRIAGE:
        return Q(status=S.NEW)
    if queue == QUEUE_DEPARTMENT:
        departments = [department_id for department_id, _path in officer_departments(user)]
        return Q(status__in=IN_WORK, department_id__in=departments) | Q(status__in=IN_WORK, officer=user)
    if queue == QUEUE_DUE_SOON:
        return Q(status__in=(S.NEW, *IN_WORK), due_on__gte=today, due_on__lte=due_soon_limit(today))
    if queue == QUEUE_OVERDUE:
        return Q(status__in=(S.NEW, *IN_WORK), due_on__lt=today)
    return Q(status__in=STAFF_STATUSES)


def _within_for_staff(queryset: QuerySet[Question], *, user: User, unit: AdministrativeUnit) -> QuerySet[Question]:
    """Narrowed to `unit`'s subtree, from the ids the user's roles already resolved (no join)."""
    if user.is_superuser:
        return queryset.within(unit)
    return queryset.filter(unit_id__in=unit_ids_under(user, [unit.path]))


def questions_for_staff(
    *,
    user: User,
    queue: str = QUEUE_ALL,
    unit: AdministrativeUnit | None = None,
    category: Category | None = None,
    status: str | None = None,
    search: str = "",
) -> QuerySet[Question]:
    today = timezone.localdate()
    queryset = Question.objects.filter(staff_questions_q(user)).filter(_queue_q(queue, user=user, today=today))
    if unit is not None:
        queryset = _within_for_staff(queryset, user=user, unit=unit)
    if category is not None:
        queryset = queryset.filter(category=category)
    if status:
        queryset = queryset.filter(status=status)
    search = (search or "").strip()
    if search:
        condition = Q(text__icontains=search)
        if search.lstrip("#").isdigit() and len(search.lstrip("#")) <= 18:
            condition |= Q(pk=int(search.lstrip("#")))
        queryset = queryset.filter(condition)
    return _listed(queryset).select_related("officer").order_by(*staff_queue_ordering(queue))


def staff_queue_ordering(queue: str) -> tuple[str, str]:
    """Soonest due first in the queues about deadlines, newest first elsewhere; the primary key
    last, so that cursor pages (core.pagination) have a total order."""
    return ("due_on", "pk") if queue in (QUEUE_DUE_SOON, QUEUE_OVERDUE) else ("-created_at", "-pk")


def staff_queue_counts(*, user: User) -> dict[str, int]:
    """How many questions wait in each queue, counted up to QUEUE_COUNT_LIMIT + 1 (a count
    above the limit reads "1 000+"): one query, each count a bounded read of an index."""
    today = timezone.localdate()
    visible = Question.objects.filter(staff_questions_q(user)).order_by()
    parts, params = [], []
    for queue in QUEUES:
        rows = visible.filter(_queue_q(queue, user=user, today=today)).values("pk")[: QUEUE_COUNT_LIMIT + 1]
        try:
            sql, values = rows.query.sql_with_params()
        except EmptyResultSet:
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS queue_{queue})")  # noqa: S608 - compiled by the ORM
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return dict(zip(QUEUES, cursor.fetchone(), strict=True))


def question_for_staff(*, user: User, pk: int) -> Question:
    """One question the user may act on; DoesNotExist (a 404) outside their territory."""
    return (
        _listed(Question.objects.filter(staff_questions_q(user)))
        .select_related("officer", "answered_by", "duplicate_of", "author")
        .prefetch_related(Prefetch("events", queryset=QuestionEvent.objects.select_related("actor")))
        .get(pk=pk)
    )


# --- Similar questions ----------------------------------------------------------------------

_WORD = re.compile(r"\w{4,}", re.UNICODE)
SIMILARITY_THRESHOLD = 0.12  # the fallback's share of shared stems
SIMILAR_PROBE_CHARS = 200
SIMILAR_CANDIDATES = 500


@dataclass
class Similar:
    question: Question
    score: float


def _words(text: str) -> set[str]:
    # Kazakh and Russian inflect heavily: the first 5 letters stand in for the stem.
    return {word[:5] for word in _WORD.findall(text.lower())}


def questions_similar(
    *, unit: AdministrativeUnit, text: str, exclude: Question | None = None, limit: int = 5
) -> list[Similar]:
    """Published questions of the same territory that read like `text`, best first.

    PostgreSQL: the trigram operator (`%`, pg_trgm's similarity_threshold) reads candidates
    from the GIN trigram index of the public copy (question_text_public_trgm), ordered by
    trigram distance (`<->`) with a limit; the probe is the text's first SIMILAR_PROBE_CHARS
    characters, so that a long text does not turn into hundreds of trigram lookups. Elsewhere
    the share of shared word stems stands in. Both read the territory's SIMILAR_CANDIDATES
    latest questions (from the unit's index), and compare with the public copies: what a
    page hides must not make a question rank.
    """
    text = (text or "").strip()
    if len(text) < 10:
        return []
    queryset = Question.objects.public().filter(unit=unit).select_related("unit", "category")
    if exclude is not None and exclude.pk:
        queryset = queryset.exclude(pk=exclude.pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramDistance

        probe = text[:SIMILAR_PROBE_CHARS]
        # The territory's latest questions are the candidates: a district's thousands would
        # each be compared twice (`%`, then `<->`), a tenth of a second at national scale.
        latest = queryset.order_by("-created_at", "-pk").values("pk")[:SIMILAR_CANDIDATES]
        rows = (
            queryset.filter(pk__in=latest, text_public__trigram_similar=probe)
            .annotate(distance=TrigramDistance("text_public", probe))
            .order_by("distance", "-pk")[:limit]
        )
        return [Similar(question=row, score=1.0 - float(row.distance)) for row in rows]
    wanted = _words(text)
    if not wanted:
        return []
    scored = []
    for row in queryset.order_by("-created_at", "-pk")[:SIMILAR_CANDIDATES]:
        words = _words(row.text_public)
        if not words:
            continue
        score = len(wanted & words) / len(wanted | words)
        if score >= SIMILARITY_THRESHOLD:
            scored.append(Similar(question=row, score=score))
    scored.sort(key=lambda item: (-item.score, -item.question.pk))
    return scored[:limit]
