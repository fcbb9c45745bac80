"""The cycles API: public reads with the figures, the same selectors as the page."""

from django.conf import settings
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import KeysetCursorPagination
from cycles import selectors
from cycles.models import Cycle
from reports.api import RateSerializer, ReportTerritorySerializer


class CyclePagination(KeysetCursorPagination):
    ordering = ("-starts_on", "-pk")


class CycleFiguresSerializer(serializers.Serializer):
    """The figures as the cycle page prints them; shares carry their base (`total`)."""

    meetings_planned = serializers.IntegerField(source="planned")
    meetings_held = serializers.IntegerField(source="held")
    meetings_cancelled = serializers.IntegerField(source="cancelled")
    attendance = serializers.IntegerField()
    received = serializers.IntegerField()
    people_who_asked = serializers.IntegerField(source="askers")
    answered_on_the_spot = RateSerializer(source="on_the_spot_rate")
    needing_action = serializers.IntegerField()
    satisfied = serializers.IntegerField(help_text="Answered with the outcome “resolved”.")
    explained = serializers.IntegerField()
    needing_time = serializers.IntegerField(help_text="Answered with the outcome “planned: needs more time”.")
    forwarded = serializers.IntegerField()
    still_open = serializers.IntegerField()
    answered_within_month = serializers.IntegerField(source="month")
    answered_within_half_year = serializers.IntegerField(source="half_year")
    answered_within_year = serializers.IntegerField(source="year")
    answered_after_year = serializers.IntegerField(source="longer")
    action_plans = serializers.IntegerField(source="plans")
    action_items = serializers.IntegerField(source="items")
    action_items_done = serializers.IntegerField(source="items_done")
    budget_kzt = serializers.DecimalField(source="budget", max_digits=18, decimal_places=2)


class TerritoryFiguresSerializer(CycleFiguresSerializer):
    territory_slug = serializers.CharField(source="slug")
    territory_name = serializers.CharField(source="name")


class CycleSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Cycle.Kind.choices)
    number = serializers.IntegerField()
    title = serializers.CharField()
    title_kk = serializers.CharField()
    title_ru = serializers.CharField()
    territory = ReportTerritorySerializer(source="unit")
    host_akim = serializers.CharField(source="host.full_name", allow_null=True, default=None)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    figures = CycleFiguresSerializer()

    def get_url(self, cycle: Cycle) -> str:
        return settings.SITE_URL + cycle.get_absolute_url()


class CycleDetailSerializer(CycleSerializer):
    as_of = serializers.DateTimeField()
    territories = TerritoryFiguresSerializer(many=True)
    previous_slug = serializers.CharField(allow_null=True)
    previous_figures = CycleFiguresSerializer(allow_null=True)


class CycleListAPI(APIView):
    """Cycles, newest first, each with its totals; a cursor walks the list."""

    permission_classes = [AllowAny]
    pagination_class = CyclePagination

    @extend_schema(responses=CycleSerializer(many=True), tags=["cycles"])
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.cycles_public(), request, view=self)
        figures = selectors.figures_for_cycles(cycles=page)  # one batch for the page
        for cycle in page:
            cycle.figures = figures[cycle.pk]
        return paginator.get_paginated_response(CycleSerializer(page, many=True).data)


class CycleDetailAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CycleDetailSerializer, tags=["cycles"])
    def get(self, request: Request, slug: str) -> Response:
        """One cycle: its totals and territories as of now, and the previous cycle's totals."""
        try:
            cycle = selectors.cycle_public_detail(slug=slug)
        except Cycle.DoesNotExist:
            raise Http404 from None
        result = selectors.cycle_figures(cycle=cycle)
        cycle.figures = result.total
        cycle.as_of = result.as_of
        cycle.territories = result.territories
        cycle.previous_slug = result.previous.slug if result.previous else None
        cycle.previous_figures = result.previous_total
        return Response(CycleDetailSerializer(cycle).data)
