"""A Redis cache that degrades to misses: losing Redis slows the site down instead of breaking it."""

import logging
from functools import partial
from time import monotonic

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``; while Redis fails, reads miss and writes are skipped.

    After an error the server is left alone for ``RETRY_INTERVAL`` seconds (per process), so a
    dead or unreachable Redis costs each request nothing rather than a connection timeout per
    cache call. Set ``OPTIONS`` socket timeouts short (settings.py does) for the same reason.
    """

    RETRY_INTERVAL = 2.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._retry_at = 0.0

    def _attempt(self, operation, fallback):
        if monotonic() < self._retry_at:
            return fallback
        try:
            return operation()
        except RedisError as error:
            self._retry_at = monotonic() + self.RETRY_INTERVAL
            logger.warning("Cache unavailable, serving without it for %ss: %s", self.RETRY_INTERVAL, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._attempt(partial(super().get, key, default, version), default)

    def get_many(self, keys, version=None):
        return self._attempt(partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._attempt(partial(super().has_key, key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().add, key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().set, key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().set_many, data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._attempt(partial(super().delete, key, version), False)

    def delete_many(self, keys, version=None):
        return self._attempt(partial(super().delete_many, keys, version), None)

    def clear(self):
        return self._attempt(super().clear, False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._attempt(partial(super().incr, key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return value
