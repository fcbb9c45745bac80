"""Whole pages for anonymous readers, cached under a version of the data they show.

A journalist's list page costs tens of milliseconds to build and is the same for every
anonymous reader until its data changes. The key holds the language, the full path and a
version read from the data (one indexed query), so a change shows at once; the timeout only
bounds what the version does not see (a territory renamed, say). Nothing personal is cached:
requests with a session or flash messages are built as usual, and so is any response that
sets a cookie or is not a 200.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language


def _cacheable(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not (
        settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    )


def anonymous_page_cache(version: Callable[[], str]):
    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request) or not settings.PUBLIC_PAGE_CACHE_SECONDS:
                return view(request, *args, **kwargs)
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            name = getattr(view, "view_class", view).__qualname__
            key = f"page:{view.__module__}.{name}:{get_language()}:{path}:{version()}"
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
