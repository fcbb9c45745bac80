"""Every write to territories, akims and departments."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from districts.models import AdministrativeUnit, Akim, Department

Kind = AdministrativeUnit.Kind

# Which kind of territory may sit under which: a district under a region, a rural okrug under
# a district or a city, and so on.
ALLOWED_PARENT_KINDS: dict[str, set[str]] = {
    Kind.REGION: set(),
    Kind.REPUBLICAN_CITY: set(),
    Kind.DISTRICT: {Kind.REGION, Kind.REPUBLICAN_CITY},
    Kind.CITY: {Kind.REGION, Kind.DISTRICT},
    Kind.RURAL_OKRUG: {Kind.DISTRICT, Kind.CITY},
    Kind.SETTLEMENT: {Kind.RURAL_OKRUG, Kind.DISTRICT, Kind.CITY},
    Kind.MICRODISTRICT: {Kind.REPUBLICAN_CITY, Kind.CITY, Kind.DISTRICT},
}


def unit_validate_parent(
    *, kind: str, parent: AdministrativeUnit | None, unit: AdministrativeUnit | None = None
) -> None:
    """Raise ValidationError when `parent` cannot hold a territory of `kind` (or `unit` itself)."""
    if unit is not None and unit.pk and parent is not None and parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("A territory cannot be moved under itself or its own subdivision.")})
    allowed = ALLOWED_PARENT_KINDS[kind]
    if parent is None and allowed:
        raise ValidationError({"parent": _("A territory of this kind needs a parent territory.")})
    if parent is not None and parent.kind not in allowed:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot be placed under a %(parent_kind)s.")
                % {"kind": Kind(kind).label, "parent_kind": Kind(parent.kind).label}
            }
        )


def _check_kato_free(*, kato: str | None, unit_pk: int | None) -> None:
    # The database constraint is the guarantee; this gives the message a field to sit on.
    if kato and AdministrativeUnit.objects.filter(kato=kato).exclude(pk=unit_pk).exists():
        raise ValidationError({"kato": _("Another territory already has this KATO code.")})


@transaction.atomic
def unit_create(
    *,
    kind: str,
    name_kk: str,
    name_ru: str,
    slug: str,
    parent: AdministrativeUnit | None = None,
    kato: str | None = None,
) -> AdministrativeUnit:
    unit = AdministrativeUnit(kind=kind, name_kk=name_kk, name_ru=name_ru, slug=slug, parent=parent, kato=kato or None)
    unit.path = "/"  # placeholder until the id is known; validated fields come first
    _check_kato_free(kato=unit.kato, unit_pk=None)
    unit.full_clean()
    unit_validate_parent(kind=kind, parent=parent)
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def unit_update(*, unit: AdministrativeUnit, **fields) -> AdministrativeUnit:
    """Change a territory; moving it under a new parent moves its whole subtree with it."""
    old_path, old_depth = unit.path, unit.depth
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.kato = unit.kato or None
    _check_kato_free(kato=unit.kato, unit_pk=unit.pk)
    unit.full_clean()
    parent = unit.parent
    if parent is not None and parent.path.startswith(old_path):
        raise ValidationError({"parent": _("A territory cannot be moved under itself or its own subdivision.")})
    unit_validate_parent(kind=unit.kind, parent=parent)
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    new_depth = parent.depth + 1 if parent else 0
    unit.path, unit.depth = new_path, new_depth
    unit.save()
    if new_path != old_path:
        AdministrativeUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
            depth=F("depth") + (new_depth - old_depth),
        )
    return unit


@transaction.atomic
def akim_create(
    *,
    unit: AdministrativeUnit,
    full_name_kk: str,
    full_name_ru: str = "",
    mandate: str,
    term_start: date,
    term_end: date | None = None,
    is_demo: bool = False,
) -> Akim:
    akim = Akim(
        unit=unit,
        full_name_kk=full_name_kk,
        full_name_ru=full_name_ru,
        mandate=mandate,
        term_start=term_start,
        term_end=term_end,
        is_demo=is_demo,
    )
    akim.full_clean()
    overlapping = Akim.objects.filter(unit=unit, term_start__lte=term_end or date.max).exclude(term_end__lt=term_start)
    if overlapping.exists():
        raise ValidationError(
            {"term_start": _("This term overlaps the term of %(name)s.") % {"name": overlapping.first()}}
        )
    akim.save()
    return akim


@transaction.atomic
def department_create(
    *,
    unit: AdministrativeUnit,
    name_kk: str,
    name_ru: str = "",
    head_name_kk: str = "",
    head_name_ru: str = "",
    email: str = "",
    is_demo: bool = False,
) -> Department:
    department = Department(
        unit=unit,
        name_kk=name_kk,
        name_ru=name_ru,
        head_name_kk=head_name_kk,
        head_name_ru=head_name_ru,
        email=email,
        is_demo=is_demo,
    )
    department.full_clean()
    department.save()
    return department
