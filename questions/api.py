"""The questions API: public lists and pages (masked), submission (throttled), staff actions.

Writes call the same services as the pages. Public responses never carry a contact, a name,
an address or an IIN, and their texts are the public copies (core/masking.py). Staff read the
originals; a contact, IIN and address only from the audited POST …/personal-data/.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import (
    ErrorSerializer,
    FilterSerializer,
    IdRefFilter,
    InputSerializer,
    KzPhoneField,
    PublicTextField,
    SlugRefFilter,
    one_of_required,
)
from core.masking import mask_personal_data, render_masked
from core.pagination import KeysetCursorPagination
from core.ratelimit import ScopedRateThrottle
from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from questions import permissions, ratelimit, selectors, services
from questions.models import TEXT_MAX_LENGTH, TEXT_MIN_LENGTH, Category, Question

# --- Output ----------------------------------------------------------------------------------


class QuestionCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class QuestionTerritorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class QuestionEventPublicSerializer(serializers.Serializer):
    """A step as data (kind, statuses, `data`) and as words in the request's language."""

    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display", help_text="The kind, in the request's language.")
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    data = serializers.SerializerMethodField(
        help_text="What happened: a category change, a reason code, a department, dates, an outcome…"
    )
    summary = serializers.CharField(help_text="The data as a sentence in the request's language.")
    note = PublicTextField(source="note_public", help_text="What a person typed, as typed (personal data masked).")

    def get_data(self, event) -> dict:
        data = {key: value for key, value in (event.data or {}).items() if key != "officer"}
        if "to" in data:
            data["to"] = render_masked(mask_personal_data(data["to"]))
        return data


class QuestionPublicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    territory = QuestionTerritorySerializer(source="unit")
    category = QuestionCategorySerializer()
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    text = PublicTextField(source="text_public", help_text="Personal data masked.")
    language = serializers.CharField()
    source = serializers.CharField()
    status = serializers.CharField()
    author = serializers.SerializerMethodField(help_text="Always 'Resident of <territory>': authors are private.")
    support_count = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    answer = PublicTextField(source="answer_public", help_text="Personal data masked.")
    outcome = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_at_meeting = serializers.IntegerField(source="answered_at_meeting_id", allow_null=True)
    created_at = serializers.DateTimeField()
    url = serializers.CharField(source="get_absolute_url")

    def get_author(self, question: Question) -> str:
        from django.utils.translation import gettext

        return gettext("Resident of %(place)s") % {"place": question.unit.name}


class QuestionPublicDetailSerializer(QuestionPublicSerializer):
    timeline = QuestionEventPublicSerializer(many=True, source="public_events")


class QuestionStaffSerializer(QuestionPublicSerializer):
    """The question as written, for staff who act on it in their own territory. The author's
    contact, IIN and address are not here: POST …/personal-data/ shows them, and is audited."""

    text = serializers.CharField()
    answer = serializers.CharField(source="answer_text")
    author = None
    author_name = serializers.CharField()
    is_official_appeal = serializers.BooleanField()
    department = serializers.IntegerField(source="department_id", allow_null=True)
    registered_on = serializers.DateField(allow_null=True)
    extended_at = serializers.DateTimeField(allow_null=True)
    forwarded_to = serializers.CharField()
    reject_reason = serializers.CharField()
    duplicate_of = serializers.IntegerField(source="duplicate_of_id", allow_null=True)
    satisfied = serializers.BooleanField(allow_null=True)
    feedback = serializers.CharField()


class QuestionPersonalDataSerializer(serializers.Serializer):
    """What the author gave to be reached and, for an official appeal, identified."""

    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    full_name = serializers.CharField()
    postal_address = serializers.CharField()
    iin = serializers.CharField()


class QuestionSubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    tracking_url = serializers.CharField(help_text="The private page of the question: keep it secret.")
    token = serializers.CharField(help_text="For /questions/confirm/ with the code from the message.")


ERROR = ErrorSerializer

# --- Input -----------------------------------------------------------------------------------


