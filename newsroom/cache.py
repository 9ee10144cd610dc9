"""A Redis cache that degrades to a cache of one process: losing Redis slows the site down instead of breaking it."""

import logging
from functools import partial
from time import monotonic

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry

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


# Per Redis server and cache, for every thread of this process: until when Redis is left alone, and
# whether this process's memory has stood in for it since it last answered.
_left_alone_until: dict[str, float] = {}
_stood_in: set[str] = set()


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``; while Redis fails, a cache of this process alone whose entries live seconds.

    After an error Redis is left alone for ``RETRY_INTERVAL`` seconds by every thread of the process, so
    a dead or unreachable server costs a request no more than one failed call (keep ``OPTIONS`` socket
    timeouts short, as settings.py does). Meanwhile reads and writes go to this process's memory, where
    nothing lives longer than ``LOCAL_TIMEOUT`` seconds (tag versions included), so pages and their
    pieces are still reused instead of every request rendering everything. Without Redis the cache
    offers no ``run_script``, so ``newsroom.cachetags`` keeps tag versions as it does with a cache of one
    machine: a change made through this process retires its entries here at once, and a change made
    through another process shows here within ``LOCAL_TIMEOUT``. Writes still report that Redis did not
    store them, so a retirement is sent to Redis again once it answers. The first call Redis answers
    drops the local entries.
    """

    RETRY_INTERVAL = 2.0
    LOCAL_TIMEOUT = 5  # also how late a change made through another process may show while Redis is away

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._scripts = {}
        self._name = f"{self._servers[0]} {self.key_prefix}"
        local = {"TIMEOUT": self.LOCAL_TIMEOUT, "OPTIONS": {"MAX_ENTRIES": 2000}}
        self._local = LocMemCache(f"newsroom-without-redis {self._name}", local)  # shared by name

    def redis_left_alone(self) -> bool:
        """Whether Redis failed less than ``RETRY_INTERVAL`` seconds ago (calls go to this process's memory)."""
        return monotonic() < _left_alone_until.get(self._name, 0.0)

    def leave_redis_alone(self, seconds: float) -> None:
        """Send every call to this process's memory for ``seconds`` (0: try Redis again with the next call)."""
        _left_alone_until[self._name] = monotonic() + seconds

    def _attempt(self, operation, local):
        if not self.redis_left_alone():
            try:
                result = operation()
            except RedisError as error:
                self.leave_redis_alone(self.RETRY_INTERVAL)
                logger.warning("Cache unavailable, using this process's memory for %ss: %s", self.RETRY_INTERVAL, error)
            else:
                if self._name in _stood_in:
                    _stood_in.discard(self._name)
                    self._local.clear()
                return result
        _stood_in.add(self._name)
        return local()

    def _local_timeout(self, timeout):
        timeout = self.get_backend_timeout(timeout)
        return self.LOCAL_TIMEOUT if timeout is None else min(timeout, self.LOCAL_TIMEOUT)

    def get(self, key, default=None, version=None):
        local = partial(self._local.get, key, default, version)
        return self._attempt(partial(super().get, key, default, version), local)

    def get_many(self, keys, version=None):
        return self._attempt(partial(super().get_many, keys, version), partial(self._local.get_many, keys, version))

    def has_key(self, key, version=None):
        return self._attempt(partial(super().has_key, key, version), partial(self._local.has_key, key, version))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        local = partial(self._local.add, key, value, self._local_timeout(timeout), version)
        return self._attempt(partial(super().add, key, value, timeout, version), local)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        local = partial(self._local.set, key, value, self._local_timeout(timeout), version)
        return self._attempt(partial(super().set, key, value, timeout, version), local)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        def local():
            self._local.set_many(data, self._local_timeout(timeout), version)
            return list(data)  # not stored in Redis: a caller that needs them there tries again

        return self._attempt(partial(super().set_many, data, timeout, version), local)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        local = partial(self._local.touch, key, self._local_timeout(timeout), version)
        return self._attempt(partial(super().touch, key, timeout, version), local)

    def delete(self, key, version=None):
        return self._attempt(partial(super().delete, key, version), partial(self._local.delete, key, version))

    def delete_many(self, keys, version=None):
        local = partial(self._local.delete_many, keys, version)
        return self._attempt(partial(super().delete_many, keys, version), local)

    def clear(self):
        self._local.clear()
        return self._attempt(super().clear, lambda: False)

    def incr(self, key, delta=1, version=None):
        """Add ``delta`` to a number; ValueError if there is none (in this process's memory while Redis fails)."""
        return self._attempt(partial(super().incr, key, delta, version), partial(self._local.incr, key, delta, version))

    @property
    def run_script(self):
        """``run_script(script, keys, args)``: a Lua ``script`` on ``keys`` (named as for ``get``/``set``) in one step.

        Absent while Redis is left alone, so the cache is then one of a single process to whoever asks
        (``newsroom.cachetags``); None if Redis fails during the call.
        """
        if self.redis_left_alone():
            raise AttributeError("run_script")
        return self._run_script

    def _run_script(self, script: str, keys: list[str], args: list) -> list | None:
        made = [self.make_and_validate_key(key) for key in keys]
        return self._attempt(lambda: self._script(script)(keys=made, args=args), lambda: None)

    def _script(self, text: str):
        script = self._scripts.get(text)
        if script is None:
            script = self._scripts[text] = self._cache.get_client(write=True).register_script(text)
        return script

    def channel(self, name: str) -> str:
        """A pub/sub channel of this cache alone: channels are shared by every database of a Redis server."""
        return self.make_key(f"{name}:{self._servers[0].rsplit('/', 1)[-1]}")

    def listener(self, channel: str):
        """A subscription to ``channel`` on a connection of its own, for a thread that waits for messages.

        Refused while Redis is left alone: a listener reads shared state (through ``get``) as it starts.
        A lost connection is an error at once, not retried, so the listener knows it is deaf.
        """
        import redis

        if self.redis_left_alone():
            raise RedisConnectionError("Redis is left alone after an error")
        client = redis.Redis.from_url(
            self._servers[0], socket_connect_timeout=1.0, health_check_interval=5, retry=Retry(NoBackoff(), 0)
        )
        subscription = client.pubsub(ignore_subscribe_messages=True)
        subscription.subscribe(channel)
        return subscription
