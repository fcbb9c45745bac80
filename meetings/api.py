"""The meetings API: explicit input and output serializers; writes call the same services as pages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import PersonalDataAccess
from core.api import ErrorSerializer, FilterSerializer, InputSerializer, KzPhoneField, SlugRefFilter, one_of_required
from core.pagination import cursor_pagination
from core.ratelimit import ScopedRateThrottle
from districts.models import AdministrativeUnit, Akim
from meetings import selectors, services
from meetings.models import Meeting, Venue
from meetings.periods import current_quarter, period_parse
from meetings.tokens import registration_manage_url

# --- Output --------------------------------------------------------------------------------


class TerritoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class VenueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    capacity = serializers.IntegerField()
    accessibility = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)


class MeetingListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    territory = TerritoryRefSerializer(source="unit")
    host = serializers.CharField(source="host.full_name", allow_null=True, default=None)
    venue = VenueSerializer(allow_null=True)
    capacity = serializers.IntegerField(allow_null=True)
    seats_left = serializers.IntegerField(allow_null=True)
    registration_open = serializers.SerializerMethodField()

    def get_url(self, meeting: Meeting) -> str:
        return settings.SITE_URL + meeting.get_absolute_url()

    def get_registration_open(self, meeting: Meeting) -> bool:
        return meeting.accepts_registrations


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    title = serializers.CharField()
    minutes = serializers.IntegerField()
    is_akim_report = serializers.BooleanField()


class MeetingDetailSerializer(MeetingListSerializer):
    description = serializers.CharField()
    questions_close_at = serializers.DateTimeField(allow_null=True)
    livestream_url = serializers.CharField()
    recording_url = serializers.CharField()
    attendance = serializers.IntegerField(allow_null=True)
    cancel_reason = serializers.CharField()
    speakers = SpeakerSerializer(many=True)
    agenda = AgendaItemSerializer(many=True)
    akim_report_percent = serializers.SerializerMethodField()

    def get_akim_report_percent(self, meeting: Meeting) -> int:
        return selectors.meeting_agenda_split(meeting=meeting)["report_percent"]


class StaffMeetingSerializer(MeetingDetailSerializer):
    registered = serializers.IntegerField(source="registered_count")
    sequence = serializers.IntegerField()


class RegistrationOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    manage_url = serializers.CharField()
    ics_url = serializers.CharField()


class StaffRegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


# --- Input ---------------------------------------------------------------------------------


class MeetingFilterSerializer(FilterSerializer):
    territory = SlugRefFilter(
        slug_field="slug",
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        help_text="Territory slug; its subtree is included.",
    )
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)
    when = serializers.ChoiceField(choices=["upcoming", "past", "all"], required=False, default="upcoming")
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@one_of_required("email", "phone")
class RegistrationInputSerializer(InputSerializer):
    """An email or a phone (or both): leave out the one you don't give."""

    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254, required=False)
    phone = KzPhoneField(max_length=32, required=False)


