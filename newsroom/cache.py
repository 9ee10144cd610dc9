"""A Redis cache that degrades to misses: losing Redis slows the site down instead of breaking it."""

import logging
from functools import partial
from time import monotonic

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool instead of one per call.

    Building a ``redis.Redis`` fills a table of a few hundred response handlers, which costs about as
    much as the whole Django request cycle of a cached page; the client is thread-safe and only
    borrows connections from its pool, so one per pool serves every call.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``; while Redis fails, reads miss and writes are skipped.

    After an error the server is left alone for ``RETRY_INTERVAL`` seconds (per process), so a
    dead or unreachable Redis costs each request nothing rather than a connection timeout per
    cache call. Set ``OPTIONS`` socket timeouts short (settings.py does) for the same reason.
    """

    RETRY_INTERVAL = 2.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._retry_at = 0.0
        self._scripts = {}

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

    def run_script(self, script: str, keys: list[str], args: list) -> list | None:
        """Run a Lua ``script`` on ``keys`` (named as for ``get``/``set``) in one step; None while Redis fails."""
        made = [self.make_and_validate_key(key) for key in keys]
        return self._attempt(lambda: self._script(script)(keys=made, args=args), None)

    def _script(self, text: str):
        script = self._scripts.get(text)
        if script is None:
            script = self._scripts[text] = self._cache.get_client(write=True).register_script(text)
        return script

    def channel(self, name: str) -> str:
        """A pub/sub channel of this cache alone: channels are shared by every database of a Redis server."""
        return self.make_key(f"{name}:{self._servers[0].rsplit('/', 1)[-1]}")

    def listener(self, channel: str):
        """A subscription to ``channel`` on a connection of its own, for a thread that waits for messages."""
        import redis

        client = redis.Redis.from_url(self._servers[0], socket_connect_timeout=1.0, health_check_interval=5)
        subscription = client.pubsub(ignore_subscribe_messages=True)
        subscription.subscribe(channel)
        return subscription

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._attempt(partial(super().incr, key, delta, version), missing)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return value
