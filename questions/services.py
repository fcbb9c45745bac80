"""Every write to questions: one function per step of the lifecycle, each recording its event.

Steps (art. 76 of the Administrative Procedural and Process Code where it applies):

    submitted ──confirm──▶ new ──accept──▶ accepted ──assign──▶ assigned ──answer──▶ answered
        │                   │                 │  └─answer on the spot──────────────────▲
     expire              reject            forward / reject (duplicate)   extend once │
        ▼                   ▼                 ▼                       rate: not satisfied
     expired            rejected          forwarded                    reopens once ──┘

The author may withdraw the question until it is answered.
"""

import logging
import secrets
import uuid
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import PersonalDataAccess, StaffRole, User
from accounts.services import personal_data_access_record
from core.errors import ApplicationError
from core.events import named_ref
from core.iin import validate_iin
from core.masking import mask_personal_data
from core.phones import normalize_kz_phone
from core.ratelimit import RateLimitExceeded
from core.remask import RemaskCount, remask_table
from core.working_days import working_days_after
from districts.models import AdministrativeUnit, Department
from meetings.models import Meeting
from notifications.services import notification_enqueue, notification_enqueue_many
from questions import permissions
from questions.models import TEXT_MAX_LENGTH, TEXT_MIN_LENGTH, Category, Question, QuestionEvent, Support

logger = logging.getLogger(__name__)

S = Question.Status
E = QuestionEvent.Kind
CONFIRM_SALT = "questions.confirm"
CODE_LOCKED = _("Too many wrong codes. Ask for a new code, or open the link from the message.")
# A new code can be asked for at once; a client retrying the same request waits a minute.
CODE_LOCKED_RETRY_AFTER = 60
SUPPORT_SALT = "questions.support"


# --- Helpers ------------------------------------------------------------------------------


def question_event_record(
    *,
    question: Question,
    kind: str,
    actor: User | None = None,
    from_status: str = "",
    data: dict | None = None,
    note: str = "",
) -> QuestionEvent:
    """`data` says what happened (QuestionEvent's docstring lists it); `note` is only typed text."""
    return QuestionEvent.objects.create(
        question=question,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=question.status,
        data=data or {},
        note=note,
        note_public=mask_personal_data(note),
    )


def _category_change(before: Category, after: Category) -> dict:
    return {"category": [named_ref(before), named_ref(after)]}


def _lock(question: Question) -> Question:
    """Re-read the row under a lock so two clicks cannot both pass the same check."""
    locked = Question.objects.select_for_update().get(pk=question.pk)
    question.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return question


def _require_status(question: Question, allowed: tuple[str, ...], message) -> None:
    if question.status not in allowed:
        raise ApplicationError(message, extra={"status": question.status})


def _require(allowed: bool) -> None:
    # The pages and the API look questions up through the user's scope first (a 404); this is
    # the rule itself, so no other caller can get round it.
    if not allowed:
        raise PermissionDenied


def _due_from_registration(registered_on: date) -> date:
    return working_days_after(registered_on, settings.QUESTIONS_RESPONSE_WORKING_DAYS)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) < TEXT_MIN_LENGTH:
        raise ValidationError(
            {"text": _("Write at least %(min)d characters.") % {"min": TEXT_MIN_LENGTH}}, code="too_short"
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("Write at most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}}, code="too_long"
        )
    return text


def normalize_contact(*, email: str = "", phone: str = "") -> tuple[str, str]:
    """(email, phone) cleaned: one of them is required, a phone in +77XXXXXXXXX form."""
    email, phone = (email or "").strip().lower(), (phone or "").strip()
    if not email and not phone:
        raise ValidationError({"contact": _("Give an email address or a phone number so we can confirm the question.")})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"contact_email": _("Enter a valid email address.")}) from None
    if phone:
        try:
            phone = normalize_kz_phone(phone)
        except ValidationError as error:
            raise ValidationError({"contact_phone": error.messages}) from None
    return email, phone


def _site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def question_message_send(
    *,
    email: str,
    phone: str,
    subject: str,
    body: str,
    kind: str = "questions.status",
    language: str = "kk",
    dedupe_key: str | None = None,
    user: User | None = None,
) -> None:
    """The one way a message reaches a resident: the notifications outbox, in this transaction.

    Nothing is sent by the request itself; a rolled-back step leaves no message, and a message
    written while the broker is down is delivered when it is back.
    """
    if not (email or phone):
        return
    notification_enqueue(
        kind=kind,
        language=language,
        dedupe_key=dedupe_key or f"questions:message:{uuid.uuid4().hex}",
        context={"subject": subject, "body": body},
        email=email,
        phone="" if email else phone,
        user=user,
    )


def _tell_author(
    question: Question, subject, lines: list, *, kind: str = "questions.status", occasion: str = ""
) -> None:
    """Render a message in the author's language and queue it. The key names the question's
    latest event (or another `occasion`), so each transition tells the author once."""
    with translation.override(question.language):
        tracking = _site_url(question.get_tracking_url())
        body = "\n\n".join(
            [*(str(line) for line in lines if line), gettext("Follow your question: %(url)s") % {"url": tracking}]
        )
    latest_event = question.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    question_message_send(
        email=question.contact_email,
        phone=question.contact_phone,
        subject=str(subject),
        body=body,
        kind=kind,
        language=question.language,
        dedupe_key=f"questions:{question.pk}:{kind}:{occasion or f'event-{latest_event}'}",
        user=_author_account(question),
    )