class QuestionFilterSerializer(FilterSerializer):
    territory = SlugRefFilter(
        slug_field="slug",
        queryset=AdministrativeUnit.objects.all(),
        required=False,
        help_text="Territory slug (subtree).",
    )
    category = SlugRefFilter(slug_field="slug", queryset=Category.objects.all(), required=False)
    status = serializers.ChoiceField(
        choices=[s for s in Question.Status.choices if s[0] in Question.PUBLIC_STATUSES], required=False
    )
    meeting = IdRefFilter(queryset=Meeting.objects.public(), required=False)
    q = serializers.CharField(required=False, max_length=200, help_text="Words in the question or the answer.")


@one_of_required("contact_email", "contact_phone")
class QuestionSubmitSerializer(InputSerializer):
    """An email or a phone (or both) to confirm the question: leave out the one you don't give."""

    territory = serializers.SlugRelatedField(slug_field="slug", queryset=AdministrativeUnit.objects.all())
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.filter(is_active=True))
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.public(), required=False, allow_null=True)
    text = serializers.CharField(min_length=TEXT_MIN_LENGTH, max_length=TEXT_MAX_LENGTH)
    language = serializers.ChoiceField(choices=Question.Language.choices)
    author_name = serializers.CharField(max_length=200)
    contact_email = serializers.EmailField(required=False, max_length=254)
    contact_phone = KzPhoneField(required=False, max_length=20)
    is_official_appeal = serializers.BooleanField(required=False, default=False)
    full_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    postal_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    iin = serializers.CharField(required=False, allow_blank=True, default="", max_length=12)


class QuestionConfirmSerializer(InputSerializer):
    token = serializers.CharField()
    code = serializers.CharField(max_length=6)


class StaffQueueSerializer(FilterSerializer):
    queue = serializers.ChoiceField(choices=selectors.QUEUES, required=False, default=selectors.QUEUE_ALL)
    category = SlugRefFilter(slug_field="slug", queryset=Category.objects.all(), required=False)
    status = serializers.ChoiceField(choices=Question.Status.choices, required=False)
    q = serializers.CharField(required=False, max_length=200)


class AcceptInputSerializer(InputSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all(), required=False)


class RejectInputSerializer(InputSerializer):
    reason = serializers.ChoiceField(choices=Question.RejectReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    duplicate_of = serializers.PrimaryKeyRelatedField(queryset=Question.objects.all(), required=False, allow_null=True)


class AssignInputSerializer(InputSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())


class ExtendInputSerializer(InputSerializer):
    due_on = serializers.DateField()
    reason = serializers.CharField()


class ForwardInputSerializer(InputSerializer):
    forwarded_to = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerInputSerializer(InputSerializer):
    answer_text = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Question.Outcome.choices)


class OnTheSpotInputSerializer(AnswerInputSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())


# --- Public views ----------------------------------------------------------------------------


class SubmitThrottle(ScopedRateThrottle):
    """Only submissions are throttled; reading the list is not."""

    scope_attr = "throttle_scope"

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


def _submitted(question: Question) -> dict:
    """What the author's client needs after sending, confirming or renewing a code."""
    body = {
        "id": question.pk,
        "status": question.status,
        "tracking_url": settings.SITE_URL + question.get_tracking_url(),
        "token": question.token,
    }
    return QuestionSubmittedSerializer(body).data


