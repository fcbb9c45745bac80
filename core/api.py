"""What every API view shares: the error body and its documentation, pagination and public text.

The OpenAPI schema is the contract (DESIGN.md): `AutoSchema` documents on every operation the
errors it can answer, all in the one shape of `ErrorSerializer`, so that no handler has to
remember them: 400 where there is input, 403 where a session is needed or a write is made
(CSRF), 404 where the path names a row, 409 for a write the row's state refuses, 415 where a
body is read, and 429 with Retry-After everywhere (every view is throttled).
"""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError
from core.masking import render_masked

MAX_ID = 2**63 - 1  # a PostgreSQL bigint


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.Filter):
    """An id: a whole number from 1 to the largest primary key. Anything else (1e39, 2.5, a
    number past the database's integers) is refused with a 400, not read as "no such row"."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _StrictBooleanField(forms.NullBooleanField):
    widget = forms.TextInput  # the select widget turns anything it does not know into "unknown"

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value):
        pass


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.BooleanFilter):
    """true or false (1 or 0); anything else is a 400, not "no filter"."""

    field_class = _StrictBooleanField


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every expected error into {"message": …, "errors": {…}} in the request's language.

    Anything else returns None and becomes a 500 (handler500 answers it in the same shape):
    that is a bug to fix, not a body to shape.
    """
    # Every error is JSON, whatever renderer the view or the client preferred (the schema's
    # YAML, the browsable API's HTML, an unknown `?format=`).
    request = context.get("request")
    if request is not None:
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, ApplicationError):
        body = {"message": str(exc.message), "errors": {}, **exc.extra}
        retry_after = getattr(exc, "retry_after", None)
        headers = {"Retry-After": str(retry_after)} if retry_after else None
        # A broken business rule is the row's state refusing a well-formed request ("only new
        # questions can be accepted"): 409 Conflict, so that a client can tell it from bad input.
        code = status.HTTP_409_CONFLICT if exc.status_code == status.HTTP_400_BAD_REQUEST else exc.status_code
        return Response(body, status=code, headers=headers)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"message": str(_("The request has errors; nothing was changed.")), "errors": errors}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"message": str(detail), "errors": {}}
    if response.status_code >= status.HTTP_500_INTERNAL_SERVER_ERROR:  # pragma: no cover
        return None
    return response


class TextField(serializers.CharField):
    """A text that may be empty: a translation never written (modeltranslation stores None)
    reads as "", like any empty text, so that the schema's `string` holds."""

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return "" if value is None else value


class PublicTextField(TextField):
    """A masked text (a public copy, a report's text) for the reader: its markers become
    "[IIN hidden]" and the like in the request's language (core/masking.py)."""

    def to_representation(self, value) -> str:
        return render_masked(super().to_representation(value))


class ErrorSerializer(serializers.Serializer):
    """The one error body under /api/, in the request's language."""

    message = serializers.CharField(help_text="What went wrong, in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field of the request (empty when the error is not about one field).",
    )


RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 1},
        "description": "Seconds to wait before trying again.",
        "required": True,
    }
}

ERROR_DESCRIPTIONS = {
    "400": "The request has errors (a field, a filter, a page size or a cursor); nothing was changed.",
    "403": "Not signed in, not allowed, or a write without its CSRF token.",
    "404": "No such row, or none the user may see.",
    "409": "The row's state does not allow this action now; nothing was changed.",
    "415": "The body is not JSON, a form or a multipart form.",
    "429": "Too many requests: wait for Retry-After seconds.",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with every error an operation can answer (see the module)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        view = self.view
        writes = method not in ("GET", "HEAD", "OPTIONS")
        signed_in = any(isinstance(p, IsAuthenticated) for p in view.get_permissions())
        has_path = "{" in self.path
        codes = {"400", "429"}
        if writes or signed_in:
            codes.add("403")
        if has_path:
            codes.add("404")
        if writes:
            codes |= {"409", "415"}
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for code in sorted(codes):
            if code in responses:
                responses[code]["description"] = ERROR_DESCRIPTIONS[code]
            else:
                responses[code] = {
                    "content": {"application/json": {"schema": error}},
                    "description": ERROR_DESCRIPTIONS[code],
                }
            if code == "429":
                responses[code]["headers"] = RETRY_AFTER
        return responses


BLANK_FILTER_MESSAGE = _("Give a value, or leave the filter out.")


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet where `?name=` (given, but empty) is refused with a 400, as in every other list
    of the API (DRF serializers refuse blanks), rather than read as "no filter"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        blank = [name for name in self.filters if self.data.get(name) == ""]
        for name in blank:
            self.form.add_error(name, BLANK_FILTER_MESSAGE)
        return valid and not blank


def _not_blank(schema: dict) -> None:
    """A string that must not be empty must not be only spaces either: DRF trims them first,
    so say so with a pattern (at least one character that is not a space)."""
    if (
        schema.get("type") == "string"
        and schema.get("minLength", 0) >= 1
        and not {"enum", "format", "pattern"} & set(schema)
    ):
        schema["pattern"] = r"\S"


def postprocess_schema(result: dict, generator, request, public) -> dict:
    """Once the schema is built: the paging parameters become one component each (documented
    once, referred to by every list), a string filter says it cannot be empty (an empty filter
    is a 400, see StrictFilterSet), and no required text may be blank."""
    shared = {}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            parameters = operation.get("parameters", []) if isinstance(operation, dict) else []
            for index, parameter in enumerate(parameters):
                if "$ref" in parameter or parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"enum", "minLength"} & set(schema):
                    schema["minLength"] = 1
                _not_blank(schema)
                if parameter["name"] in ("cursor", "page_size"):
                    name = "Cursor" if parameter["name"] == "cursor" else "PageSize"
                    shared[name] = parameter
                    parameters[index] = {"$ref": f"#/components/parameters/{name}"}
    if shared:
        result.setdefault("components", {}).setdefault("parameters", {}).update(shared)
    schemas = result.get("components", {}).get("schemas", {})
    for name, component in schemas.items():
        if name.endswith("Request"):
            for field in component.get("properties", {}).values():
                _not_blank(field)
    for name, fields in _ONE_OF_REQUIRED.items():
        if name in schemas:
            # Not as anyOf: generated clients (openapi-python-client) turn a model with anyOf
            # into an untyped body. Said in words, and the 400 is documented on every write.
            rule = f"At least one of {', '.join(f'`{field}`' for field in fields)} is required (400 otherwise)."
            schemas[name]["description"] = f"{schemas[name].get('description', '')} {rule}".strip()
    return result


