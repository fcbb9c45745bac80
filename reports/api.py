"""The reports API: public reads (reports, figures, plans, items, open data) and staff writes
that call the same services as the pages. Staff rows outside the user's territory are 404."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import FilterSerializer, IdRefFilter, InputSerializer, PublicTextField, SlugRefFilter, TextField
from core.pagination import cursor_pagination
from districts.models import AdministrativeUnit, Akim, Department
from meetings.models import Meeting
from reports import exports, selectors, services
from reports.forms import PeriodField
from reports.models import ActionItem, ActionPlan, Report
from reports.permissions import managed_q
from reports.rendering import markdown_to_html

# --- Output ----------------------------------------------------------------------------------


class ReportTerritorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kato = serializers.CharField(allow_null=True)


class RateSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    few = serializers.BooleanField(help_text="True when the base is too small for the share to mean much.")


class CategoryCountSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    attendance = serializers.IntegerField(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    received = serializers.IntegerField()
    online = serializers.IntegerField()
    at_meeting = serializers.IntegerField()
    at_reception = serializers.IntegerField()
    on_the_spot = serializers.IntegerField()
    needing_action = serializers.IntegerField()
    resolved = RateSerializer(source="resolved_rate")
    explained = RateSerializer(source="explained_rate")
    planned = RateSerializer(source="planned_rate")
    forwarded = RateSerializer(source="forwarded_rate")
    still_open = RateSerializer(source="open_rate")
    overdue = RateSerializer(source="overdue_rate")
    median_working_days = serializers.FloatField(allow_null=True)
    answered_count = serializers.SerializerMethodField()
    top_categories = CategoryCountSerializer(many=True)

    def get_answered_count(self, figures) -> int:
        return len(figures.answer_days)


class ReportListSerializer(serializers.Serializer):
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    title = PublicTextField()
    title_kk = PublicTextField()
    title_ru = PublicTextField()
    lead = PublicTextField()
    territory = ReportTerritorySerializer(source="unit")
    meeting_id = serializers.IntegerField(allow_null=True)
    meeting_kind = serializers.CharField(source="meeting.kind", allow_null=True, default=None)
    meeting_starts_at = serializers.DateTimeField(source="meeting.starts_at", allow_null=True, default=None)
    host_akim = serializers.CharField(source="meeting.host.full_name", allow_null=True, default=None)
    published_at = serializers.DateTimeField()
    cover = serializers.SerializerMethodField()
    cover_alt = PublicTextField()

    def get_url(self, report: Report) -> str:
        return settings.SITE_URL + report.get_absolute_url()

    def get_cover(self, report: Report) -> str | None:
        return settings.SITE_URL + report.cover.url if report.cover else None


class ReportDetailSerializer(ReportListSerializer):
    lead_kk = PublicTextField()
    lead_ru = PublicTextField()
    body = PublicTextField(help_text="Markdown as written, personal data masked.")
    body_html = serializers.SerializerMethodField(help_text="The body rendered and sanitised.")
    author_name = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField()
    figures = serializers.SerializerMethodField()

    def get_body_html(self, report: Report) -> str:
        return str(markdown_to_html(report.body))

    @extend_schema_field(FiguresSerializer(allow_null=True))
    def get_figures(self, report: Report):
        if not report.meeting_id:
            return None
        return FiguresSerializer(selectors.meeting_figures(meeting=report.meeting)).data


class StaffReportSerializer(ReportDetailSerializer):
    id = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True, help_text="None for a draft.")
    status = serializers.CharField()
    body_kk = PublicTextField()
    body_ru = PublicTextField()


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    plan_id = serializers.IntegerField()
    territory = ReportTerritorySerializer(source="plan.unit")
    title = TextField()
    title_kk = TextField()
    title_ru = TextField()
    department = serializers.CharField(source="department.name", allow_null=True, default=None)
    responsible = serializers.CharField()
    due_on = serializers.DateField()
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, help_text="Tenge.")
    funding = serializers.CharField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    completed_on = serializers.DateField(allow_null=True)
    at_risk = serializers.BooleanField(source="is_at_risk")
    questions_count = serializers.IntegerField(default=0)

    def get_url(self, item: ActionItem) -> str:
        return settings.SITE_URL + item.get_absolute_url()


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    territory = ReportTerritorySerializer(source="unit")
    title = TextField()
    title_kk = TextField()
    title_ru = TextField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    items_count = serializers.IntegerField()
    done_count = serializers.IntegerField()
    at_risk_count = serializers.IntegerField()
    budget_total = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)

    def get_url(self, plan: ActionPlan) -> str:
        return settings.SITE_URL + plan.get_absolute_url()


class OpenDataColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()


class OpenDataSerializer(serializers.Serializer):
    dataset = serializers.CharField()
    columns = OpenDataColumnSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="The next page's link (a `cursor`), null at the end.")
    previous = serializers.CharField(allow_null=True, help_text="The previous page's link, null at the start.")
    results = serializers.ListField(child=serializers.DictField(), help_text="One object per row, keyed by column.")


# --- Input -----------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^(20[0-9]{2}|2100)(-(H[12]|Q[1-4]))?$", "example": "2025-Q3"})
class PeriodSerializerField(serializers.CharField):
    def to_internal_value(self, data):
        from django import forms

        try:
            return PeriodField(required=False).clean(super().to_internal_value(data))
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class ReportFilterSerializer(FilterSerializer):
    territory = SlugRefFilter(
        slug_field="slug", queryset=AdministrativeUnit.objects.all(), required=False, help_text="Subtree of this slug."
    )
    akim = IdRefFilter(queryset=Akim.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)
    period = PeriodSerializerField(required=False, help_text="2025, 2025-H2 or 2025-Q3.")
    q = serializers.CharField(required=False, max_length=200, help_text="Full-text search in kk and ru.")


class ItemFilterSerializer(FilterSerializer):
    territory = SlugRefFilter(slug_field="slug", queryset=AdministrativeUnit.objects.all(), required=False)
    status = serializers.ChoiceField(choices=ActionItem.Status.choices, required=False)
    at_risk = serializers.BooleanField(required=False, default=False)


class ExportFilterSerializer(FilterSerializer):
    territory = SlugRefFilter(slug_field="slug", queryset=AdministrativeUnit.objects.all(), required=False)
    period = PeriodSerializerField(required=False, help_text="2025, 2025-H2 or 2025-Q3.")


class ReportWriteSerializer(InputSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    title_kk = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_ru = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lead_kk = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    lead_ru = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    body_kk = serializers.CharField(required=False, allow_blank=True)
    body_ru = serializers.CharField(required=False, allow_blank=True)
    author_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)


class ReportCreateSerializer(ReportWriteSerializer):
    unit = serializers.SlugRelatedField(slug_field="slug", queryset=AdministrativeUnit.objects.all())


class ReasonSerializer(InputSerializer):
    reason = serializers.CharField(max_length=500)


class ItemWriteSerializer(InputSerializer):
    title_kk = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_ru = serializers.CharField(max_length=300, required=False, allow_blank=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    responsible = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False)
    budget = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True)
    funding = serializers.ChoiceField(choices=ActionItem.Funding.choices, required=False)


class ItemCreateSerializer(ItemWriteSerializer):
    due_on = serializers.DateField()


class ProgressSerializer(InputSerializer):
    progress = serializers.IntegerField(min_value=0, max_value=99)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CompleteSerializer(InputSerializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LinkSerializer(InputSerializer):
    question_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


# --- Public views ------------------------------------------------------------------------------


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _filters(serializer_class, data) -> tuple[dict, bool]:
    """The filters, and whether one named a row that does not exist (the list is then empty)."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data), serializer.matches_nothing