class QuestionListAPI(APIView):
    """A cursor walks the list (`next` / `previous` links): no page numbers, no total count,
    so the millionth question costs what the first does."""

    permission_classes = [AllowAny]
    throttle_classes = [SubmitThrottle]
    throttle_scope = "questions_submit"
    pagination_class = KeysetCursorPagination

    @extend_schema(
        parameters=[QuestionFilterSerializer],
        responses={200: QuestionPublicSerializer(many=True), 400: ERROR},
        summary="Published questions (accepted and later), newest first; personal data masked",
        description="Pages follow the `next` and `previous` links (a `cursor`); there is no total count.",
        tags=["questions"],
    )
    def get(self, request: Request) -> Response:
        filters = QuestionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        queryset = selectors.questions_public(
            unit=data.get("territory"),
            category=data.get("category"),
            status=data.get("status"),
            meeting=data.get("meeting"),
            search=data.get("q", ""),
        )
        if filters.matches_nothing:
            queryset = queryset.none()
        paginator = self.pagination_class()
        paginator.sparse = bool((data.get("q") or "").strip())
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(QuestionPublicSerializer(page, many=True).data)

    @extend_schema(
        request=QuestionSubmitSerializer,
        responses={201: QuestionSubmittedSerializer, 400: ERROR, 429: ERROR},
        summary="Send a question; a link and a code go to the contact to confirm it",
        tags=["questions"],
    )
    def post(self, request: Request) -> Response:
        data = QuestionSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["unit"] = fields.pop("territory")
        contacts = [fields.get("contact_email", ""), fields.get("contact_phone", "")]
        with ratelimit.submission_tokens(ip=ratelimit.client_ip(request), contacts=contacts):
            question = services.question_submit(author=request.user, **fields)
        return Response(_submitted(question), status=status.HTTP_201_CREATED)


class QuestionDetailAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: QuestionPublicDetailSerializer, 404: ERROR},
        summary="One published question with its public timeline",
        tags=["questions"],
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            question = selectors.question_public_detail(pk=pk)
        except Question.DoesNotExist:
            raise Http404 from None
        question.public_events = selectors.question_timeline(question=question, public=True)
        return Response(QuestionPublicDetailSerializer(question).data)


class QuestionConfirmAPI(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SubmitThrottle]
    throttle_scope = "questions_submit"

    @extend_schema(
        request=QuestionConfirmSerializer,
        responses={200: QuestionSubmittedSerializer, 400: ERROR, 404: ERROR, 429: ERROR},
        summary="Confirm a question with the 6-digit code",
        description="Five wrong codes lock the code (429): ask for a new one at `questions/new-code/`.",
        tags=["questions"],
    )
    def post(self, request: Request) -> Response:
        data = QuestionConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = get_object_or_404(Question, token=data.validated_data["token"])
        question = services.question_confirm_by_code(question=question, code=data.validated_data["code"])
        return Response(_submitted(question))


class QuestionNewCodeSerializer(InputSerializer):
    token = serializers.CharField(max_length=64)


class QuestionNewCodeAPI(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SubmitThrottle]
    throttle_scope = "questions_submit"

    @extend_schema(
        request=QuestionNewCodeSerializer,
        responses={202: QuestionSubmittedSerializer, 400: ERROR, 404: ERROR, 429: ERROR},
        summary="Send a new confirmation code (the old one stops working)",
        description="Limited per question (`QUESTIONS_NEW_CODES_PER_HOUR`).",
        tags=["questions"],
    )
    def post(self, request: Request) -> Response:
        data = QuestionNewCodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = get_object_or_404(Question, token=data.validated_data["token"])
        with ratelimit.new_code_token(question_token=question.token):
            question = services.question_code_renew(question=question)
        return Response(_submitted(question), status=status.HTTP_202_ACCEPTED)


class CategoryListAPI(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: QuestionCategorySerializer(many=True)}, summary="Question categories", tags=["questions"]
    )
    def get(self, request: Request) -> Response:
        return Response(QuestionCategorySerializer(selectors.categories_active(), many=True).data)


# --- Staff -------------------------------------------------------------------------------------