# A Kazakhstan phone as core/phones.py reads it: +7 7XX…, 8 7XX…, 7 7XX… or 7XX…, with spaces,
# dashes and brackets anywhere.
_SEP = r"[\s()\-]*"
KZ_PHONE_PATTERN = rf"^{_SEP}(\+{_SEP}7|8|7)?{_SEP}7({_SEP}[0-9]){{9}}{_SEP}$"


class KzPhoneField(serializers.RegexField):
    def __init__(self, **kwargs):
        super().__init__(KZ_PHONE_PATTERN, **kwargs)


# Request components that need one of several fields ("an email or a phone"), by component name.
_ONE_OF_REQUIRED: dict[str, tuple[str, ...]] = {}


def one_of_required(*fields: str):
    """Class decorator: the request body must carry at least one of `fields`; the schema says so
    in the body's description (see postprocess_schema). The service checks it (a 400)."""

    def register(serializer_class):
        _ONE_OF_REQUIRED[serializer_class.__name__.removesuffix("Serializer") + "Request"] = fields
        return serializer_class

    return register


class InputSerializer(serializers.Serializer):
    """A request body or query. DRF's CharField takes a number for its digits (`{"reason": 5}`
    becomes "5"); the schema says string, so a value of another type is a 400 here."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            wrong = {
                name: [serializers.CharField.default_error_messages["invalid"]]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField) and data.get(name) is not None
                and not isinstance(data[name], str)
            }  # fmt: skip
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)


class FilterSerializer(InputSerializer):
    """Query-string filters. DRF reads `?territory=` as "not given" (the rule of HTML forms);
    the API refuses it with a 400 instead, as StrictFilterSet does, so that an empty filter never
    silently means "everything"."""

    def to_internal_value(self, data):
        blank = {name: [BLANK_FILTER_MESSAGE] for name in self.fields if name in data and data.get(name) == ""}
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)

    def validate(self, attrs: dict) -> dict:
        self._matches_nothing = any(value is NO_MATCH for value in attrs.values())
        return {name: value for name, value in attrs.items() if value is not NO_MATCH}

    @property
    def matches_nothing(self) -> bool:
        """A filter named a row that does not exist (SlugRefFilter, IdRefFilter): the list is empty."""
        return getattr(self, "_matches_nothing", False)


class _NoMatch:
    """A filter naming a row that does not exist: the list is empty (as with an id filter)."""

    def __repr__(self) -> str:
        return "NO_MATCH"


NO_MATCH = _NoMatch()


class _RefFilterMixin:
    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if getattr(error, "get_codes", None) and error.get_codes() == ["does_not_exist"]:
                return NO_MATCH
            raise


class SlugRefFilter(_RefFilterMixin, serializers.SlugRelatedField):
    """A filter by a row's slug; one that names no row matches nothing (an empty page, not a
    400): a filter is a question ("meetings of X?"), and the answer is "none"."""


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdRefFilter(_RefFilterMixin, serializers.PrimaryKeyRelatedField):
    """A filter by a row's id; one that names no row matches nothing (see SlugRefFilter). An id
    no row could have (0, 2.5, past the database's integers) is a 400, as IdFilter says."""

    def to_internal_value(self, data):
        serializers.IntegerField(min_value=1, max_value=MAX_ID).run_validation(data)
        return super().to_internal_value(data)
