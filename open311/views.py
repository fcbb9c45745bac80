"""Open311 GeoReport v2 at /open311/v2/ (https://wiki.open311.org/GeoReport_v2).

Services are the question categories; a service request is a published question; a posted
request becomes a question awaiting its author's confirmation (open311.services). Every answer,
errors included, is JSON or XML as the URL's extension says; an error is the spec's error list
(`[{"code": 404, "description": …}]`, `<errors><error>…`) in the request's language: `?locale=kk|ru`,
else the Accept-Language header, else Kazakh.
"""

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation, ValidationError
from django.core.signals import got_request_exception
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from core.errors import ApplicationError
from core.masking import render_masked
from core.ratelimit import RateLimitExceeded
from core.views import SERVER_ERROR, UNAVAILABLE, is_connection_problem
from districts.models import AdministrativeUnit
from open311 import selectors, services
from open311.formats import respond
from questions.models import Question

logger = logging.getLogger(__name__)
MAX_ID = 2**63 - 1
MAX_SPAN = timedelta(days=90)  # the spec's default range, and the widest one a request may ask for
EARLIEST, LATEST = datetime.min.replace(tzinfo=UTC) + MAX_SPAN, datetime.max.replace(tzinfo=UTC) - MAX_SPAN
LOCALE = re.compile(r"^(kk|ru)([-_][A-Za-z]{2})?$")
CHANGESET = "2026-12-07T00:00:00+05:00"  # when this endpoint last changed (discovery's changeset)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions, headers: dict | None = None) -> None:
        super().__init__(*descriptions)
        self.status, self.descriptions, self.headers = status, [str(d) for d in descriptions], headers


def _errors_response(fmt: str, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.status, "description": description} for description in error.descriptions]
    return respond(fmt, "errors", errors, status=error.status, headers=error.headers)


# Service's field names → the spec's, so an error names what the client sent.
FIELDS = {
    "text": "description",
    "author_name": "first_name",
    "contact": "email",
    "contact_email": "email",
    "contact_phone": "phone",
    "category": "service_code",
    "unit": "jurisdiction_id",
}


