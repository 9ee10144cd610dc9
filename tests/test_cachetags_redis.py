"""With Redis, retirements are set by one script and announced by pub/sub to every process."""

import socket
import time

import pytest
from django.core.cache import cache

from newsroom import cachetags
from newsroom.cache import ResilientRedisCache


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = [pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379"), pytest.mark.django_db]


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"cachetags-test-{time.monotonic_ns()}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.NEWSROOM_CACHE_CLOCK_SKEW = 0.0
    cachetags.local_copies.clear()
    yield cache
    cache.clear()


@pytest.fixture
def versions(redis_cache, monkeypatch):
    """This process's versions, listening on a fresh subscription."""
    fresh = cachetags.Versions()
    monkeypatch.setattr(cachetags, "versions", fresh)
    fresh.read(["site"])  # starts the listening thread
    assert wait_until(lambda: fresh.listening)
    yield fresh
    fresh.stop()


def wait_until(condition, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def stored(key: str, *tags: str) -> None:
    with cachetags.collecting() as collector:
        cachetags.depends_on(*tags)
    time.sleep(0.001)
    assert cachetags.store(key, "page", collector.tags, collector.started, timeout=60)


def retired_by_another_server(*tags: str) -> None:
    """What another app server's retirement does: the same script, run by a process of its own."""
    other = cachetags.Versions()
    assert other.bump(tags)


def test_a_retirement_by_another_server_is_known_without_asking_redis(versions, monkeypatch):
    stored("page", "story-1")
    assert cachetags.lookup("page") is not None

    retired_by_another_server("story-1")
    assert wait_until(lambda: cachetags.lookup("page") is None)
    monkeypatch.setattr(ResilientRedisCache, "run_script", lambda *args: pytest.fail("read versions from Redis"))

    assert not cachetags.is_current({"story-1": 1})


def test_a_hot_entry_costs_no_round_trip_to_redis(versions, monkeypatch):
    stored("page", "story-1", "author-2")
    assert cachetags.lookup("page") is not None
    monkeypatch.setattr(ResilientRedisCache, "get", lambda *args, **kwargs: pytest.fail("asked Redis"))
    monkeypatch.setattr(ResilientRedisCache, "run_script", lambda *args: pytest.fail("asked Redis"))

    assert cachetags.lookup("page")[1] == "page"


def test_the_server_that_retires_knows_at_once(versions):
    stored("page", "story-1")

    cachetags.retire("story-1")

    assert cachetags.lookup("page") is None


def test_without_a_subscription_each_lookup_reads_redis(versions):
    versions.stop()
    stored("page", "story-1")

    retired_by_another_server("story-1")

    assert cachetags.lookup("page") is None


def test_a_lost_announcement_is_caught_by_the_regular_reread(versions):
    stored("page", "story-1")
    assert cachetags.lookup("page") is not None
    # Raised in Redis with no announcement (a message lost on the way).
    cache.incr(cachetags.EPOCH_KEY)
    cache.set("newsroom:tag:story-1", time.time_ns() // 1000, timeout=None)

    assert wait_until(lambda: cachetags.lookup("page") is None, seconds=cachetags.RECHECK_SECONDS * 3)


def test_only_this_caches_retirements_are_heard(versions):
    """Channels are shared by every database of a Redis server: another site's news is not ours."""
    stored("page", "story-1")
    cache._cache.get_client(write=True).publish("newsroom:retired", f"1 story-1={time.time_ns()}")
    time.sleep(0.1)

    assert cachetags.lookup("page") is not None
