"""Request limits kept in the shared Django cache (the file cache or Redis).

Many residents share one address behind a mobile operator's NAT, so the limits are generous
and meant to stop floods, not people.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind our reverse proxy (TRUST_X_FORWARDED_FOR) it is the last
    address in X-Forwarded-For, the one the proxy itself appended: earlier entries come from
    the client and can be forged."""
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]  # no address in clear
    return f"ratelimit:{scope}:{digest}"


def count(scope: str, value: str, *, window: int) -> int:
    """Count one more hit in the window and return the total."""
    key = _key(scope, value)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def exceeded(scope: str, value: str, *, limit: int) -> bool:
    return (cache.get(_key(scope, value)) or 0) >= limit


def rate_limited(scope: str, *, limit: str, window: int, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Answer 429 with a translated page once an address has made more than the setting named
    `limit` such requests in `window` seconds. Every attempt counts, successful or not."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                ip = client_ip(request)
                if ip and count(scope, ip, window=window) > getattr(settings, limit):
                    response = render(request, "429.html", {"minutes": max(window // 60, 1)}, status=429)
                    response["Retry-After"] = str(window)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
