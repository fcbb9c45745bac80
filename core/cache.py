"""A Redis cache that degrades instead of failing: Redis is a cache here, not a store.

With Redis down, reads miss, writes are dropped and counters start from one, and every page
and submission still works (DESIGN.md: nothing a resident sent is lost because a background
service is down). Django's own RedisCache raises on every call instead.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_last_warning = 0.0


def _warn(operation: str, error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 30:  # one line every 30 s, not one per request
        _last_warning = now
        logger.warning("cache unavailable (%s): %s; serving without it", operation, error)


class ResilientRedisCache(RedisCache):
    def _degrade(self, operation: str, fallback, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except RedisError as error:
            _warn(operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Pretend it was added: rate-limit counters then start from one (limits fail open).
        return self._degrade("add", True, super().add, key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._degrade("get", default, super().get, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("set", None, super().set, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("touch", False, super().touch, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._degrade("delete", False, super().delete, key, version=version)

    def get_many(self, keys, version=None):
        return self._degrade("get_many", {}, super().get_many, keys, version=version)

    def has_key(self, key, version=None):
        return self._degrade("has_key", False, super().has_key, key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._degrade("incr", delta, super().incr, key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._degrade("set_many", [], super().set_many, data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._degrade("delete_many", None, super().delete_many, keys, version=version)

    def clear(self):
        return self._degrade("clear", False, super().clear)
