"""Which query-string parameters a view reads, found by asking it rather than by reading code.

Inside `recording_query_reads()` every request's `request.GET` (and so DRF's `query_params`,
and the forms bound to them) is a QueryDict that notes each key a view, a form or a serializer
asks for. A route that starts reading a new parameter is seen the day it does.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
from django.http import QueryDict


@contextmanager
def recording_query_reads() -> Iterator[set[str]]:
    """Yields the set of keys read so far; clear it between requests."""
    reads: set[str] = set()

    class RecordingQueryDict(QueryDict):
        recording = False  # parsing the query string asks for keys too: not a view's reads

        def _note(self, key) -> None:
            if self.recording:
                reads.add(key)

        def __getitem__(self, key):
            self._note(key)
            return super().__getitem__(key)

        def get(self, key, default=None):
            self._note(key)
            return super().get(key, default)

        def getlist(self, key, default=None):
            self._note(key)
            return super().getlist(key, default)

        def __contains__(self, key):
            self._note(key)
            return super().__contains__(key)

    def recorded_get(request: WSGIRequest) -> QueryDict:
        if "_recorded_get" not in request.__dict__:
            raw = get_bytes_from_wsgi(request.environ, "QUERY_STRING", "")
            query = RecordingQueryDict(raw, encoding=request._encoding)
            query.recording = True
            request.__dict__["_recorded_get"] = query
        return request.__dict__["_recorded_get"]

    original = WSGIRequest.__dict__["GET"]
    WSGIRequest.GET = property(recorded_get)
    try:
        yield reads
    finally:
        WSGIRequest.GET = original