class ReportListAPI(APIView):
    permission_classes = [AllowAny]
    pagination_class = cursor_pagination("-published_at", "-pk")

    @extend_schema(parameters=[ReportFilterSerializer], responses=ReportListSerializer(many=True), tags=["reports"])
    def get(self, request: Request) -> Response:
        """Published reports, newest first (with `q` too: the matches, newest first)."""
        data, nothing = _filters(ReportFilterSerializer, request.query_params)
        reports = selectors.reports_public(
            unit=data.get("territory"),
            akim=data.get("akim"),
            kind=data.get("kind", ""),
            period=data.get("period"),
            search=data.get("q", ""),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(reports.none() if nothing else reports, request, view=self)
        return paginator.get_paginated_response(ReportListSerializer(page, many=True).data)


class ReportDetailAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ReportDetailSerializer, tags=["reports"])
    def get(self, request: Request, slug: str) -> Response:
        """One published report with its meeting's figures as of today."""
        try:
            report = selectors.report_public_detail(slug=slug)
        except Report.DoesNotExist:
            raise Http404 from None
        return Response(ReportDetailSerializer(report).data)


class PlanListAPI(APIView):
    permission_classes = [AllowAny]
    pagination_class = cursor_pagination("-period_start", "-pk")

    @extend_schema(parameters=[ExportFilterSerializer], responses=PlanSerializer(many=True), tags=["action plans"])
    def get(self, request: Request) -> Response:
        """Action plans with their summary: items, done, at risk, budget (tenge)."""
        data, nothing = _filters(ExportFilterSerializer, request.query_params)
        period = data.get("period")
        plans = selectors.plans_public(unit=data.get("territory"), year=period.year if period else None)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(plans.none() if nothing else plans, request, view=self)
        return paginator.get_paginated_response(PlanSerializer(page, many=True).data)


