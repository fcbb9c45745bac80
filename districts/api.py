"""Public, read-only API of territories and akims."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from core.api import BooleanFilter, IdFilter, StrictFilterSet
from core.pagination import cursor_pagination
from districts.models import AdministrativeUnit, Akim
from districts.selectors import akims_current
from districts.validators import validate_kato


class TerritorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(help_text=_("The name in the request's language (the other one if missing)."))
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=_("None at the top."))
    url = serializers.SerializerMethodField()

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "kind", "name", "name_kk", "name_ru", "kato", "slug", "parent", "depth", "url"]

    def get_url(self, unit: AdministrativeUnit) -> str:
        return unit.get_absolute_url()


class AkimSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField()
    unit = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Akim
        fields = [
            "id",
            "unit",
            "full_name",
            "full_name_kk",
            "full_name_ru",
            "mandate",
            "term_start",
            "term_end",
            "is_demo",
        ]


@extend_schema_field({"type": "string", "pattern": "^[0-9]{9}$"})
class KatoFilter(django_filters.CharFilter):
    """A 9-digit KATO code."""


class TerritoryFilter(StrictFilterSet):
    parent = IdFilter(field_name="parent_id", help_text=_("Children of this territory id."))
    kind = django_filters.ChoiceFilter(choices=AdministrativeUnit.Kind.choices)
    kato = KatoFilter(validators=[validate_kato], help_text=_("An exact 9-digit KATO code."))
    within = IdFilter(
        method="filter_within",
        help_text=_("This territory id and everything under it."),
    )

    class Meta:
        model = AdministrativeUnit
        fields = ["parent", "kind", "kato", "within"]

    def filter_within(self, queryset, name, value):
        unit = AdministrativeUnit.objects.filter(pk=value).first()
        return queryset.within(unit) if unit else queryset.none()  # no such territory: nothing under it


class AkimFilter(StrictFilterSet):
    unit = IdFilter(field_name="unit_id")
    current = BooleanFilter(method="filter_current", help_text=_("Only akims in office today."))

    class Meta:
        model = Akim
        fields = ["unit", "current"]

    def filter_current(self, queryset, name, value):
        current = akims_current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


@extend_schema_view(list=extend_schema(summary="List territories"), retrieve=extend_schema(summary="One territory"))
class TerritoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = AdministrativeUnit.objects.order_by("path")
    serializer_class = TerritorySerializer
    filterset_class = TerritoryFilter
    permission_classes = [AllowAny]
    pagination_class = cursor_pagination("path", "pk")  # the tree, depth first


@extend_schema_view(list=extend_schema(summary="List akims"), retrieve=extend_schema(summary="One akim"))
class AkimViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Akim.objects.order_by("unit__path", "-term_start")
    serializer_class = AkimSerializer
    filterset_class = AkimFilter
    permission_classes = [AllowAny]
    pagination_class = cursor_pagination("id", "pk")
