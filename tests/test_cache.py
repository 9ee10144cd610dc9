"""The Redis cache turns a lost server into a cache of one process for a moment, never into errors."""

import socket
import time

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import RedisError

from newsroom import cachetags
from newsroom.cache import ResilientRedisCache
from newsroom.models import UndeliveredRetirement


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


def test_when_redis_is_gone_the_cache_is_this_processs_own_and_no_call_fails(dead_cache):
    assert dead_cache.get("key", "fallback") == "fallback"
    assert dead_cache.get_many(["a", "b"]) == {}
    assert dead_cache.set("key", "value") is None
    assert dead_cache.get("key") == "value"
    assert dead_cache.add("key", "other") is False
    assert dead_cache.add("new", "value") is True
    assert dead_cache.set_many({"a": 1}) == ["a"]  # Redis did not store it: a caller that needs it there retries
    assert dead_cache.get_many(["a", "b"]) == {"a": 1}
    assert dead_cache.has_key("key") is True
    dead_cache.delete("key")
    assert dead_cache.get_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError):
        dead_cache.incr("counter")


def test_without_redis_nothing_is_kept_longer_than_a_moment(dead_cache, monkeypatch):
    monkeypatch.setattr(dead_cache, "LOCAL_TIMEOUT", 0.2)
    dead_cache.set("page", "html", timeout=600)
    dead_cache.set_many({"version": 7}, timeout=None)
    assert dead_cache.get("page") == "html"

    time.sleep(0.3)

    assert dead_cache.get("page") is None
    assert dead_cache.get("version") is None


def test_after_a_failure_redis_is_left_alone_for_a_moment(dead_cache, monkeypatch):
    dead_cache.get("key")
    calls = []
    monkeypatch.setattr(RedisCache, "get", lambda *args: calls.append(args))

    assert dead_cache.get("key", "fallback") == "fallback"
    assert calls == []
    assert not hasattr(dead_cache, "run_script")  # to newsroom.cachetags, a cache of one process
    with pytest.raises(RedisError):
        dead_cache.listener("channel")


@pytest.fixture
def without_redis(settings, dead_cache, monkeypatch):
    """The site's cache is a Redis that is gone; this process's tag versions start afresh."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": dead_cache._servers[0],
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    fresh = cachetags.Versions()
    fresh.stop()  # nothing to listen to
    monkeypatch.setattr(cachetags, "versions", fresh)
    cachetags.local_copies.clear()
    cache.get("anything")  # the first call finds Redis gone
    yield cache
    cachetags._retry.clear()


def stored(key: str, *tags: str) -> None:
    with cachetags.collecting() as collector:
        cachetags.depends_on(*tags)
    time.sleep(0.001)
    assert cachetags.store(key, "page", collector.tags, collector.started, timeout=60)


@pytest.mark.django_db
def test_without_redis_pages_are_reused_and_a_change_here_retires_them_at_once(without_redis):
    stored("page", "story-1")
    stored("other", "story-2")
    assert cachetags.lookup("page") is not None

    cachetags.retire("story-1")

    assert cachetags.lookup("page") is None
    assert cachetags.lookup("other") is not None


def live_cache() -> ResilientRedisCache:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return cache_at(6379)


def test_works_normally_against_a_live_redis():
    live = live_cache()
    live.set("newsroom-test-key", {"a": 1}, 5)

    assert live.get("newsroom-test-key") == {"a": 1}
    live.delete("newsroom-test-key")


def test_once_redis_answers_again_what_was_kept_in_this_process_is_dropped():
    live = live_cache()
    live.set("newsroom-test-key", "in Redis", 5)
    live.leave_redis_alone(60)  # as after a failure
    live.set("newsroom-test-key", "kept here", 5)
    try:
        assert live.get("newsroom-test-key") == "kept here"
        live.leave_redis_alone(0)  # the moment is over
        assert live.get("newsroom-test-key") == "in Redis"
        live.leave_redis_alone(60)

        assert live.get("newsroom-test-key") is None
    finally:
        live.leave_redis_alone(0)
        live.delete("newsroom-test-key")


def test_one_redis_client_serves_every_call_and_still_reconnects(dead_cache):
    client = dead_cache._cache.get_client()

    assert dead_cache._cache.get_client(write=True) is client
    live = live_cache()
    live.set("newsroom-test-key", 1, 5)
    live._cache.get_client().connection_pool.disconnect()  # as after a Redis restart

    assert live.get("newsroom-test-key") == 1
    live.delete("newsroom-test-key")


@pytest.fixture
def shared_cache(settings, monkeypatch):
    """The site's cache on a live Redis, read per request (no subscription), as one app server of several."""
    live_cache()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"cache-test-{time.monotonic_ns()}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    fresh = cachetags.Versions()
    fresh.stop()
    monkeypatch.setattr(cachetags, "versions", fresh)
    monkeypatch.setattr(cachetags, "_retry", set())
    cachetags.local_copies.clear()
    yield cache
    cache.leave_redis_alone(0)
    cache.clear()


@pytest.mark.django_db
def test_a_change_made_without_redis_reaches_it_once_it_answers(shared_cache):
    stored("page", "story-1")
    shared_cache.leave_redis_alone(60)  # Redis failed a moment ago
    cachetags.retire("story-1")
    shared_cache.leave_redis_alone(0)
    cachetags.retry_pending()  # the next request, with Redis back

    assert cachetags.lookup("page") is None


@pytest.mark.django_db
def test_a_change_redis_missed_is_delivered_even_if_the_process_that_made_it_has_ended(
    shared_cache, django_capture_on_commit_callbacks
):
    stored("page", "story-1")
    shared_cache.leave_redis_alone(60)  # Redis failed a moment ago
    with django_capture_on_commit_callbacks(execute=True):
        cachetags.retire("story-1")
    assert UndeliveredRetirement.objects.get().tags == "story-1"
    cachetags._retry.clear()  # the process ends before Redis is back
    shared_cache.leave_redis_alone(0)
    assert cachetags.lookup("page") is not None  # Redis alone still holds the old page

    assert cachetags.deliver_undelivered() == 1  # any other app server, once Redis answers

    assert cachetags.lookup("page") is None
    assert not UndeliveredRetirement.objects.exists()


@pytest.mark.django_db
def test_a_process_that_sees_redis_back_delivers_what_others_wrote_down_as_well(shared_cache):
    stored("mine", "story-1")
    stored("theirs", "story-2")
    stored("untouched", "story-3")
    UndeliveredRetirement.objects.create(tags="story-2")  # written by a process that has ended
    shared_cache.leave_redis_alone(60)
    cachetags.retire("story-1")
    shared_cache.leave_redis_alone(0)

    cachetags.retry_pending()  # this process's next request

    assert cachetags.lookup("mine") is None
    assert cachetags.lookup("theirs") is None
    assert cachetags.lookup("untouched") is not None
    assert not UndeliveredRetirement.objects.exists()


@pytest.mark.django_db
def test_a_change_is_written_down_only_once_committed(shared_cache, django_capture_on_commit_callbacks):
    shared_cache.leave_redis_alone(60)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        cachetags.retire("story-1")
        assert not UndeliveredRetirement.objects.exists()  # it would be rolled back with the change
    assert list(UndeliveredRetirement.objects.values_list("tags", flat=True)) == ["story-1"]
