"""Keyset ("cursor") pagination: pages of a long list without COUNT(*) and without OFFSET.

A page is found from the row it follows: "older than (created_at, id)" or "newer than it",
so page 5,000 costs what page 1 costs, and no count of the whole list is ever needed. The
ordering is a key field and the primary key, both in the same direction: the primary key
makes it total, so rows with the same timestamp are neither skipped nor shown twice.

The cursor is plain (nothing in it is secret: it only says where a public list continues),
URL-safe, and validated: a cursor that does not decode raises InvalidCursor, which the page
turns into a message and the API into a 400.

Every list of the API pages this one way (KeysetCursorPagination): `cursor` and `page_size`
in, `{next, previous, results}` out. A list that is not a queryset with a key (the rows of an
open dataset) walks by position instead (`offset_page`), behind the same opaque cursor.
"""

import base64
import binascii
import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

NEWEST_FIRST = ("-created_at", "-pk")
INVALID_CURSOR_MESSAGE = _("This page link is broken or out of date. Here is the first page.")
INVALID_CURSOR_API_MESSAGE = _("Invalid cursor: use the links in “next” and “previous”.")

_CURSOR = re.compile(r"^([ab])\|([0-9A-Za-z_T:./+\-]{1,255})\|([0-9]{1,18})$")
_OFFSET = re.compile(r"^o\|([0-9]{1,12})$")


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (further along the ordering) or before a row."""

    after: bool
    value: object
    pk: int

    def encode(self) -> str:
        value = self.value.isoformat() if hasattr(self.value, "isoformat") else str(self.value)
        text = f"{'a' if self.after else 'b'}|{value}|{self.pk}"
        return _encode(text)

    @classmethod
    def decode(cls, raw: str, key_field) -> "Cursor":
        match = _CURSOR.match(_decode(raw))
        if match is None:
            raise InvalidCursor(raw)
        try:
            value = key_field.to_python(match[2])
        except (ValidationError, ValueError, OverflowError) as error:
            raise InvalidCursor(raw) from error
        if value is None:
            raise InvalidCursor(raw)
        return cls(after=match[1] == "a", value=value, pk=int(match[3]))


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(raw: str) -> str:
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
    except (binascii.Error, ValueError) as error:
        raise InvalidCursor(raw) from error


class _KeyField:
    """The model field the list is ordered by, with what a cursor needs of it."""

    def __init__(self, model: type[Model], name: str):
        self.name = name
        self.field = model._meta.get_field(name)

    def to_python(self, text: str):
        value = self.field.to_python(text)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidCursor(text)  # a time without its offset is ambiguous: refuse it
            value = value.astimezone(UTC)  # OverflowError at the ends of the calendar, here, not in SQL
        return value


@dataclass
class KeysetPage:
    """One page: its rows, and the cursors of the pages before and after it (None at the ends)."""

    items: list
    previous: str | None = None
    next: str | None = None
    ordering: tuple[str, str] = field(default=NEWEST_FIRST)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous or self.next)


def offset_page(rows, *, cursor: str | None, size: int) -> KeysetPage:
    """A page of any iterable by position, behind the same kind of cursor ("o|<offset>")."""
    start = 0
    if cursor:
        match = _OFFSET.match(_decode(cursor))
        if match is None:
            raise InvalidCursor(cursor)
        start = int(match[1])
    window = list(itertools.islice(rows, start, start + size + 1))
    items = window[:size]
    return KeysetPage(
        items=items,
        previous=_encode(f"o|{max(start - size, 0)}") if start > 0 else None,
        next=_encode(f"o|{start + size}") if len(window) > size else None,
    )


def _split(ordering: tuple[str, str]) -> tuple[str, bool]:
    key, tie = ordering
    if tie.lstrip("-") not in ("pk", "id") or key.startswith("-") != tie.startswith("-") or "__" in key:
        raise ValueError(f"Keyset ordering must be (field, pk) in one direction, not {ordering!r}")
    return key.lstrip("-"), key.startswith("-")


def _beyond(key: str, descending: bool, cursor: Cursor) -> Q:
    """Rows after the cursor's row in the walking direction.

    Written as `key <= v AND (key < v OR pk < p)` rather than the plain OR: the first part is a
    range the database can read from the key's index (PostgreSQL does not use an index for
    `key < v OR (key = v AND pk < p)` and scans everything older).
    """
    forward = cursor.after
    lower = descending == forward  # walking towards smaller values
    op = "lt" if lower else "gt"
    return Q(**{f"{key}__{op}e": cursor.value}) & (Q(**{f"{key}__{op}": cursor.value}) | Q(**{f"pk__{op}": cursor.pk}))


# A sparse list (a search) first looks this far along its key from where the page starts.
SPARSE_WINDOW = timedelta(days=7)


def _sparse_ids(queryset: QuerySet, key: str, order: tuple[str, str], start, limit: int) -> list:
    """The first `limit` ids of a list filtered by a condition its key's index cannot test (a
    full-text match), in two bounded steps and with no planner setting forced:

    1. the rows within SPARSE_WINDOW of where the page starts, walked in order by the key's
       index: a common word fills the page here, and nothing further can come before them;
    2. otherwise all matches, ordered by an expression no index matches, so that the planner
       takes them from the condition's own index and sorts only them.

    With a plain "ORDER BY key LIMIT n" the planner bets on an estimate of how many rows
    match; for a word outside its statistics it walks the key's index through the whole table.
    """
    lower = order[0].startswith("-")
    if start is not None or lower:
        start = timezone.now() if start is None else start
        window = Q(**{f"{key}__gte": start - SPARSE_WINDOW}) if lower else Q(**{f"{key}__lte": start + SPARSE_WINDOW})
        ids = list(queryset.filter(window).order_by(*order).values_list("pk", flat=True)[:limit])
        if len(ids) == limit:
            return ids
    expression = Coalesce(key, key)
    unindexed = (expression.desc(), "-pk") if lower else (expression.asc(), "pk")
    return list(queryset.order_by(*unindexed).values_list("pk", flat=True)[:limit])


def keyset_page(
    queryset: QuerySet,
    *,
    cursor: str | None,
    size: int,
    ordering: tuple[str, str] = NEWEST_FIRST,
    sparse: bool = False,
) -> KeysetPage:
    """The page of `queryset` that `cursor` points to (the first page for None or "").

    One query; two when a "previous" cursor reaches the start of the list, which then shows
    the first page whole rather than the few rows left before the cursor. `sparse`: the
    queryset is a search, whose matches the key's index cannot find (see _sparse_ids); two or
    three queries.
    Raises InvalidCursor for a cursor that does not decode.
    """
    key, descending = _split(ordering)
    key_field = _KeyField(queryset.model, key)
    position = Cursor.decode(cursor, key_field) if cursor else None
    forward_order = (f"-{key}", "-pk") if descending else (key, "pk")
    backward_order = (key, "pk") if descending else (f"-{key}", "-pk")

    def fetch(queryset: QuerySet, order: tuple[str, str]) -> list:
        # The page's ids first (a narrow query an index can answer alone), then its rows with
        # their joins: the joins run for the page, not for every row the database sorts.
        if sparse:
            ids = _sparse_ids(queryset, key, order, position.value if position else None, size + 1)
        else:
            ids = queryset.order_by(*order).values("pk")[: size + 1]
        return list(queryset.filter(pk__in=ids).order_by(*order))

    def encode(row, after: bool) -> str:
        return Cursor(after=after, value=getattr(row, key), pk=row.pk).encode()

    if position is None or position.after:
        rows = fetch(queryset.filter(_beyond(key, descending, position)) if position else queryset, forward_order)
        items = rows[:size]
        has_next = len(rows) > size
        has_previous = position is not None
    else:
        rows = fetch(queryset.filter(_beyond(key, descending, position)), backward_order)
        if len(rows) <= size:
            # Nothing before these rows: this is the start of the list, show the first page.
            return keyset_page(queryset, cursor=None, size=size, ordering=ordering)
        items = list(reversed(rows[:size]))
        has_next, has_previous = True, True
    return KeysetPage(
        items=items,
        previous=encode(items[0], after=False) if has_previous and items else None,
        next=encode(items[-1], after=True) if has_next and items else None,
        ordering=ordering,
    )


def keyset_page_of_request(
    request, queryset: QuerySet, *, size: int, ordering: tuple[str, str] = NEWEST_FIRST, sparse: bool = False
) -> tuple[KeysetPage, str | None]:
    """The page a list's `?cursor=` points to, and a message when the cursor was refused.

    A broken or stale cursor is not an error page: the first page, with a message saying so.
    """
    from core import query

    cursor = request.GET.get("cursor")
    try:
        page = keyset_page(queryset, cursor=cursor, size=size, ordering=ordering, sparse=sparse)
    except InvalidCursor:
        query.record(request, refused=["cursor"])
        first = keyset_page(queryset, cursor=None, size=size, ordering=ordering, sparse=sparse)
        return first, INVALID_CURSOR_MESSAGE
    query.record(request, accepted=["cursor"] if cursor is not None else [])
    return page, None


PAGE_SIZE_MESSAGE = _("Enter a whole number of rows per page, from 1 to %(max)s.")


class StrictPageSizeMixin:
    """DRF ignores a `page_size` it cannot read and serves the default, and serves one above
    the maximum at the maximum: a client asking for `page_size=-5` or `1000` should hear that it
    was refused (400, with the range), not guess from the length of the page."""

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param) if self.page_size_query_param else None
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 18 and 0 < int(raw) <= self.max_page_size):
            message = PAGE_SIZE_MESSAGE % {"max": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(raw)


class KeysetCursorPagination(StrictPageSizeMixin, CursorPagination):
    """DRF's cursor pagination (same `cursor` parameter and next / previous / results body),
    with a true keyset: the position is the ordering key and the primary key together."""

    ordering: tuple[str, str] | None = NEWEST_FIRST  # None: by position (offset_page)
    page_size = api_settings.PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = INVALID_CURSOR_API_MESSAGE
    # Set by a view whose queryset is a search (see keyset_page).
    sparse = False

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        cursor = request.query_params.get(self.cursor_query_param)
        try:
            if cursor == "":
                raise InvalidCursor(cursor)  # given but empty: a 400 like any empty filter
            if self.ordering is None:
                self.keyset = offset_page(queryset, cursor=cursor, size=self.page_size)
            else:
                self.keyset = keyset_page(
                    queryset, cursor=cursor, size=self.page_size, ordering=tuple(self.ordering), sparse=self.sparse
                )
        except InvalidCursor:
            raise exceptions.ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        self.display_page_controls = self.keyset.has_other_pages
        return self.keyset.items

    def _link(self, cursor: str | None) -> str | None:
        return replace_query_param(self.base_url, self.cursor_query_param, cursor) if cursor else None

    def get_next_link(self) -> str | None:
        return self._link(self.keyset.next)

    def get_previous_link(self) -> str | None:
        return self._link(self.keyset.previous)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: copy it from the `next` or `previous` link.",
                "schema": {"type": "string", "minLength": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def cursor_pagination(*ordering: str) -> type[KeysetCursorPagination]:
    """The API's pagination for a list in this order (a key and the primary key, one direction);
    no ordering: by position (a list that is not a queryset)."""
    return type("KeysetCursorPagination", (KeysetCursorPagination,), {"ordering": tuple(ordering) or None})