def _staff_question(request: Request, pk: int) -> Question:
    if not permissions.is_question_staff(request.user):
        raise Http404
    try:
        return selectors.question_for_staff(user=request.user, pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None


class StaffQuestionListAPI(APIView):
    """Cursor pages like the public list: a city's staff see a hundred thousand questions."""

    permission_classes = [IsAuthenticated]
    pagination_class = KeysetCursorPagination

    @extend_schema(
        parameters=[StaffQueueSerializer],
        responses={200: QuestionStaffSerializer(many=True), 400: ERROR},
        summary="Questions in my territories or my department, by queue",
        description=(
            "Newest first; the due_soon and overdue queues soonest due first. Pages follow the `next` "
            "and `previous` links (a `cursor`); there is no total count."
        ),
        tags=["staff"],
    )
    def get(self, request: Request) -> Response:
        filters = StaffQueueSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = dict(filters.validated_data)
        queryset = selectors.questions_for_staff(
            user=request.user,
            queue=data.get("queue", selectors.QUEUE_ALL),
            category=data.get("category"),
            status=data.get("status"),
            search=data.get("q", ""),
        )
        if filters.matches_nothing:
            queryset = queryset.none()
        paginator = self.pagination_class()
        paginator.ordering = selectors.staff_queue_ordering(data.get("queue", selectors.QUEUE_ALL))
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(QuestionStaffSerializer(page, many=True).data)


class StaffQuestionDetailAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: QuestionStaffSerializer, 404: ERROR}, summary="One of my questions", tags=["staff"])
    def get(self, request: Request, pk: int) -> Response:
        return Response(QuestionStaffSerializer(_staff_question(request, pk)).data)


class StaffPersonalDataAPI(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={200: QuestionPersonalDataSerializer, 404: ERROR},
        summary="Show the author's contact, IIN and address (recorded in the audit trail)",
        description=(
            "Each call is recorded: who, when, which question and which fields. Staff outside the "
            "question's territory get 404."
        ),
        tags=["staff"],
    )
    def post(self, request: Request, pk: int) -> Response:
        question = _staff_question(request, pk)
        try:
            shown = services.question_personal_data_reveal(question=question, actor=request.user)
        except PermissionDenied:
            raise Http404 from None
        response = Response(QuestionPersonalDataSerializer(shown).data)
        response["Cache-Control"] = "no-store"
        return response


class _StaffActionAPI(APIView):
    permission_classes = [IsAuthenticated]
    input_serializer: type[serializers.Serializer]

    def act(self, *, question: Question, actor, data: dict) -> Question:  # pragma: no cover
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        question = _staff_question(request, pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            self.act(question=question, actor=request.user, data=dict(data.validated_data))
        except PermissionDenied:
            raise Http404 from None  # outside the role: as if the question did not exist
        return Response(QuestionStaffSerializer(_staff_question(request, pk)).data)


def _action_schema(serializer, summary: str):
    return extend_schema(
        request=serializer,
        responses={200: QuestionStaffSerializer, 400: ERROR, 404: ERROR},
        summary=summary,
        tags=["staff"],
    )


class StaffAcceptAPI(_StaffActionAPI):
    input_serializer = AcceptInputSerializer

    @_action_schema(AcceptInputSerializer, "Accept a new question (optionally correcting its category)")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_accept(question=question, actor=actor, category=data.get("category"))


class StaffRejectAPI(_StaffActionAPI):
    input_serializer = RejectInputSerializer

    @_action_schema(RejectInputSerializer, "Reject a question, or merge it into the original as a duplicate")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_reject(question=question, actor=actor, **data)


class StaffAssignAPI(_StaffActionAPI):
    input_serializer = AssignInputSerializer

    @_action_schema(AssignInputSerializer, "Assign to a department (due 15 working days after registration)")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_assign(question=question, actor=actor, department=data["department"])


class StaffExtendAPI(_StaffActionAPI):
    input_serializer = ExtendInputSerializer

    @_action_schema(ExtendInputSerializer, "Extend the term once, by at most two months, with a reason")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_extend(question=question, actor=actor, **data)


class StaffForwardAPI(_StaffActionAPI):
    input_serializer = ForwardInputSerializer

    @_action_schema(ForwardInputSerializer, "Forward to the competent body (outside the akimat's competence)")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_forward(question=question, actor=actor, **data)


class StaffAnswerAPI(_StaffActionAPI):
    input_serializer = AnswerInputSerializer

    @_action_schema(AnswerInputSerializer, "Answer with an outcome: resolved, explained or planned")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_answer(question=question, actor=actor, **data)


class StaffOnTheSpotAPI(_StaffActionAPI):
    input_serializer = OnTheSpotInputSerializer

    @_action_schema(OnTheSpotInputSerializer, "Record an answer given on the spot at a meeting")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, *, question, actor, data):
        return services.question_answer_on_the_spot(question=question, actor=actor, **data)
