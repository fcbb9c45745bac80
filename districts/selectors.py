"""Reads of the territory tree shared by pages, the API and later apps."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from districts.models import AdministrativeUnit, Akim, Department


def akims_current(*, day: date | None = None) -> QuerySet[Akim]:
    day = day or timezone.localdate()
    return (
        Akim.objects.filter(term_start__lte=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .order_by("unit_id", "-term_start")
    )


def _with_current_akim(queryset: QuerySet[AdministrativeUnit]) -> QuerySet[AdministrativeUnit]:
    return queryset.prefetch_related(Prefetch("akims", queryset=akims_current(), to_attr="current_akims"))


def units_within(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The unit and its whole subtree: one query whatever the depth or size."""
    return AdministrativeUnit.objects.within(unit)


def units_top_level() -> QuerySet[AdministrativeUnit]:
    return _with_current_akim(
        AdministrativeUnit.objects.top_level().annotate(children_count=Count("children")).order_by("kind", "name")
    )


def unit_children(*, unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    return _with_current_akim(unit.children.annotate(children_count=Count("children")).order_by("kind", "name"))


def unit_ancestors(*, unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """From the root down to the parent, in one query."""
    ids = unit.ancestor_ids
    by_id = AdministrativeUnit.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def unit_detail(*, slug: str) -> AdministrativeUnit:
    return _with_current_akim(
        AdministrativeUnit.objects.prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("name"))
        )
    ).get(slug=slug)


def akim_current_for(*, unit: AdministrativeUnit, day: date | None = None) -> Akim | None:
    return akims_current(day=day).filter(unit=unit).first()