def _validation_descriptions(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{FIELDS.get(field, field)}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


def _language(request: HttpRequest) -> str:
    value = request.GET.get("locale") or (request.POST.get("locale") if request.method == "POST" else None)
    if value is None:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return language if language in ("kk", "ru") else settings.LANGUAGE_CODE
    match = LOCALE.match(value)
    if not match:
        raise Open311Error(400, _("locale must be kk or ru."))
    return match.group(1)


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def open311_view(*methods: str) -> Callable:
    """Answer only `methods`, in the URL's format and the request's language; turn every refusal
    into the spec's error list with its status (400, 403, 404, 405, 429 with Retry-After)."""

    def decorator(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, fmt: str = "json", **kwargs) -> HttpResponse:
            with translation.override(translation.get_language()):
                try:
                    if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
                        allowed = ", ".join(methods)
                        raise Open311Error(405, _("Method not allowed."), headers={"Allow": allowed})
                    if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
                        raise Open311Error(400, _("A parameter holds a character no value may hold."))
                    translation.activate(_language(request))
                    return view(request, *args, fmt=fmt, **kwargs)
                except Open311Error as error:
                    return _errors_response(fmt, error)
                except RateLimitExceeded as refusal:
                    headers = {"Retry-After": str(refusal.retry_after)}
                    return _errors_response(fmt, Open311Error(429, refusal.message, headers=headers))
                except ValidationError as error:
                    return _errors_response(fmt, Open311Error(400, *_validation_descriptions(error)))
                except ApplicationError as error:
                    return _errors_response(fmt, Open311Error(error.status_code, error.message))
                except (BadRequest, SuspiciousOperation, MultiPartParserError):
                    # A body Django cannot read (malformed, too big, too many fields): as Django's 400.
                    return _errors_response(fmt, Open311Error(400, _("The request's body could not be read.")))
                except Exception as error:
                    # A bug or an outage: recorded as Django records it (the signal, the log),
                    # answered in the error list all the same, never with the site's HTML page.
                    got_request_exception.send(sender=None, request=request)
                    logger.exception("Open311: %s %s failed", request.method, request.path)
                    if isinstance(error, DatabaseError) and is_connection_problem(error):
                        outage = Open311Error(503, UNAVAILABLE, headers={"Retry-After": "30"})
                        return _errors_response(fmt, outage)
                    return _errors_response(fmt, Open311Error(500, SERVER_ERROR))

        return wrapped

    return decorator


# --- Parameters ----------------------------------------------------------------------------------


def _jurisdiction(data: QueryDict, *, required: bool = False) -> AdministrativeUnit | None:
    value = data.get("jurisdiction_id", "").strip()
    if not value:
        if required:
            raise Open311Error(400, _("jurisdiction_id was not provided."))
        return None
    unit = selectors.jurisdiction_find(value=value)
    if unit is None:
        raise Open311Error(404, _("jurisdiction_id not found: give a territory's slug or its KATO code."))
    return unit


def _list(data: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in data.get(name, "").split(",") if part.strip()]


def _ids(data: QueryDict) -> list[int]:
    values = _list(data, "service_request_id")
    valid = all(
        value.isascii() and value.isdigit() and len(value) <= 19 and 0 < int(value) <= MAX_ID for value in values
    )
    if len(values) > settings.OPEN311_MAX_REQUESTS or not valid:
        raise Open311Error(400, _("service_request_id must be request numbers separated by commas."))
    return [int(value) for value in values]


def _datetime(data: QueryDict, name: str) -> datetime | None:
    value = data.get(name, "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, time.min)
        if moment is not None:
            moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
            # In UTC, and 90 days either side, it must still be a date (not year 0 or 10000).
            if not EARLIEST <= moment.astimezone(UTC) <= LATEST:
                moment = None
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise Open311Error(
            400, _("%(name)s must be a date and time such as 2026-01-31T00:00:00+05:00.") % {"name": name}
        )
    return moment


def _period(data: QueryDict) -> tuple[datetime, datetime]:
    start, end = _datetime(data, "start_date"), _datetime(data, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if start > end:
        raise Open311Error(400, _("start_date must not be after end_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not be more than 90 days apart."))
    return start, end


def _statuses(data: QueryDict) -> list[str]:
    statuses = _list(data, "status")
    if any(status not in selectors.STATUSES for status in statuses):
        raise Open311Error(400, _("status must be open, closed or both, separated by a comma."))
    return statuses


def _services(data: QueryDict) -> list:
    codes = list(dict.fromkeys(_list(data, "service_code")))
    found = selectors.services_find(codes=codes)
    for code in codes:
        if code not in found:
            raise Open311Error(404, _("service_code not found: %(code)s.") % {"code": code[:50]})
    return list(found.values())


# --- What the answers hold -----------------------------------------------------------------------


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _service(category) -> dict:
    return {
        "service_code": category.slug,
        "service_name": category.name,
        "description": category.name,
        "metadata": False,
        # A token comes back at once; the request's number once the resident confirms it.
        "type": "batch",
        "keywords": "",
        "group": "",
    }


def _status_notes(question: Question) -> str:
    if question.status == Question.Status.ANSWERED:
        return f"{capfirst(question.get_outcome_display())}. {render_masked(question.answer_public)}".strip()
    if question.status == Question.Status.FORWARDED:
        return f"{capfirst(question.get_status_display())}: {render_masked(question.forwarded_to_public)}"
    return str(capfirst(question.get_status_display()))


def _address(unit: AdministrativeUnit) -> str:
    return ", ".join(part.name for part in (unit, unit.parent) if part is not None)


def _request(question: Question) -> dict:
    """A published question as a GeoReport request: public copies only, never the author."""
    expected = None
    if question.due_on and question.status in selectors.OPEN:
        expected = _moment(timezone.make_aware(datetime.combine(question.due_on, time(23, 59, 59))))
    return {
        "service_request_id": question.pk,
        "status": "open" if question.status in selectors.OPEN else "closed",
        "status_notes": _status_notes(question),
        "service_name": question.category.name,
        "service_code": question.category.slug,
        "description": render_masked(question.text_public),
        "agency_responsible": question.department.name if question.department else "",
        "service_notice": "",
        "requested_datetime": _moment(question.created_at),
        "updated_datetime": _moment(question.updated_at),
        "expected_datetime": expected,
        "address": _address(question.unit),
        "address_id": question.unit.kato or question.unit.slug,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


# --- The methods -----------------------------------------------------------------------------------


@open311_view("GET")
def discovery_view(request: HttpRequest, fmt: str) -> HttpResponse:
    root = (settings.SITE_URL + reverse("open311:root")).rstrip("/")  # clients append /services.json
    discovery = {
        "changeset": CHANGESET,
        "contact": gettext("The portal's administrators: %(url)s") % {"url": settings.SITE_URL},
        "key_service": gettext("API keys for posting are issued by the portal's administrators: %(url)s")
        % {"url": settings.SITE_URL},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": root,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", discovery)


@open311_view("GET")
def services_view(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    return respond(fmt, "services", [_service(category) for category in selectors.services_offered()])


@open311_view("GET")
def service_definition_view(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _jurisdiction(request.GET)
    service = selectors.service_find(code=code)
    if service is None:
        raise Open311Error(404, _("service_code not found: %(code)s.") % {"code": code[:50]})
    # Questions ask nothing beyond the description: no attributes (metadata is false).
    return respond(fmt, "service_definition", {"service_code": service.slug, "attributes": []})


@open311_view("GET", "POST")
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    data = request.GET
    unit = _jurisdiction(data)
    ids = _ids(data)
    if ids:
        found = selectors.service_requests(ids=ids, unit=unit, limit=settings.OPEN311_MAX_REQUESTS)
    else:
        start, end = _period(data)
        found = selectors.service_requests(
            unit=unit,
            categories=_services(data),
            statuses=_statuses(data),
            start=start,
            end=end,
            limit=settings.OPEN311_MAX_REQUESTS,
        )
    return respond(fmt, "service_requests", [_request(question) for question in found])


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    raw_key = data.get("api_key") or request.GET.get("api_key", "")
    if not raw_key:
        raise Open311Error(403, _("api_key was not provided."))
    api_key = selectors.api_key_active(raw_key=raw_key)
    if api_key is None:
        raise Open311Error(403, _("Invalid api_key received: it is unknown or was revoked."))
    unit = _jurisdiction(data, required=True)
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    service = selectors.service_find(code=code)
    if service is None:
        raise Open311Error(404, _("service_code not found: %(code)s.") % {"code": code[:50]})
    author_name = " ".join(
        part for part in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if part
    )
    submission = services.service_request_post(
        api_key=api_key,
        unit=unit,
        category=service,
        description=data.get("description", ""),
        language=translation.get_language(),
        author_name=author_name,
        email=data.get("email", ""),
        phone=data.get("phone", ""),
    )
    notice = gettext(
        "We sent a confirmation link and code to the email or phone given. The request is registered once"
        " its author confirms it; then tokens/%(token)s gives its service_request_id."
    ) % {"token": submission.token}
    body = [{"token": submission.token, "service_notice": notice, "account_id": None}]
    return respond(fmt, "service_requests", body, status=201)


@open311_view("GET")
def request_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    unit = _jurisdiction(request.GET)
    question = selectors.service_request_find(pk=pk, unit=unit) if 0 < pk <= MAX_ID else None
    if question is None:
        raise Open311Error(404, _("No published service request has this service_request_id."))
    return respond(fmt, "service_requests", [_request(question)])


# The statuses a posted question reaches only once its author has confirmed it.
UNCONFIRMED = (Question.Status.SUBMITTED, Question.Status.EXPIRED)


@open311_view("GET")
def token_view(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    submission = selectors.submission_find(token=token)
    if submission is None:
        raise Open311Error(404, _("No service request was posted with this token."))
    question = submission.question
    confirmed = question.status not in UNCONFIRMED and question.registered_on is not None
    body = [{"service_request_id": question.pk if confirmed else None, "token": submission.token}]
    return respond(fmt, "service_requests", body)


@csrf_exempt
def unknown_route_view(request: HttpRequest) -> HttpResponse:
    """Any other path under /open311/: the error list, in XML when the path asks for it."""
    fmt = "xml" if request.path.endswith(".xml") else "json"
    with translation.override(translation.get_language()):
        try:
            translation.activate(_language(request))
        except Open311Error as error:
            return _errors_response(fmt, error)
        description = _("No such Open311 method. The methods are listed at /open311/v2/discovery.json.")
        return _errors_response(fmt, Open311Error(404, description))