def _author_account(question: Question) -> User | None:
    """Whose notification settings apply: the account the question was sent from, else the
    resident account that signs in with the question's contact."""
    if question.author_id is not None or not question.contact:
        return question.author
    return User.objects.filter(sign_in_contact=question.contact).first()


# --- Confirmation: a signed link or a 6-digit code ------------------------------------------


def confirmation_code(question: Question) -> str:
    # Round 0 keeps the first code's derivation, so codes already sent stay valid.
    seed = question.token if not question.confirmation_round else f"{question.token}:{question.confirmation_round}"
    digest = salted_hmac("questions.code", seed, algorithm="sha256").hexdigest()
    return f"{int(digest, 16) % 1_000_000:06d}"


def confirmation_link(question: Question) -> str:
    signed = signing.dumps(question.token, salt=CONFIRM_SALT)
    with translation.override(question.language):
        return _site_url(reverse("questions:confirm", kwargs={"signed": signed}))


def _send_confirmation(question: Question, *, occasion: str = "") -> None:
    with translation.override(question.language):
        subject = gettext("Confirm your question to the akimat")
        if question.contact_email:
            lines = [
                gettext("You sent a question on Kezdesu. Confirm it with this link:"),
                confirmation_link(question),
                gettext("or enter the code %(code)s on the question's page.") % {"code": confirmation_code(question)},
                gettext("Unconfirmed questions are deleted after %(days)d days.")
                % {"days": settings.QUESTIONS_CONFIRMATION_DAYS},
            ]
        else:
            lines = [gettext("Kezdesu code: %(code)s") % {"code": confirmation_code(question)}]
    _tell_author(question, subject, lines, kind="questions.confirmation", occasion=occasion)


