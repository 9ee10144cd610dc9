"""The Redis cache turns a lost server into misses instead of errors."""

import socket

import pytest
from django.core.cache.backends.redis import RedisCache

from newsroom.cache import ResilientRedisCache


def cache_at(port: int) -> ResilientRedisCache:
    return ResilientRedisCache(
        f"redis://127.0.0.1:{port}/15", {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}}
    )


@pytest.fixture
def dead_cache():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return cache_at(port)


def test_reads_miss_and_writes_are_skipped_when_redis_is_gone(dead_cache):
    assert dead_cache.get("key", "fallback") == "fallback"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.set("key", "value") is None
    assert dead_cache.add("key", "value") is False
    assert dead_cache.set_many({"a": 1}) == ["a"]
    assert dead_cache.delete("key") is False
    assert dead_cache.has_key("key") is False
    assert dead_cache.get_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError):
        dead_cache.incr("counter")


def test_after_a_failure_redis_is_left_alone_for_a_moment(dead_cache, monkeypatch):
    dead_cache.get("key")
    calls = []
    monkeypatch.setattr(RedisCache, "get", lambda *args: calls.append(args))

    assert dead_cache.get("key", "fallback") == "fallback"
    assert calls == []


def test_works_normally_against_a_live_redis():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    cache = cache_at(6379)
    cache.set("newsroom-test-key", {"a": 1}, 5)

    assert cache.get("newsroom-test-key") == {"a": 1}
    cache.delete("newsroom-test-key")


def test_one_redis_client_serves_every_call_and_still_reconnects(dead_cache):
    client = dead_cache._cache.get_client()

    assert dead_cache._cache.get_client(write=True) is client
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    live = cache_at(6379)
    live.set("newsroom-test-key", 1, 5)
    live._cache.get_client().connection_pool.disconnect()  # as after a Redis restart

    assert live.get("newsroom-test-key") == 1
    live.delete("newsroom-test-key")
