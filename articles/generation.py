"""The content generation: one number, kept in the shared cache, that changes whenever public content may have.

Everything cached for readers (whole pages, pieces of pages, the site chrome) is filed under the
generation it was built in, so a new generation retires all of it at once on every app server sharing
the cache. The number moves on when content is saved or deleted (``articles.signals``) and, with no
cron, when the next scheduled change is reached: the first request after a scheduled story's publish
time (or a breaking banner's expiry) moves it on. With Redis, each new number is also announced by
pub/sub, so processes know it without asking (``Listener``).
"""

import logging
import os
import threading
import time
from collections import OrderedDict
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

GENERATION_KEY = "newsroom:content-generation"
HORIZON_KEY = "newsroom:next-public-change"
CHANNEL = "newsroom:content-generation"  # Redis pub/sub: every new generation is announced here
RECHECK_SECONDS = 1.0  # a listening process also rereads the number this often, in case a message was lost

logger = logging.getLogger(__name__)


def _initial_generation() -> int:
    """A fresh number above any used before, for when the cache lost it (restart, flush, eviction)."""
    return int(time.time() * 1_000_000)


# Set when a bump could not reach the cache (a Redis outage), so the process repeats it once the
# cache answers again: pages cached before the change must not outlive the outage.
_bump_pending = False


def bump() -> int:
    """Start a new content generation now; returns it."""
    global _bump_pending
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # the key is missing (or the cache is down): start again above anything used before
        generation = _initial_generation()
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY)  # another process started one first
    _bump_pending = generation is None
    if generation is not None and hasattr(cache, "publish"):
        cache.publish(CHANNEL, generation)
        listener.take(generation)  # this process knows at once, whatever its listening thread is doing
    return generation or _initial_generation()


class Listener:
    """This process's copy of the generation number, kept current by Redis pub/sub.

    With a Redis cache, every process would otherwise read the number from Redis for each request.
    Instead a thread per process subscribes to ``CHANNEL``, on which every bump announces the new
    number; Redis hands the message to the listeners before it answers the process that bumped, so
    a change is known everywhere by the time its editor sees the save confirmed. The thread also
    rereads the number every ``RECHECK_SECONDS``. Until the subscription is up, or while it is down,
    ``number`` is None and requests read the number from Redis as before.
    """

    def __init__(self):
        self.number, self.pid, self.lock, self.stopped = None, None, threading.Lock(), threading.Event()

    def known(self) -> int | None:
        """The current generation as last announced, or None if this process is not listening."""
        if self.pid != os.getpid():  # first use in this process (gunicorn forks its workers)
            with self.lock:
                if self.pid != os.getpid():
                    self.number, self.pid = None, os.getpid()
                    if hasattr(cache, "listener"):  # a Redis cache; the local-memory cache has nothing to announce
                        thread = threading.Thread(target=self._listen_forever, name="newsroom-generation", daemon=True)
                        thread.start()
        return self.number

    def stop(self) -> None:
        self.stopped.set()
        self.number = None

    def take(self, number: int) -> None:
        """Note a generation this process started or heard of (numbers only grow)."""
        if self.pid == os.getpid() and not self.stopped.is_set():
            self.number = max(number, self.number or 0)

    def _listen_forever(self) -> None:
        while not self.stopped.is_set() and hasattr(cache, "listener"):
            try:
                self._listen()
            except Exception as error:  # noqa: BLE001 (any failure: requests read Redis until the next try)
                self.number = None
                logger.warning("Not listening for content changes, reading them per request: %s", error)
                self.stopped.wait(RECHECK_SECONDS)
        self.number = None

    def _listen(self) -> None:
        subscription = cache.listener(CHANNEL)
        try:
            recheck = 0.0
            while not self.stopped.is_set():
                if time.monotonic() >= recheck:  # subscribed first, so no announcement falls in between
                    number = cache.get(GENERATION_KEY)
                    if number is None:  # the cache lost it: requests start a new one, then announce it
                        self.number = None
                    else:
                        self.take(number)
                    recheck = time.monotonic() + RECHECK_SECONDS
                message = subscription.get_message(timeout=RECHECK_SECONDS)
                if message and message["type"] == "message":
                    self.take(int(message["data"]))
        finally:
            subscription.close()


listener = Listener()


