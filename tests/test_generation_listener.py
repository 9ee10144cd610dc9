"""With Redis, each process learns of a new content generation by pub/sub instead of asking per request."""

import socket
import time

import pytest
from django.core.cache import cache

from articles import generation
from newsroom.cache import ResilientRedisCache


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_is_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"listener-test-{time.monotonic_ns()}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    yield cache
    cache.delete_many([generation.GENERATION_KEY, generation.HORIZON_KEY])


@pytest.fixture
def listener(redis_cache, monkeypatch):
    fresh = generation.Listener()
    monkeypatch.setattr(generation, "listener", fresh)
    yield fresh
    fresh.stop()


def wait_until(condition, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def announce(number: int) -> None:
    """What another app server's bump does: raise the number in Redis and announce it."""
    cache.set(generation.GENERATION_KEY, number, timeout=None)
    cache.publish(generation.CHANNEL, number)


@pytest.mark.django_db
def test_a_change_announced_by_another_server_is_known_without_asking_redis(listener, monkeypatch):
    start = generation.current()[0]
    assert wait_until(lambda: listener.number == start)

    announce(start + 10)
    assert wait_until(lambda: listener.number == start + 10)
    monkeypatch.setattr(ResilientRedisCache, "get_many", lambda *args: pytest.fail("read the generation from Redis"))

    assert generation.current()[0] == start + 10


@pytest.mark.django_db
def test_the_server_that_bumps_knows_its_own_change_at_once(listener):
    start = generation.current()[0]
    assert wait_until(lambda: listener.number == start)

    new = generation.bump()

    assert generation.current()[0] == new > start


@pytest.mark.django_db
def test_without_a_subscription_each_request_reads_redis(redis_cache, listener):
    listener.stop()
    cache.set(generation.GENERATION_KEY, 41, timeout=None)

    assert generation.current()[0] == 41
    cache.set(generation.GENERATION_KEY, 42, timeout=None)  # changed with no announcement
    assert generation.current()[0] == 42


@pytest.mark.django_db
def test_a_lost_announcement_is_caught_by_the_regular_reread(listener):
    start = generation.current()[0]
    assert wait_until(lambda: listener.number == start)

    cache.set(generation.GENERATION_KEY, start + 5, timeout=None)  # raised without an announcement

    assert wait_until(lambda: generation.current()[0] == start + 5, seconds=generation.RECHECK_SECONDS * 3)
