"""What every API view shares: the error body, pagination and public text."""

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError
from core.masking import render_masked
from core.pagination import StrictPageSizeMixin


class Pagination(StrictPageSizeMixin, PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


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
        return Response(body, status=exc.status_code, headers=headers)

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


class PublicTextField(serializers.CharField):
    """A masked text (a public copy, a report's text) for the reader: its markers become
    "[IIN hidden]" and the like in the request's language (core/masking.py)."""

    def to_representation(self, value) -> str:
        return render_masked(super().to_representation(value))
