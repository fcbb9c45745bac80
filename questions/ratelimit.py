"""Submission limits per IP address and per contact, kept in the shared Django cache.

Works with the file cache of the embedded default and with Redis: a counter per key that
lives for the window. Only successful submissions count, so a typo costs nothing.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core import ratelimit as core_ratelimit


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]  # no contact in clear
    return f"questions:rate:{kind}:{digest}"


def client_ip(request: HttpRequest) -> str:
    return core_ratelimit.client_ip(request)


def _limits(ip: str, contacts: list[str]) -> list[tuple[str, int]]:
    pairs = [(_key("ip", ip), settings.QUESTIONS_RATE_LIMIT_PER_IP)] if ip else []
    pairs += [(_key("contact", c), settings.QUESTIONS_RATE_LIMIT_PER_CONTACT) for c in contacts if c]
    return pairs


def submission_allowed(*, ip: str, contacts: list[str]) -> bool:
    return all((cache.get(key) or 0) < limit for key, limit in _limits(ip, contacts))


def submission_count(*, ip: str, contacts: list[str]) -> None:
    window = settings.QUESTIONS_RATE_LIMIT_WINDOW
    for key, _limit in _limits(ip, contacts):
        if cache.add(key, 1, window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