class ItemListAPI(APIView):
    permission_classes = [AllowAny]
    pagination_class = cursor_pagination("due_on", "pk")

    @extend_schema(parameters=[ItemFilterSerializer], responses=ItemSerializer(many=True), tags=["action plans"])
    def get(self, request: Request) -> Response:
        """Action plan items, soonest deadline first."""
        data, nothing = _filters(ItemFilterSerializer, request.query_params)
        items = selectors.items_public(
            unit=data.get("territory"), status=data.get("status", ""), at_risk=data.get("at_risk", False)
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items.none() if nothing else items, request, view=self)
        return paginator.get_paginated_response(ItemSerializer(page, many=True).data)


class ItemDetailAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ItemSerializer, tags=["action plans"])
    def get(self, request: Request, pk: int) -> Response:
        item = get_object_or_404(selectors.items_public(), pk=pk)
        return Response(ItemSerializer(item).data)


class OpenDataAPI(APIView):
    permission_classes = [AllowAny]
    pagination_class = cursor_pagination()  # rows of a dataset, by position

    @extend_schema(
        parameters=[
            ExportFilterSerializer,
            OpenApiParameter("dataset", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(exports.DATASETS)),
            OpenApiParameter("cursor", OpenApiTypes.STR, required=False),  # the hook makes these the
            OpenApiParameter("page_size", OpenApiTypes.INT, required=False),  # shared components
        ],
        responses=OpenDataSerializer,
        tags=["open data"],
    )
    def get(self, request: Request, dataset: str) -> Response:
        """One open dataset (meetings, questions, outcomes, action-items) with its documented columns.

        The same rows as the CSV, JSON and XLSX downloads; personal data is never included.
        """
        spec = exports.DATASETS.get(dataset)
        if spec is None:
            raise Http404
        data, nothing = _filters(ExportFilterSerializer, request.query_params)
        names = [column.name for column in spec.columns]
        records = [] if nothing else exports.records(spec, unit=data.get("territory"), period=data.get("period"))
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(records, request, view=self)
        body = {
            "dataset": spec.name,
            "columns": [{"name": c.name, "description": c.full_description} for c in spec.columns],
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [dict(zip(names, map(exports._json_value, record), strict=True)) for record in page],
        }
        return Response(body)


# --- Staff writes ----------------------------------------------------------------------------


def _staff_report(request: Request, pk: int) -> Report:
    return get_object_or_404(selectors.reports_for_staff(user=request.user), pk=pk)