def content_changed() -> None:
    """Retire everything cached for readers now and again once the current transaction commits.

    The bump after commit is the one that matters: a page rendered from the old rows while the
    transaction was open is filed under the earlier number and is never served again. The bump now
    lets code in the same transaction (shell sessions, tests) read its own writes.
    """
    bump()
    transaction.on_commit(_after_commit, robust=True)


def _after_commit() -> None:
    from newsroom.replicas import record_primary_position

    record_primary_position()  # before the bump: a reader of the new generation must not read an older replica
    bump()


def next_public_change(now: datetime) -> float | None:
    """Timestamp of the next moment the public site changes by itself, or None if nothing is scheduled."""
    from articles.models import Story

    publish = Story.objects.scheduled(now).aggregate(moment=Min("published_at"))["moment"]
    unbreak = Story.objects.published(now).breaking(now).aggregate(moment=Min("breaking_until"))["moment"]
    moments = [moment.timestamp() for moment in (publish, unbreak) if moment is not None]
    return min(moments, default=None)


def _horizon_for(generation: int, now: datetime) -> float | None:
    horizon = next_public_change(now)
    cache.set(HORIZON_KEY, (generation, horizon), timeout=None)
    return horizon


def current(now: datetime | None = None) -> tuple[int, float | None]:
    """The current generation and the time it ends by itself (None if nothing is scheduled).

    One round trip to the cache in the common case. When the scheduled horizon has passed, this
    request starts the next generation.
    """
    now = now or timezone.now()
    if _bump_pending:
        bump()
    known = listener.known()
    if known is not None:
        return _with_horizon(known, now)
    values = cache.get_many([GENERATION_KEY, HORIZON_KEY])
    generation = values.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _initial_generation(), timeout=None)
        # With the cache down, a number of its own that matches nothing cached: every page renders.
        generation = cache.get(GENERATION_KEY) or _initial_generation()
    stored = values.get(HORIZON_KEY)
    horizon = stored[1] if stored and stored[0] == generation else _horizon_for(generation, now)
    if horizon is not None and horizon <= now.timestamp():
        generation = bump()
        horizon = _horizon_for(generation, now)
    return generation, horizon


class LocalCopies:
    """What this process read from the shared cache last, each copy valid only for its generation.

    A page or a piece of one that is asked for again in the same generation is then answered from
    the process's own memory instead of another round trip to Redis. Every request still checks the
    current generation (announced by ``Listener``, or read from the cache), so a change made through
    any app server retires these copies at once. Values are shared by the requests of this process:
    treat them as read-only.
    """

    def __init__(self, size: int):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str, generation: int):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, generation: int, value) -> None:
        with self.lock:
            self.entries[key] = (generation, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


local_copies = LocalCopies(size=1000)


def remember(request, name: str, compute, timeout: int = 24 * 3600):
    """``compute()``, worked out once per content generation and shared by every app server.

    For what many reader pages show or what is costly to find (the site chrome, the most-read list,
    a story's related stories): a new generation retires it with everything else, so it is never stale.
    """
    number, key = for_request(request), f"newsroom:{name}"
    value = local_copies.get(key, number)
    if value is None:
        value = cache.get(f"{key}:{number}")
        if value is None:
            value = compute()
            cache.set(f"{key}:{number}", value, timeout=timeout)
        local_copies.put(key, number, value)
    return value


_known_horizon: tuple[int, float | None] | None = None  # (generation, horizon) as this process last read it


def _with_horizon(generation: int, now: datetime) -> tuple[int, float | None]:
    """``current()`` for a listening process: the horizon is read once per generation, not per request."""
    global _known_horizon
    if _known_horizon is None or _known_horizon[0] != generation:
        stored = cache.get(HORIZON_KEY)
        horizon = stored[1] if stored and stored[0] == generation else _horizon_for(generation, now)
        _known_horizon = (generation, horizon)
    horizon = _known_horizon[1]
    if horizon is not None and horizon <= now.timestamp():
        generation = bump()
        horizon = _horizon_for(generation, now)
        _known_horizon = (generation, horizon)
    return generation, horizon


def for_request(request) -> int:
    """The generation this request was served in, read once per request."""
    generation = getattr(request, "content_generation", None)
    if generation is None:
        generation = request.content_generation = current()[0]
    return generation