def _confirmation_expired(question: Question, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return question.created_at < now - timedelta(days=settings.QUESTIONS_CONFIRMATION_DAYS)


@transaction.atomic
def _confirm(question: Question) -> Question:
    _lock(question)
    if question.status != S.SUBMITTED:
        if question.status in (S.EXPIRED, S.WITHDRAWN):
            raise ApplicationError(_("This question can no longer be confirmed."))
        return question  # a second click on the same link: already confirmed, nothing to do
    if _confirmation_expired(question):
        raise ApplicationError(_("The confirmation period is over. Please send the question again."))
    question.status = S.NEW
    question.registered_on = timezone.localdate()
    question.due_on = _due_from_registration(question.registered_on)
    question.save(update_fields=["status", "registered_on", "due_on", "updated_at"])
    question_event_record(question=question, kind=E.CONFIRMED, from_status=S.SUBMITTED)
    return question


def question_confirm_by_link(*, signed: str) -> Question:
    """The link from the confirmation email. A forged link and an old one are both refused."""
    max_age = timedelta(days=settings.QUESTIONS_CONFIRMATION_DAYS)
    try:
        token = signing.loads(signed, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ApplicationError(_("The confirmation link has expired. Please send the question again.")) from None
    except signing.BadSignature:
        raise ApplicationError(_("This confirmation link is not valid.")) from None
    question = Question.objects.filter(token=token).first()
    if question is None:
        raise ApplicationError(_("This confirmation link is not valid."))
    return _confirm(question)


def question_confirm_by_code(*, question: Question, code: str) -> Question:
    """The 6-digit code (for phone contacts). Five wrong codes lock it; a new code unlocks.

    Each try takes one of the code's tries in a single conditional UPDATE before the code is
    compared, so parallel guesses cannot share a try: at most five are ever compared. The
    UPDATE commits on its own (no transaction here), so a wrong code's try stays taken.
    """
    if question.status != S.SUBMITTED:
        return _confirm(question)
    taken = Question.objects.filter(
        pk=question.pk, status=S.SUBMITTED, confirmation_attempts__lt=settings.QUESTIONS_CONFIRMATION_MAX_ATTEMPTS
    ).update(confirmation_attempts=F("confirmation_attempts") + 1)
    question.refresh_from_db(fields=["status", "confirmation_attempts", "confirmation_round"])
    if not taken:
        if question.status != S.SUBMITTED:
            return _confirm(question)
        raise RateLimitExceeded(CODE_LOCKED, retry_after=CODE_LOCKED_RETRY_AFTER)
    if not constant_time_compare((code or "").strip(), confirmation_code(question)):
        raise ValidationError({"code": _("The code is not right. Check the message and try again.")})
    return _confirm(question)


@transaction.atomic
def question_code_renew(*, question: Question) -> Question:
    """Send a new code (and link) to the contact: the old code stops working, the tries start
    again. The caller limits how often (questions.ratelimit.code_renewal_token)."""
    _lock(question)
    if question.status != S.SUBMITTED:
        raise ApplicationError(_("This question is already confirmed or closed: it needs no code."))
    if _confirmation_expired(question):
        raise ApplicationError(_("The confirmation period is over. Please send the question again."))
    question.confirmation_round += 1
    question.confirmation_attempts = 0
    question.save(update_fields=["confirmation_round", "confirmation_attempts", "updated_at"])
    _send_confirmation(question, occasion=f"round-{question.confirmation_round}")
    return question


# --- Submission ---------------------------------------------------------------------------


def meeting_accepts_questions_for(*, meeting: Meeting, unit: AdministrativeUnit, now: datetime | None = None) -> bool:
    """An upcoming meeting on the same branch of the tree whose question window is still open."""
    now = now or timezone.now()
    close_at = meeting.questions_close_at or meeting.default_questions_close_at
    same_branch = unit.path.startswith(meeting.unit.path) or meeting.unit.path.startswith(unit.path)
    return meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > now and close_at > now and same_branch


def _validate_appeal(*, full_name: str, postal_address: str, iin: str) -> tuple[str, str, str]:
    errors = {}
    full_name, postal_address, iin = full_name.strip(), postal_address.strip(), iin.strip()
    if not full_name:
        errors["full_name"] = _("An official appeal needs your full name.")
    if not postal_address:
        errors["postal_address"] = _("An official appeal needs your postal address.")
    try:
        validate_iin(iin)
    except ValidationError as error:
        errors["iin"] = error.messages
    if errors:
        raise ValidationError(errors)
    return full_name, postal_address, iin


@transaction.atomic
def question_submit(
    *,
    unit: AdministrativeUnit,
    category: Category,
    text: str,
    language: str,
    author_name: str,
    contact_email: str = "",
    contact_phone: str = "",
    author: User | None = None,
    meeting: Meeting | None = None,
    is_official_appeal: bool = False,
    full_name: str = "",
    postal_address: str = "",
    iin: str = "",
) -> Question:
    """A resident sends a question online; it waits for the contact to be confirmed."""
    text = _clean_text(text)
    author_name = (author_name or "").strip()
    if not author_name:
        raise ValidationError({"author_name": _("Tell us your name.")})
    contact_email, contact_phone = normalize_contact(email=contact_email, phone=contact_phone)
    if not category.is_active:
        raise ValidationError({"category": _("Choose a category from the list.")})
    if meeting is not None and not meeting_accepts_questions_for(meeting=meeting, unit=unit):
        raise ValidationError({"meeting": _("This meeting does not take questions for this territory now.")})
    if is_official_appeal:
        full_name, postal_address, iin = _validate_appeal(full_name=full_name, postal_address=postal_address, iin=iin)
    else:
        full_name = postal_address = iin = ""
    question = Question(
        unit=unit,
        category=category,
        text=text,
        text_public=mask_personal_data(text),
        language=language,
        source=Question.Source.ONLINE,
        author_name=author_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        author=author if author is not None and author.is_authenticated else None,
        meeting=meeting,
        is_official_appeal=is_official_appeal,
        full_name=full_name,
        postal_address=postal_address,
        iin=iin,
        token=secrets.token_urlsafe(32),
    )
    question.full_clean()
    question.save()
    question_event_record(question=question, kind=E.SUBMITTED)
    _send_confirmation(question)
    return question


@transaction.atomic
def question_enter(
    *,
    actor: User,
    unit: AdministrativeUnit,
    category: Category,
    text: str,
    language: str,
    source: str,
    author_name: str,
    meeting: Meeting | None = None,
    contact_email: str = "",
    contact_phone: str = "",
) -> Question:
    """Staff record a question raised aloud or on paper at a meeting or a reception.

    It is registered and accepted at once: the person stood in front of the akimat.
    """
    _require(permissions.can_enter_questions(actor, unit))
    if source == Question.Source.ONLINE:
        raise ValidationError({"source": _("Online questions are sent by residents themselves.")})
    text = _clean_text(text)
    if contact_email or contact_phone:
        contact_email, contact_phone = normalize_contact(email=contact_email, phone=contact_phone)
    if meeting is not None:
        same_branch = unit.path.startswith(meeting.unit.path) or meeting.unit.path.startswith(unit.path)
        if not same_branch or meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
            raise ValidationError({"meeting": _("Choose a meeting of this territory.")})
    today = timezone.localdate()
    question = Question(
        unit=unit,
        category=category,
        text=text,
        text_public=mask_personal_data(text),
        language=language,
        source=source,
        author_name=(author_name or "").strip() or gettext("Resident"),
        contact_email=contact_email,
        contact_phone=contact_phone,
        meeting=meeting,
        status=S.ACCEPTED,
        registered_on=today,
        due_on=_due_from_registration(today),
        token=secrets.token_urlsafe(32),
    )
    question.full_clean()
    question.save()
    question_event_record(question=question, kind=E.ENTERED, actor=actor)
    return question


# --- Triage -------------------------------------------------------------------------------


@transaction.atomic
def question_accept(*, question: Question, actor: User, category: Category | None = None) -> Question:
    _lock(question)
    _require(permissions.can_triage(actor, question))
    _require_status(question, (S.NEW,), _("Only new questions can be accepted."))
    data = {}
    if category is not None and category.pk != question.category_id:
        data = _category_change(question.category, category)
        question.category = category
    question.status = S.ACCEPTED
    question.save(update_fields=["status", "category", "updated_at"])
    question_event_record(question=question, kind=E.ACCEPTED, actor=actor, from_status=S.NEW, data=data)
    with translation.override(question.language):
        _tell_author(
            question,
            gettext("Your question is accepted"),
            [gettext("Your question is accepted and published. The akimat will route it to the department in charge.")],
        )
    return question


@transaction.atomic
def question_change_category(*, question: Question, actor: User, category: Category) -> Question:
    _lock(question)
    _require(permissions.can_triage(actor, question))
    _require_status(question, (S.NEW, *Question.PUBLIC_STATUSES), _("This question's category cannot be changed now."))
    if category.pk == question.category_id:
        return question
    data = _category_change(question.category, category)
    question.category = category
    question.save(update_fields=["category", "updated_at"])
    question_event_record(
        question=question, kind=E.CATEGORY_CHANGED, actor=actor, from_status=question.status, data=data
    )
    return question


def _recount_supports(question: Question) -> None:
    question.support_count = question.supports.filter(confirmed_at__isnull=False).count()
    question.save(update_fields=["support_count", "updated_at"])


@transaction.atomic
def question_reject(
    *, question: Question, actor: User, reason: str, note: str = "", duplicate_of: Question | None = None
) -> Question:
    """Refuse a question and tell the author why; a duplicate is merged into the original."""
    _lock(question)
    _require(permissions.can_triage(actor, question))
    _require_status(question, (S.NEW, S.ACCEPTED), _("Only new or accepted questions can be rejected."))
    if reason not in Question.RejectReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    if reason == Question.RejectReason.DUPLICATE:
        if duplicate_of is None:
            raise ValidationError({"duplicate_of": _("Choose the question this one repeats.")})
        while duplicate_of.duplicate_of_id is not None:  # merge into the root, never into a merged one
            duplicate_of = duplicate_of.duplicate_of
        if (
            duplicate_of.pk == question.pk
            or not duplicate_of.is_public
            or not permissions.can_triage(actor, duplicate_of)
        ):
            raise ValidationError({"duplicate_of": _("Choose a published question in your territory.")})
    else:
        duplicate_of = None
    from_status = question.status
    question.status = S.REJECTED
    question.reject_reason = reason
    question.reject_note = (note or "").strip()
    question.duplicate_of = duplicate_of
    question.save(update_fields=["status", "reject_reason", "reject_note", "duplicate_of", "updated_at"])
    question_event_record(
        question=question,
        kind=E.REJECTED,
        actor=actor,
        from_status=from_status,
        data={"reason": reason},
        note=question.reject_note,
    )
    if duplicate_of is not None:
        _merge(question=question, into=duplicate_of, actor=actor)
    with translation.override(question.language):
        lines = [
            gettext("Your question was not taken into work. Reason: %(reason)s.")
            % {"reason": Question.RejectReason(reason).label},
        ]
        if question.reject_note:
            lines.append(question.reject_note)
        if duplicate_of is not None:
            lines.append(
                gettext("The same question is already being handled, and you are counted among its authors: %(url)s")
                % {"url": _site_url(duplicate_of.get_absolute_url())}
            )
        _tell_author(question, gettext("Your question was not taken into work"), lines)
    return question


def _merge(*, question: Question, into: Question, actor: User) -> None:
    """The duplicate's author and supporters count for the original, each person once."""
    Question.objects.select_for_update().filter(pk=into.pk).first()
    existing_users = set(into.supports.exclude(user=None).values_list("user_id", flat=True))
    existing_contacts = set(into.supports.exclude(contact="").values_list("contact", flat=True))
    own_contacts = {into.contact_email, into.contact_phone} - {""}
    moved = []
    candidates = list(question.supports.filter(confirmed_at__isnull=False))
    author_contact = question.contact_email or question.contact_phone
    if question.author_id or author_contact:
        candidates.append(Support(user_id=question.author_id, contact=author_contact, confirmed_at=timezone.now()))
    for support in candidates:
        if support.user_id and (support.user_id in existing_users or support.user_id == into.author_id):
            continue
        if support.contact and (support.contact in existing_contacts or support.contact in own_contacts):
            continue
        moved.append(
            Support(question=into, user_id=support.user_id, contact=support.contact, confirmed_at=support.confirmed_at)
        )
        existing_users.add(support.user_id)
        existing_contacts.add(support.contact)
    Support.objects.bulk_create(moved)
    _recount_supports(into)
    question_event_record(
        question=into,
        kind=E.MERGED,
        actor=actor,
        from_status=into.status,
        data={"merged": question.pk},
    )


# --- Work ---------------------------------------------------------------------------------


def _validate_department(question: Question, department: Department) -> None:
    if not question.unit.path.startswith(department.unit.path):
        raise ValidationError({"department": _("Choose a department of this territory or of the one above it.")})


@transaction.atomic
def question_assign(
    *, question: Question, actor: User, department: Department, officer: User | None = None
) -> Question:
    """Route the question to a department; the answer is due 15 working days after registration."""
    _lock(question)
    _require(permissions.can_manage(actor, question))
    _require_status(question, (S.ACCEPTED, S.ASSIGNED), _("Only accepted questions can be assigned."))
    _validate_department(question, department)
    if (
        officer is not None
        and not StaffRole.objects.filter(
            user=officer, role=StaffRole.Role.DEPARTMENT_OFFICER, department=department
        ).exists()
    ):
        raise ValidationError({"officer": _("This person is not an officer of the chosen department.")})
    from_status = question.status
    question.status = S.ASSIGNED
    question.department = department
    question.officer = officer
    if question.extended_at is None and question.reopened_count == 0:
        question.due_on = _due_from_registration(question.registered_on or timezone.localdate())
    question.save(update_fields=["status", "department", "officer", "due_on", "updated_at"])
    data = {"department": named_ref(department)}
    if officer is not None:
        data["officer"] = officer.get_full_name() or officer.username
    question_event_record(question=question, kind=E.ASSIGNED, actor=actor, from_status=from_status, data=data)
    with translation.override(question.language):
        _tell_author(
            question,
            gettext("Your question is in work"),
            [
                gettext("Your question was passed to: %(department)s.") % {"department": department.name},
                gettext("The answer is due by %(date)s.")
                % {"date": formats.date_format(question.due_on, "SHORT_DATE_FORMAT")}
                if question.due_on
                else "",
            ],
        )
    return question


def extension_latest_due(question: Question) -> date | None:
    if question.due_on is None:
        return None
    return question.due_on + relativedelta(months=settings.QUESTIONS_EXTENSION_MAX_MONTHS)


@transaction.atomic
def question_extend(*, question: Question, actor: User, due_on: date, reason: str) -> Question:
    """The head extends the term once, by a reasoned decision, by at most two months."""
    _lock(question)
    _require(permissions.can_manage(actor, question))
    _require_status(question, (S.ACCEPTED, S.ASSIGNED), _("Only questions in work can be extended."))
    if question.extended_at is not None:
        raise ApplicationError(_("The term can be extended only once."))
    reason = (reason or "").strip()
    if len(reason) < TEXT_MIN_LENGTH:
        raise ValidationError({"reason": _("Give the reason for the extension: the author will read it.")})
    latest = extension_latest_due(question)
    if question.due_on is None or due_on <= question.due_on:
        raise ValidationError({"due_on": _("The new date must be later than the current one.")})
    if due_on > latest:
        raise ValidationError(
            {
                "due_on": _("The term can be extended by at most two months: until %(date)s.")
                % {"date": formats.date_format(latest, "SHORT_DATE_FORMAT")}
            }
        )
    old_due = question.due_on
    question.due_on = due_on
    question.extended_at = timezone.now()
    question.extension_reason = reason
    question.save(update_fields=["due_on", "extended_at", "extension_reason", "updated_at"])
    question_event_record(
        question=question,
        kind=E.EXTENDED,
        actor=actor,
        from_status=question.status,
        data={"due": [old_due.isoformat(), due_on.isoformat()]},
        note=reason,
    )
    # The law gives 3 working days to tell the author; the message leaves with the commit.
    with translation.override(question.language):
        _tell_author(
            question,
            gettext("The answer to your question will take longer"),
            [
                gettext("The term for the answer was extended until %(date)s.")
                % {"date": formats.date_format(due_on, "SHORT_DATE_FORMAT")},
                reason,
            ],
        )
    return question


@transaction.atomic
def question_forward(*, question: Question, actor: User, forwarded_to: str, note: str = "") -> Question:
    """Outside the akimat's competence: sent on to the competent body, and the author told."""
    _lock(question)
    _require(permissions.can_manage(actor, question) or permissions.is_assigned_officer(actor, question))
    _require_status(question, (S.NEW, S.ACCEPTED, S.ASSIGNED), _("Only questions in work can be forwarded."))
    forwarded_to = (forwarded_to or "").strip()
    if not forwarded_to:
        raise ValidationError({"forwarded_to": _("Name the body the question was sent to.")})
    from_status = question.status
    question.status = S.FORWARDED
    question.forwarded_to = forwarded_to
    question.forwarded_to_public = mask_personal_data(forwarded_to)
    question.save(update_fields=["status", "forwarded_to", "forwarded_to_public", "updated_at"])
    question_event_record(
        question=question,
        kind=E.FORWARDED,
        actor=actor,
        from_status=from_status,
        data={"to": question.forwarded_to_public},  # the timeline is public: the masked copy
        note=(note or "").strip(),
    )
    with translation.override(question.language):
        _tell_author(
            question,
            gettext("Your question was forwarded"),
            [
                gettext("Your question is outside the akimat's competence and was forwarded to: %(body)s.")
                % {"body": forwarded_to}
            ],
        )
    return question


def _answer(*, question: Question, actor: User, answer_text: str, outcome: str, meeting: Meeting | None) -> Question:
    answer_text = (answer_text or "").strip()
    if len(answer_text) < TEXT_MIN_LENGTH:
        raise ValidationError(
            {"answer_text": _("Write the answer (at least %(min)d characters).") % {"min": TEXT_MIN_LENGTH}}
        )
    if outcome not in Question.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    from_status = question.status
    question.status = S.ANSWERED
    question.answer_text = answer_text
    question.answer_public = mask_personal_data(answer_text)
    question.outcome = outcome
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.answered_at_meeting = meeting
    question.save(
        update_fields=[
            "status",
            "answer_text",
            "answer_public",
            "outcome",
            "answered_by",
            "answered_at",
            "answered_at_meeting",
            "updated_at",
        ]
    )
    question_event_record(
        question=question,
        kind=E.ANSWERED_ON_THE_SPOT if meeting else E.ANSWERED,
        actor=actor,
        from_status=from_status,
        data={"outcome": outcome},
    )
    with translation.override(question.language):
        _tell_author(
            question,
            gettext("Your question has an answer"),
            [answer_text, gettext("Tell us whether the answer helped on the question's page.")],
            kind="questions.answered",
        )
    return question


@transaction.atomic
def question_answer(*, question: Question, actor: User, answer_text: str, outcome: str) -> Question:
    """The answer with its outcome: resolved, explained, or planned (needs more time)."""
    _lock(question)
    _require(permissions.can_answer(actor, question))
    _require_status(question, (S.ACCEPTED, S.ASSIGNED), _("Only questions in work can be answered."))
    return _answer(question=question, actor=actor, answer_text=answer_text, outcome=outcome, meeting=None)


@transaction.atomic
def question_answer_on_the_spot(
    *,
    question: Question,
    actor: User,
    meeting: Meeting,
    answer_text: str,
    outcome: str = Question.Outcome.EXPLAINED,
) -> Question:
    """Answered at the meeting itself, in front of the residents."""
    _lock(question)
    _require(permissions.can_manage(actor, question))
    _require_status(question, (S.ACCEPTED, S.ASSIGNED), _("Only questions in work can be answered."))
    same_branch = question.unit.path.startswith(meeting.unit.path) or meeting.unit.path.startswith(question.unit.path)
    started = meeting.starts_at <= timezone.now()
    if not same_branch or not started or meeting.status in (Meeting.Status.DRAFT, Meeting.Status.CANCELLED):
        raise ValidationError({"meeting": _("Choose a meeting of this territory that has taken place.")})
    return _answer(question=question, actor=actor, answer_text=answer_text, outcome=outcome, meeting=meeting)


# --- The author -----------------------------------------------------------------------------


@transaction.atomic
def question_rate(*, question: Question, satisfied: bool, comment: str = "", actor: User | None = None) -> Question:
    """The author rates the answer; "not satisfied" sends it back to staff, once."""
    _lock(question)
    _require_status(question, (S.ANSWERED,), _("Only answered questions can be rated."))
    if question.rated_at is not None:
        raise ApplicationError(_("You have already rated this answer."))
    comment = (comment or "").strip()[:TEXT_MAX_LENGTH]
    question.satisfied = satisfied
    question.feedback = comment
    question.rated_at = timezone.now()
    question.save(update_fields=["satisfied", "feedback", "rated_at", "updated_at"])
    question_event_record(
        question=question,
        kind=E.RATED,
        actor=actor,
        from_status=S.ANSWERED,
        data={"satisfied": satisfied},
        note=comment,
    )
    if not satisfied and question.reopened_count == 0:
        question.status = S.ASSIGNED if question.department_id else S.ACCEPTED
        question.reopened_count = 1
        question.due_on = _due_from_registration(timezone.localdate())
        # The answer stays in the timeline's "answered" event; the next one replaces it here.
        question.rated_at = None
        question.satisfied = None
        question.answered_at_meeting = None
        question.save(
            update_fields=["status", "reopened_count", "due_on", "rated_at", "satisfied", "answered_at_meeting"]
        )
        question_event_record(question=question, kind=E.REOPENED, actor=actor, from_status=S.ANSWERED, note=comment)
    return question


@transaction.atomic
def question_withdraw(*, question: Question, actor: User | None = None) -> Question:
    _lock(question)
    if not question.can_be_withdrawn:
        raise ApplicationError(_("A question can be withdrawn only before it is answered."))
    from_status = question.status
    question.status = S.WITHDRAWN
    question.save(update_fields=["status", "updated_at"])
    question_event_record(question=question, kind=E.WITHDRAWN, actor=actor, from_status=from_status)
    return question


# --- Support: "I have the same question" ----------------------------------------------------


@transaction.atomic
def question_support(*, question: Question, user: User | None = None, contact: str = "") -> Support:
    """Count once per account, or once per contact after the contact confirms by link."""
    _lock(question)
    if not question.is_public:
        raise ApplicationError(_("Only published questions can be supported."))
    if user is not None and user.is_authenticated:
        if question.author_id == user.pk:
            raise ApplicationError(_("This is your own question."))
        if Support.objects.filter(question=question, user=user).exists():
            raise ApplicationError(_("You have already supported this question."))
        support = Support.objects.create(question=question, user=user, confirmed_at=timezone.now())
        _recount_supports(question)
        return support
    contact = (contact or "").strip()
    if "@" in contact:
        email, phone = normalize_contact(email=contact)
    else:
        try:
            email, phone = normalize_contact(phone=contact)
        except ValidationError:
            raise ValidationError({"contact": _("Enter your email address or phone number.")}) from None
    contact = email or phone
    if contact in (question.contact_email, question.contact_phone):
        raise ApplicationError(_("This is your own question."))
    support = Support.objects.filter(question=question, contact=contact).first()
    if support is not None and support.confirmed_at is not None:
        raise ApplicationError(_("You have already supported this question."))
    if support is None:
        support = Support.objects.create(question=question, contact=contact)
    signed = signing.dumps(support.pk, salt=SUPPORT_SALT)
    language = translation.get_language() or "kk"
    with translation.override(language):
        link = _site_url(reverse("questions:support_confirm", kwargs={"signed": signed}))
        body = "\n\n".join([gettext("Confirm that you have the same question:"), link])
        subject = gettext("Confirm your support")
    question_message_send(
        email=email,
        phone=phone,
        subject=subject,
        body=body,
        kind="questions.support_confirmation",
        language=language[:2],
        dedupe_key=f"questions:support:{support.pk}:{uuid.uuid4().hex}",
    )
    return support


@transaction.atomic
def question_support_confirm(*, signed: str) -> Support:
    try:
        pk = signing.loads(signed, salt=SUPPORT_SALT, max_age=timedelta(days=settings.QUESTIONS_CONFIRMATION_DAYS))
    except signing.BadSignature:
        raise ApplicationError(_("This confirmation link is not valid.")) from None
    support = Support.objects.select_related("question").filter(pk=pk).first()
    if support is None:
        raise ApplicationError(_("This confirmation link is not valid."))
    if support.confirmed_at is None:
        _lock(support.question)
        support.confirmed_at = timezone.now()
        support.save(update_fields=["confirmed_at"])
        _recount_supports(support.question)
    return support


# --- Personal data: shown to staff on request, masked in the public copies -------------------

PERSONAL_FIELDS = ("contact_email", "contact_phone", "full_name", "postal_address", "iin")
# The originals and their public copies (core/masking.py: which fields have one, and why).
PUBLIC_COPIES = {
    Question: {"text": "text_public", "answer_text": "answer_public", "forwarded_to": "forwarded_to_public"},
    QuestionEvent: {"note": "note_public"},
}


@transaction.atomic
def question_personal_data_reveal(*, question: Question, actor: User) -> dict[str, str]:
    """The author's contact and, for an official appeal, full name, postal address and IIN,
    for staff who act on the question: the workspace shows them only after this step, and
    each time it is recorded for the audit trail (who, when, which question, which fields)."""
    _require(permissions.can_see_private(actor, question))
    shown = {name: getattr(question, name) for name in PERSONAL_FIELDS}
    personal_data_access_record(
        actor=actor,
        kind=PersonalDataAccess.Kind.QUESTION_AUTHOR,
        subject=question,
        fields=[name for name, value in shown.items() if value],
    )
    return shown


def questions_remask_public_text(*, batch_size: int = 1000) -> dict[str, RemaskCount]:
    """Write every public copy again with the current masking rules (manage.py
    remask_public_text): rows whose copy would not change are not written."""
    return {
        model._meta.label: remask_table(model, copies, batch_size=batch_size) for model, copies in PUBLIC_COPIES.items()
    }


# --- Personal data retention --------------------------------------------------------------

CLOSED_STATUSES = (S.ANSWERED, S.REJECTED, S.WITHDRAWN, S.EXPIRED, S.FORWARDED)


def questions_anonymise_closed(*, now: datetime) -> int:
    """Erase the author's personal data from questions closed longer than the retention period.

    The question, its masked text, answer, outcome and timeline stay: the figures journalists
    check must not change. What goes: name, email, phone, postal address, IIN and the link to
    the account. Safe to run again: an erased question is not touched twice.
    """
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    with transaction.atomic():
        return Question.objects.filter(
            status__in=CLOSED_STATUSES, updated_at__lt=cutoff, anonymised_at__isnull=True
        ).update(
            author_name="",
            contact_email="",
            contact_phone="",
            full_name="",
            postal_address="",
            iin="",
            author=None,
            feedback="",
            anonymised_at=now,
        )


# --- Scheduled jobs: reminders, the staff digest, the satisfaction follow-up ------------------
# Each job only queues messages with dedupe keys; running one twice, or on two workers at
# once, sends nothing twice. Dates are local (Asia/Almaty) and count Kazakhstan's working days.

OFFICER_REMINDER_WORKING_DAYS = 2
FEEDBACK_AFTER = timedelta(days=3)
# A follow-up is not sent for answers older than this (e.g. the first run after a deploy).
FEEDBACK_WINDOW = timedelta(days=14)


def _staff_url(question: Question, language: str) -> str:
    with translation.override(language):
        return _site_url(reverse("questions:staff_detail", kwargs={"pk": question.pk}))


def questions_officer_reminders_enqueue(*, today: date) -> int:
    """Remind the officer in charge (or every officer of the department) 2 working days before
    an answer is due. A day the job did not run is caught up the next day."""
    limit = working_days_after(today, OFFICER_REMINDER_WORKING_DAYS)
    questions = Question.objects.filter(
        status__in=(S.ACCEPTED, S.ASSIGNED), due_on__gte=today, due_on__lte=limit, department__isnull=False
    ).select_related("unit", "category", "department", "officer")
    officers_by_department: dict[int, list[User]] = {}
    for role in StaffRole.objects.filter(
        role=StaffRole.Role.DEPARTMENT_OFFICER,
        department_id__in={q.department_id for q in questions},
        user__is_active=True,
    ).select_related("user"):
        officers_by_department.setdefault(role.department_id, []).append(role.user)
    messages = []
    for question in questions:
        recipients = [question.officer] if question.officer else officers_by_department.get(question.department_id, [])
        for officer in recipients:
            if not officer.email:
                continue
            language = officer.preferred_language
            with translation.override(language):
                context = {
                    "number": question.pk,
                    "territory": str(question.unit.name),
                    "category": str(question.category.name),
                    "due": formats.date_format(question.due_on, "SHORT_DATE_FORMAT"),
                    # An email leaves the workspace: it carries the public copy, not the original
                    # (its markers read in the officer's language when the message is rendered).
                    "excerpt": question.text_public[:300],
                    "staff_url": _staff_url(question, language),
                }
            messages.append(
                {
                    "kind": "questions.officer_due_soon",
                    "language": language,
                    "dedupe_key": f"questions:{question.pk}:due-soon:{question.due_on}:{officer.pk}",
                    "context": context,
                    "email": officer.email,
                    "user": officer,
                }
            )
    with transaction.atomic():
        return notification_enqueue_many(messages=messages)


def questions_staff_digest_enqueue(*, today: date) -> int:
    """One message a day to each akimat staff member instead of one per event: new questions
    waiting for triage, answers due within 2 working days, and the overdue ones (the
    escalation), for the territories their roles cover. Nothing to report, nothing sent."""
    from accounts.permissions import covered_units_q

    limit = working_days_after(today, OFFICER_REMINDER_WORKING_DAYS)
    roles = StaffRole.objects.filter(role=StaffRole.Role.AKIMAT_STAFF, user__is_active=True).select_related("user")
    users = {role.user_id: role.user for role in roles if role.user.email}
    messages = []
    for user in users.values():
        mine = Question.objects.filter(covered_units_q(user, prefix="unit__"))
        new = mine.filter(status=S.NEW).count()
        due_soon = mine.filter(status__in=(S.ACCEPTED, S.ASSIGNED), due_on__gte=today, due_on__lte=limit).count()
        overdue = list(
            mine.filter(status__in=(S.NEW, S.ACCEPTED, S.ASSIGNED), due_on__lt=today)
            .select_related("unit", "department")
            .order_by("due_on", "pk")[:50]
        )
        if not (new or due_soon or overdue):
            continue
        language = user.preferred_language
        with translation.override(language):
            context = {
                "day": formats.date_format(today, "SHORT_DATE_FORMAT"),
                "new": new,
                "due_soon": due_soon,
                "overdue": [
                    {
                        "number": q.pk,
                        "territory": str(q.unit.name),
                        "department": str(q.department.name) if q.department else "—",
                        "due": formats.date_format(q.due_on, "SHORT_DATE_FORMAT"),
                        "url": _staff_url(q, language),
                    }
                    for q in overdue
                ],
                "workspace_url": _site_url(reverse("questions:staff")),
            }
        messages.append(
            {
                "kind": "questions.staff_digest",
                "language": language,
                "dedupe_key": f"questions:digest:{user.pk}:{today}",
                "context": context,
                "email": user.email,
                "user": user,
            }
        )
    with transaction.atomic():
        return notification_enqueue_many(messages=messages)


def questions_feedback_requests_enqueue(*, now: datetime) -> int:
    """Three days after an answer, ask the author whether it helped (once per answer)."""
    questions = Question.objects.filter(
        status=S.ANSWERED,
        satisfied__isnull=True,
        answered_at__lte=now - FEEDBACK_AFTER,
        answered_at__gt=now - FEEDBACK_AFTER - FEEDBACK_WINDOW,
    ).select_related("author")
    messages = []
    for question in questions:
        if not (question.contact_email or question.contact_phone):
            continue
        with translation.override(question.language):
            context = {"name": question.author_name, "tracking_url": _site_url(question.get_tracking_url())}
        messages.append(
            {
                "kind": "questions.feedback_request",
                "language": question.language,
                "dedupe_key": f"questions:{question.pk}:feedback-request:{question.answered_at.isoformat()}",
                "context": context,
                "email": question.contact_email,
                "phone": question.contact_phone,
                "user": question.author,
            }
        )
    with transaction.atomic():
        return notification_enqueue_many(messages=messages)


@transaction.atomic
def question_expire_unconfirmed(*, now: datetime | None = None) -> int:
    """Unconfirmed questions older than the confirmation period expire (safe to run twice)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.QUESTIONS_CONFIRMATION_DAYS)
    ids = list(
        Question.objects.select_for_update()
        .filter(status=S.SUBMITTED, created_at__lt=cutoff)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    Question.objects.filter(pk__in=ids).update(status=S.EXPIRED, updated_at=now)
    QuestionEvent.objects.bulk_create(
        QuestionEvent(question_id=pk, kind=E.EXPIRED, at=now, from_status=S.SUBMITTED, to_status=S.EXPIRED)
        for pk in ids
    )
    return len(ids)


# --- Action plans (reports) -----------------------------------------------------------------


@transaction.atomic
def question_resolve_by_plan(*, question: Question, actor: User, item: dict) -> Question:
    """A question answered as "planned" becomes resolved when its action-plan item is done.

    Called by reports.services.action_item_complete with the item as a core.events reference
    (its title in both languages); the event says which item did it and the author is told in
    their language.
    """
    _lock(question)
    _require(permissions.can_manage(actor, question))
    _require_status(question, (S.ANSWERED,), _("Only answered questions can be resolved by a plan."))
    if question.outcome != Question.Outcome.PLANNED:
        raise ApplicationError(_("Only questions answered as planned can be resolved by a plan."))
    question.outcome = Question.Outcome.RESOLVED
    question.save(update_fields=["outcome", "updated_at"])
    event = question_event_record(
        question=question,
        kind=E.ANSWERED,
        actor=actor,
        from_status=S.ANSWERED,
        data={"outcome": Question.Outcome.RESOLVED, "action_item": item},
    )
    with translation.override(question.language):
        _tell_author(question, gettext("The work on your question is done"), [event.summary])
    return question
