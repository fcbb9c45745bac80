"""Request limits, taken atomically before the write.

A limit is a counter per (scope, value) — an address, a contact, an account — in a fixed
window that starts with its first token. `take()` takes one token or refuses, in one atomic
step, *before* the action runs: N parallel requests get at most `limit` tokens between them.
(Reading the counter first and counting after the write, as this module did, let 40 parallel
submissions through a limit of 10.)

Where the counter lives, and why it is atomic there:

- Redis (REDIS_URL set): one Lua script reads the counter, compares it with the limit, INCRs
  it and sets the window's expiry on the first token. Redis runs a script as one command, so
  web workers on any number of machines take tokens one at a time; INCR alone would not do
  (Django's `cache.incr` is EXISTS + INCRBY, and a key that expires between the two comes back
  without an expiry: a limit that never ends).
- Any other cache (the embedded default's FileBasedCache, shared by the web server and the
  Celery worker): Django's file cache implements `incr` as get + set, which two threads or two
  processes interleave. Here the read-compare-write runs under an exclusive lock on a file in
  the cache's directory (`django.core.files.locks`: flock on POSIX, LockFileEx on Windows),
  which serialises threads and processes of the one machine the embedded default runs on.
- Not the database: every API request is throttled, and a row write per read request is a
  price the cache does not charge.

Redis down: ResilientRedisCache answers instead of raising, and limits *fail open* (a token is
granted), by design — for the minutes Redis is away a resident's question matters more than a
flood limit, and nothing else depends on these counters.

Tokens given back: `give_back()` returns a token when the action it was taken for wrote
nothing because its input was refused (a question that fails validation): the limits on
questions count what residents send, not their typos, and a refused submission sends no
message to anyone. Attempts themselves are limited where guessing is the threat: every login
POST and every confirmation code try keeps its token.

Many residents share one address behind a mobile operator's NAT, so the per-address limits are
generous and meant to stop floods, not people.
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.core.files import locks
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from rest_framework import throttling

from core.errors import ApplicationError

logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int  # tokens taken in this window, this one included when allowed
    retry_after: int  # seconds until the window ends (at least 1)


class RateLimitExceeded(ApplicationError):
    """A limit refused the action: 429 with Retry-After (pages and API alike)."""

    status_code = 429

    def __init__(self, message, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(int(retry_after), 1)


# --- The atomic counter ----------------------------------------------------------------------

_TAKE = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if count >= tonumber(ARGV[1]) then
  return {0, count, ttl}
end
count = redis.call('INCR', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {1, count, ttl}
"""
_GIVE_BACK = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


def _store():
    """Where the counters live: the "limits" cache when settings name one (the embedded default
    gives them a file cache of their own, because the main file cache culls a random third of
    its files when it fills up, counters included, which reset limits mid-flood), else the
    default cache."""
    return caches["limits"] if "limits" in settings.CACHES else caches["default"]


def _uses_redis() -> bool:
    return isinstance(_store(), RedisCache)


def _redis_eval(script: str, key: str, *args):
    backend = _store()
    full_key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(full_key, write=True)
    return client.eval(script, 1, full_key, *args)


@contextmanager
def _file_lock():
    """An exclusive lock shared by every thread and process that uses this cache directory."""
    folder = Path(getattr(_store(), "_dir", settings.VAR_DIR))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "ratelimit.lock", "a+b") as handle:  # one open file per caller: flock sees each
        locks.lock(handle, locks.LOCK_EX)
        try:
            yield
        finally:
            locks.unlock(handle)


def take_key(key: str, *, limit: int, window: int) -> Decision:
    """Take one token from `key` unless `limit` are already taken in the window."""
    if _uses_redis():
        from redis.exceptions import RedisError

        try:
            allowed, count, ttl_ms = _redis_eval(_TAKE, key, int(limit), int(window) * 1000)
        except RedisError as error:
            from core.cache import _warn

            _warn("ratelimit", error)
            return Decision(True, 0, window)  # fail open, as the module docstring explains
        return Decision(bool(allowed), int(count), max(math.ceil(int(ttl_ms) / 1000), 1))
    with _file_lock():
        store, now = _store(), time.time()
        count, ends = store.get(key) or (0, 0.0)
        if ends <= now:
            count, ends = 0, now + window
        retry_after = max(math.ceil(ends - now), 1)
        if count >= limit:
            return Decision(False, count, retry_after)
        store.set(key, (count + 1, ends), timeout=retry_after)
        return Decision(True, count + 1, retry_after)