def _staff_item(request: Request, pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.filter(managed_q(request.user, prefix="plan__unit__")).select_related("plan__unit"), pk=pk
    )


class StaffReportCreateAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReportCreateSerializer, responses={201: StaffReportSerializer}, tags=["staff"])
    def post(self, request: Request) -> Response:
        """Write a draft report in a territory the user's akimat role covers."""
        data = _parse(ReportCreateSerializer, request.data)
        unit = data.pop("unit")
        if not AdministrativeUnit.objects.filter(managed_q(request.user, prefix=""), pk=unit.pk).exists():
            raise Http404
        report = services.report_create(actor=request.user, unit=unit, **data)
        return Response(StaffReportSerializer(report).data, status=status.HTTP_201_CREATED)


class StaffReportDetailAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=StaffReportSerializer, tags=["staff"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(StaffReportSerializer(_staff_report(request, pk)).data)

    @extend_schema(request=ReportWriteSerializer, responses=StaffReportSerializer, tags=["staff"])
    def patch(self, request: Request, pk: int) -> Response:
        """Change a report in any status; the change is recorded in its history."""
        report = _staff_report(request, pk)
        data = _parse(ReportWriteSerializer, request.data)
        report = services.report_update(report=report, actor=request.user, **data)
        return Response(StaffReportSerializer(report).data)


class StaffReportPublishAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=StaffReportSerializer, tags=["staff"])
    def post(self, request: Request, pk: int) -> Response:
        report = services.report_publish(report=_staff_report(request, pk), actor=request.user)
        return Response(StaffReportSerializer(report).data)


class StaffReportUnpublishAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReasonSerializer, responses=StaffReportSerializer, tags=["staff"])
    def post(self, request: Request, pk: int) -> Response:
        data = _parse(ReasonSerializer, request.data)
        report = services.report_unpublish(report=_staff_report(request, pk), actor=request.user, reason=data["reason"])
        return Response(StaffReportSerializer(report).data)


class StaffItemCreateAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ItemCreateSerializer, responses={201: ItemSerializer}, tags=["staff"])
    def post(self, request: Request, pk: int) -> Response:
        """Add an item to an action plan of the user's territory."""
        plan = get_object_or_404(ActionPlan.objects.filter(managed_q(request.user)).select_related("unit"), pk=pk)
        data = _parse(ItemCreateSerializer, request.data)
        item = services.action_item_create(actor=request.user, plan=plan, **data)
        return Response(ItemSerializer(item).data, status=status.HTTP_201_CREATED)


class StaffItemDetailAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ItemWriteSerializer, responses=ItemSerializer, tags=["staff"])
    def patch(self, request: Request, pk: int) -> Response:
        item = services.action_item_update(
            item=_staff_item(request, pk), actor=request.user, **_parse(ItemWriteSerializer, request.data)
        )
        return Response(ItemSerializer(item).data)


class StaffItemProgressAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ProgressSerializer, responses=ItemSerializer, tags=["staff"])
    def post(self, request: Request, pk: int) -> Response:
        data = _parse(ProgressSerializer, request.data)
        item = services.action_item_progress(item=_staff_item(request, pk), actor=request.user, **data)
        return Response(ItemSerializer(item).data)


class StaffItemCompleteAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CompleteSerializer, responses=ItemSerializer, tags=["staff"])
    def post(self, request: Request, pk: int) -> Response:
        """Mark the item done: its linked "planned" questions become resolved and their authors are told."""
        data = _parse(CompleteSerializer, request.data)
        item = services.action_item_complete(item=_staff_item(request, pk), actor=request.user, note=data["note"])
        return Response(ItemSerializer(item).data)


class StaffItemLinkAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=LinkSerializer, responses=ItemSerializer, tags=["staff"])
    def post(self, request: Request, pk: int) -> Response:
        """Link questions answered as "planned" to the item."""
        item = _staff_item(request, pk)
        data = _parse(LinkSerializer, request.data)
        services.action_item_link_questions(item=item, actor=request.user, question_ids=data["question_ids"])
        return Response(ItemSerializer(item).data)
