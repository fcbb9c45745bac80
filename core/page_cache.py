"""Whole pages for anonymous readers, cached under a version of the data they show.

A journalist's list page costs tens of milliseconds to build and is the same for every
anonymous reader until its data changes. The key holds the language, the path, the query
parameters the page reads and a version read from the data (one indexed query), so a change
shows at once; the timeout only bounds what the version does not see (a territory renamed,
say).

The key is normalised so that nobody can make the server build a page anew at will: the
parameters the page does not read are left out, the others are taken in a fixed order with
the value the page uses (the last one) and none when empty — `?b=2&a=1&utm=x` is `?a=1&b=2`.
A cookie does not bypass the cache either: only a signed-in user, or a request carrying flash
messages, is served a page built for them. Nothing personal is cached: neither is any response
that sets a cookie or is not a 200.
"""

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # A session cookie that names no session (made up, expired) loads as an anonymous user;
    # reading it costs one indexed query, what the cached page saves is the whole page.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # Flash messages are shown once, to their reader (len() leaves them unread).
    return "messages" not in request.COOKIES or not len(get_messages(request))


def cache_key_query(request: HttpRequest, reads: Iterable[str]) -> str:
    """The query string as the page reads it: its own parameters, sorted, last value, no empties."""
    pairs = sorted((name, request.GET[name]) for name in set(reads) if request.GET.get(name, ""))
    return urlencode(pairs)


def anonymous_page_cache(version: Callable[[], str], *, reads: Iterable[str] = ()):
    """Cache the view's 200s for anonymous readers; `reads` names every query parameter the view
    (its form, serializer or paginator) reads: any other is left out of the key."""
    reads = tuple(reads)

    def decorator(view):
        name = getattr(view, "view_class", view).__qualname__

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not settings.PUBLIC_PAGE_CACHE_SECONDS or not _cacheable(request):
                return view(request, *args, **kwargs)
            address = f"{request.path}?{cache_key_query(request, reads)}"
            digest = hashlib.sha256(address.encode()).hexdigest()
            key = f"page:{view.__module__}.{name}:{get_language()}:{digest}:{version()}"
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(key, (response.content, response["Content-Type"]), settings.PUBLIC_PAGE_CACHE_SECONDS)
            return response

        return wrapper

    return decorator