class MeetingCreateSerializer(InputSerializer):
    unit = serializers.SlugRelatedField(slug_field="slug", queryset=AdministrativeUnit.objects.all())
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    title_kk = serializers.CharField(max_length=300)
    title_ru = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    description_kk = serializers.CharField(required=False, allow_blank=True, default="")
    description_ru = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), required=False, allow_null=True)
    host = serializers.PrimaryKeyRelatedField(queryset=Akim.objects.all(), required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    registration_open = serializers.BooleanField(required=False, default=True)
    questions_close_at = serializers.DateTimeField(required=False, allow_null=True)
    livestream_url = serializers.URLField(required=False, allow_blank=True, default="")
    publish = serializers.BooleanField(required=False, default=True)


class MeetingUpdateSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices, required=False)
    title_kk = serializers.CharField(max_length=300, required=False)
    title_ru = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description_kk = serializers.CharField(required=False, allow_blank=True)
    description_ru = serializers.CharField(required=False, allow_blank=True)
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all(), required=False, allow_null=True)
    host = serializers.PrimaryKeyRelatedField(queryset=Akim.objects.all(), required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    registration_open = serializers.BooleanField(required=False)
    questions_close_at = serializers.DateTimeField(required=False, allow_null=True)
    livestream_url = serializers.URLField(required=False, allow_blank=True)
    recording_url = serializers.URLField(required=False, allow_blank=True)


class RescheduleSerializer(InputSerializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CancelSerializer(InputSerializer):
    reason = serializers.CharField()


class MarkHeldSerializer(InputSerializer):
    attendance = serializers.IntegerField(min_value=1)
    recording_url = serializers.URLField(required=False, allow_blank=True, default="")


class MandateQuerySerializer(FilterSerializer):
    territory = SlugRefFilter(slug_field="slug", queryset=AdministrativeUnit.objects.all())
    period = serializers.CharField(required=False, help_text="A quarter such as 2025-Q3; the current one by default.")


class MandateRowSerializer(serializers.Serializer):
    territory = TerritoryRefSerializer()
    akim = serializers.CharField(allow_null=True)
    period = serializers.CharField()
    status = serializers.ChoiceField(choices=["held", "scheduled", "missing"])
    held = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    missing = serializers.IntegerField()
    due = serializers.IntegerField()


class MandateSerializer(serializers.Serializer):
    territory = TerritoryRefSerializer()
    quarter = serializers.CharField()
    rules = serializers.CharField(allow_null=True)
    held = serializers.IntegerField()
    scheduled = serializers.IntegerField()
    missing = serializers.IntegerField()
    rows = MandateRowSerializer(many=True)


ERROR = ErrorSerializer


# --- Public views --------------------------------------------------------------------------


class MeetingListAPI(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = MeetingListSerializer
    # Keyset pages: constant time at any depth of 100,000 meetings; the order follows `when`.
    pagination_class = cursor_pagination("starts_at", "pk")
    filter_backends = []

    @extend_schema(
        parameters=[MeetingFilterSerializer],
        responses={200: MeetingListSerializer(many=True), 400: ERROR, 404: ERROR},
        summary="Public meetings (drafts excluded), filtered by territory subtree, kind and dates",
        description="Pages by cursor: follow `next` and `previous`; `page_size` sets the page's length.",
        tags=["meetings"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = MeetingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        if filters.matches_nothing:
            return Meeting.objects.none()
        when = data.pop("when", "upcoming")
        data["unit"] = data.pop("territory", None)
        if when == "upcoming":
            return selectors.meetings_upcoming(**data)
        if when == "past":
            self.paginator.ordering = ("-starts_at", "-pk")
            return selectors.meetings_past(**data)
        return selectors.meetings_public(**data)


class MeetingDetailAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: MeetingDetailSerializer, 404: ERROR}, summary="One public meeting", tags=["meetings"]
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = get_object_or_404(selectors.meeting_detail_queryset().public(), pk=pk)
        return Response(MeetingDetailSerializer(meeting).data)


class MeetingRegisterAPI(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "meetings_register"

    @extend_schema(
        request=RegistrationInputSerializer,
        responses={201: RegistrationOutputSerializer, 400: ERROR, 404: ERROR, 429: ERROR},
        summary="Register for a meeting (a seat, or the waiting list when full)",
        tags=["meetings"],
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = get_object_or_404(Meeting.objects.public(), pk=pk)
        data = RegistrationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.registration_create(
            meeting=meeting, user=request.user, language=request.LANGUAGE_CODE, **data.validated_data
        )
        body = {
            "status": registration.status,
            "manage_url": settings.SITE_URL + registration_manage_url(registration),
            "ics_url": settings.SITE_URL + services.meeting_ics_path(meeting),
        }
        return Response(RegistrationOutputSerializer(body).data, status=status.HTTP_201_CREATED)


class MandateAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[MandateQuerySerializer],
        responses={200: MandateSerializer, 400: ERROR, 404: ERROR},
        summary="The reporting duty: held, scheduled or missing for each akim of a territory subtree",
        tags=["meetings"],
    )
    def get(self, request: Request) -> Response:
        query = MandateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if query.matches_nothing:
            raise Http404  # the duty of a territory that does not exist
        quarter = period_parse(query.validated_data.get("period"), default=current_quarter())
        if quarter.kind != "quarter":
            quarter = quarter.containing("quarter")
        report = selectors.mandate_report(unit=query.validated_data["territory"], quarter=quarter)

        def territory(unit):
            return {"slug": unit.slug, "name": unit.name, "kind": unit.kind}

        body = {
            "territory": territory(report.unit),
            "quarter": quarter.code,
            "rules": report.ruleset.slug if report.ruleset else None,
            "held": report.held,
            "scheduled": report.scheduled,
            "missing": report.missing,
            "rows": [
                {
                    "territory": territory(row.office),
                    "akim": row.akim.full_name if row.akim else None,
                    "period": row.period.code,
                    "status": row.status,
                    "held": row.held,
                    "scheduled": row.scheduled,
                    "missing": row.missing,
                    "due": len(row.targets),
                }
                for row in report.rows
            ],
        }
        return Response(MandateSerializer(body).data)


# --- Staff views ---------------------------------------------------------------------------


def _staff_meeting(request: Request, pk: int) -> Meeting:
    """Outside the user's territories a meeting does not exist (404), as on the pages."""
    return get_object_or_404(
        selectors.meetings_for_staff(user=request.user).prefetch_related("speakers", "agenda"), pk=pk
    )


def _staff_output(request: Request, pk: int) -> Response:
    return Response(StaffMeetingSerializer(_staff_meeting(request, pk)).data)


class StaffMeetingListAPI(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = cursor_pagination("-starts_at", "-pk")

    @extend_schema(
        responses={200: StaffMeetingSerializer(many=True)}, summary="Meetings in my territories", tags=["staff"]
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.meetings_for_staff(user=request.user).prefetch_related("speakers", "agenda")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(StaffMeetingSerializer(page, many=True).data)

    @extend_schema(
        request=MeetingCreateSerializer,
        responses={201: StaffMeetingSerializer, 400: ERROR, 403: ERROR},
        summary="Schedule a meeting (or save a draft with publish=false)",
        tags=["staff"],
    )
    def post(self, request: Request) -> Response:
        data = MeetingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_schedule(actor=request.user, **data.validated_data)
        response = _staff_output(request, meeting.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


class StaffMeetingDetailAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: StaffMeetingSerializer, 404: ERROR}, summary="One of my meetings", tags=["staff"])
    def get(self, request: Request, pk: int) -> Response:
        return _staff_output(request, pk)

    @extend_schema(
        request=MeetingUpdateSerializer,
        responses={200: StaffMeetingSerializer, 400: ERROR, 404: ERROR},
        summary="Change a meeting (times change through reschedule)",
        tags=["staff"],
    )
    def patch(self, request: Request, pk: int) -> Response:
        meeting = _staff_meeting(request, pk)
        data = MeetingUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.meeting_update(meeting=meeting, actor=request.user, **data.validated_data)
        return _staff_output(request, pk)


def _action(serializer_class, service, summary: str):
    class StaffMeetingActionAPI(APIView):
        permission_classes = [IsAuthenticated]

        @extend_schema(
            request=serializer_class,
            responses={200: StaffMeetingSerializer, 400: ERROR, 404: ERROR},
            summary=summary,
            tags=["staff"],
        )
        def post(self, request: Request, pk: int) -> Response:
            meeting = _staff_meeting(request, pk)
            data = serializer_class(data=request.data)
            data.is_valid(raise_exception=True)
            service(meeting=meeting, actor=request.user, **data.validated_data)
            return _staff_output(request, pk)

    StaffMeetingActionAPI.__name__ = f"StaffMeeting{serializer_class.__name__.replace('Serializer', '')}API"
    return StaffMeetingActionAPI


StaffMeetingRescheduleAPI = _action(RescheduleSerializer, services.meeting_reschedule, "Reschedule a meeting")
StaffMeetingCancelAPI = _action(CancelSerializer, services.meeting_cancel, "Cancel a meeting")
StaffMeetingMarkHeldAPI = _action(MarkHeldSerializer, services.meeting_mark_held, "Mark a meeting held")


class StaffRegistrationListAPI(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = cursor_pagination("created_at", "pk")

    @extend_schema(
        responses={200: StaffRegistrationSerializer(many=True), 404: ERROR},
        summary="Registrations of one of my meetings (personal data: staff only, each read is audited)",
        tags=["staff"],
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = _staff_meeting(request, pk)
        try:
            services.meeting_registrants_shown(
                meeting=meeting, actor=request.user, kind=PersonalDataAccess.Kind.REGISTRATIONS_API
            )
        except PermissionDenied:
            raise Http404 from None
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.meeting_registrations(meeting=meeting), request, view=self)
        response = paginator.get_paginated_response(StaffRegistrationSerializer(page, many=True).data)
        response["Cache-Control"] = "no-store"
        return response
