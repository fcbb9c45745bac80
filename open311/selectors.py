"""Reads of Open311: jurisdictions, services and service requests, from public data only.

A service request is a published question (Question.objects.public(): accepted and after), read
through questions.selectors, so its text is the masked public copy and its author stays private.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet

from districts.models import AdministrativeUnit
from open311.models import ApiKey, Submission
from open311.services import key_digest
from questions import selectors as question_selectors
from questions.models import Category, Question

S = Question.Status
# GeoReport's two states: a published question is open until it is answered or forwarded.
OPEN = (S.ACCEPTED, S.ASSIGNED)
CLOSED = (S.ANSWERED, S.FORWARDED)
STATUSES = {"open": OPEN, "closed": CLOSED}


def jurisdiction_find(*, value: str) -> AdministrativeUnit | None:
    """A territory by its slug or its 9-digit KATO code."""
    value = (value or "").strip()
    if not value or len(value) > 100:
        return None
    lookup = Q(kato=value) if value.isdigit() else Q(slug=value)
    return AdministrativeUnit.objects.filter(lookup).first()


def services_offered() -> QuerySet[Category]:
    return question_selectors.categories_active()


def service_find(*, code: str) -> Category | None:
    return services_offered().filter(slug=code).first() if code and len(code) <= 50 else None


def services_find(*, codes: list[str]) -> dict[str, Category]:
    """The active categories among `codes`, by code, in one query."""
    codes = [code for code in codes if len(code) <= 50]
    return {category.slug: category for category in services_offered().filter(slug__in=codes)} if codes else {}


def api_key_active(*, raw_key: str) -> ApiKey | None:
    if not raw_key or len(raw_key) > 200:
        return None
    return ApiKey.objects.filter(key_hash=key_digest(raw_key), is_active=True).first()


def _published() -> QuerySet[Question]:
    return question_selectors.questions_public().select_related("unit__parent")


def service_requests(
    *,
    ids: Iterable[int] = (),
    unit: AdministrativeUnit | None = None,
    categories: Iterable[Category] = (),
    statuses: Iterable[str] = (),
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int,
) -> list[Question]:
    """Published questions, newest first. `ids` (the spec's service_request_id) overrides every
    other filter but the jurisdiction. A fixed number of queries, whatever the count."""
    queryset = _published()
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    ids = list(ids)
    if ids:
        return list(queryset.filter(pk__in=ids)[:limit])
    categories = list(categories)
    if categories:
        queryset = queryset.filter(category__in=categories)
    wanted = [status for name in statuses for status in STATUSES[name]]
    if wanted:
        queryset = queryset.filter(status__in=wanted)
    if start is not None:
        queryset = queryset.filter(created_at__gte=start)
    if end is not None:
        queryset = queryset.filter(created_at__lte=end)
    return list(queryset[:limit])


def service_request_find(*, pk: int, unit: AdministrativeUnit | None = None) -> Question | None:
    found = service_requests(ids=[pk], unit=unit, limit=1)
    return found[0] if found else None


def submission_find(*, token: str) -> Submission | None:
    if not token or len(token) > 64:
        return None
    return Submission.objects.select_related("question").filter(token=token).first()