def give_back_key(key: str) -> None:
    """Return a token taken for an action that then wrote nothing."""
    if _uses_redis():
        from redis.exceptions import RedisError

        with suppress(RedisError):
            _redis_eval(_GIVE_BACK, key)
        return
    with _file_lock():
        store = _store()
        count, ends = store.get(key) or (0, 0.0)
        remaining = ends - time.time()
        if count > 0 and remaining > 0:
            store.set(key, (count - 1, ends), timeout=max(math.ceil(remaining), 1))


def take(scope: str, value: str, *, limit: int, window: int) -> Decision:
    return take_key(_key(scope, value), limit=limit, window=window)


def give_back(scope: str, value: str) -> None:
    give_back_key(_key(scope, value))


@dataclass(frozen=True)
class Limit:
    scope: str
    value: str
    limit: int
    window: int


def take_all(limits: Iterable[Limit]) -> Decision:
    """Take a token from every limit, or from none: a refusal gives back those already taken."""
    taken: list[Limit] = []
    for item in limits:
        decision = take(item.scope, item.value, limit=item.limit, window=item.window)
        if not decision.allowed:
            for done in taken:
                give_back(done.scope, done.value)
            return decision
        taken.append(item)
    return Decision(True, 0, 0)


def give_back_all(limits: Iterable[Limit]) -> None:
    for item in limits:
        give_back(item.scope, item.value)


@contextmanager
def holding(limits: list[Limit], message):
    """Take a token from every limit before the block, or raise RateLimitExceeded(message);
    give them back if the block refuses its input (ValidationError, ApplicationError): the
    action wrote nothing, so it used no allowance."""
    decision = take_all(limits)
    if not decision.allowed:
        raise RateLimitExceeded(message, retry_after=decision.retry_after)
    try:
        yield
    except (ValidationError, ApplicationError):
        give_back_all(limits)
        raise


@contextmanager
def one_at_a_time(scope: str, value: str, *, wait: float = 10.0, hold: int = 30):
    """Run the block alone for this (scope, value): parallel callers wait their turn (up to
    `wait` seconds, then it yields False). A mutex made of a one-token limit.

    For checks whose library counts failures after the check (django-axes' lockout,
    django-otp's throttling): run one at a time per account and address, each attempt sees
    the failures of the ones before it, and their counting is exact again. `hold` bounds how
    long a request that died inside the block keeps the others waiting.
    """
    deadline = time.monotonic() + wait
    while True:
        decision = take(f"mutex:{scope}", value, limit=1, window=hold)
        if decision.allowed or time.monotonic() >= deadline:
            break
        time.sleep(0.1)
    try:
        yield decision.allowed
    finally:
        if decision.allowed:
            give_back(f"mutex:{scope}", value)


# --- Kept for callers of the first version -------------------------------------------------


def count(scope: str, value: str, *, window: int) -> int:
    """Count one more hit in the window and return the total (atomically)."""
    return take(scope, value, limit=2**62, window=window).count


def exceeded(scope: str, value: str, *, limit: int) -> bool:
    stored = _store().get(_key(scope, value))
    if isinstance(stored, tuple):
        stored = stored[0] if stored[1] > time.time() else 0
    return (stored or 0) >= limit


# --- Pages -----------------------------------------------------------------------------------


def too_many_response(request: HttpRequest, retry_after: int, message=None, template: str = "429.html") -> HttpResponse:
    """The translated 429 page with Retry-After (and `message`, when there is more to say)."""
    context = {"minutes": max(math.ceil(retry_after / 60), 1), "message": message}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(max(int(retry_after), 1))
    return response


def rate_limited(scope: str, *, limit: str, window: int, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Answer 429 with a translated page once an address has made the setting named `limit`
    such requests in `window` seconds. Every attempt takes its token, successful or not."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                ip = client_ip(request)
                if ip:
                    decision = take(scope, ip, limit=getattr(settings, limit), window=window)
                    if not decision.allowed:
                        return too_many_response(request, decision.retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- The API ---------------------------------------------------------------------------------


class AtomicThrottleMixin:
    """DRF's SimpleRateThrottle reads a history list, decides, then writes it back: parallel
    requests all read the same history. This takes a token atomically instead. The address is
    `client_ip()` (DRF's own reads a client-supplied X-Forwarded-For unless NUM_PROXIES is set)."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.decision = take_key(f"throttle:{key}", limit=self.num_requests, window=self.duration)
        return self.decision.allowed

    def wait(self) -> int:
        return self.decision.retry_after


class AnonRateThrottle(AtomicThrottleMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(AtomicThrottleMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(AtomicThrottleMixin, throttling.ScopedRateThrottle):
    def allow_request(self, request, view) -> bool:
        # As DRF's ScopedRateThrottle: the view names the scope, and with it the rate.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
