"""Dependency tags: each cached entry records what it shows, and a change retires only the entries that show it.

A tag names one thing readers can see ("story-12", "author-3") or one list ("section-4-stories").
While a page or a piece of one is built, the code that reads content declares the tags of what it
shows (``depends_on``); the entry is stored with the *version* each of its tags had. ``retire(tags)``
gives those tags new versions, so every entry that recorded an older version is no longer served, on
every app server sharing the cache, while every other entry stays. It is how CDNs purge by surrogate
key, and the same tags go to the CDN (``newsroom.purge``) and out in the ``Surrogate-Key`` header.

Keys are stable (one per page, one per piece), so a retired entry is overwritten by the next render
instead of piling up beside it. Every entry also depends on ``SITE``: retiring it retires everything.

Versions are times in microseconds and only grow (wall time with Redis, the steady clock with a
cache of one machine). A render notes when it started; it is stored only if
none of its tags got a version since then (``ClockSkew`` allowed between servers), because the
content it read may predate that change. With Redis, a new version is announced on ``CHANNEL`` by
the same script that sets it, and each process keeps the versions it has seen (``Versions``), so a
cache hit costs no round trip; a process that is not listening reads versions per request.

A committed change whose retirement cannot reach Redis is sent again with this process's next
request once Redis answers, and is also written down in the database (``UndeliveredRetirement``):
every listening process delivers what is written there when it (re)connects and every
``DELIVER_SECONDS``, so the retirement is not lost if its process ends during the outage.

This module knows no app. Apps declare which model changes retire which tags (``on_change``) and
when their content changes by itself (``on_schedule``, e.g. a story's publish time coming).
"""

import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
from contextlib import contextmanager
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from newsroom import purge

logger = logging.getLogger(__name__)

SITE = "site"  # every entry depends on it: retire it when something every page shows changes
SCHEDULE = "schedule"  # the next scheduled change of content (see ``on_schedule``)
CHANNEL = "newsroom:retired"  # Redis pub/sub: "<epoch> <tag>=<version> ..." for every retirement
CHECKED_KEY = "newsroom:schedule-checked"  # (when, next moment) as the schedule was last worked out
EPOCH_KEY = "newsroom:tags:epoch"  # counts retirements; a listener rereads it to notice lost messages
RECHECK_SECONDS = 1.0
DELIVER_SECONDS = 15.0  # how often a listening process looks for retirements the cache missed
_VERSION_PREFIX = "newsroom:tag:"
_VALID_TAG = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def _now_us() -> int:
    """The clock versions are read on: wall time when servers share the cache, else this machine's steady clock."""
    if _is_shared_cache():
        return time.time_ns() // 1000
    return time.monotonic_ns() // 1000


def tag_for(obj) -> str:
    """The tag of one saved object: its model's name and primary key ("story-12")."""
    return f"{obj._meta.model_name}-{obj.pk}"


def _checked(tags: Iterable[str]) -> set[str]:
    tags = set(tags)
    for tag in tags:
        if not _VALID_TAG.match(tag):
            raise ValueError(f"Not a cache tag: {tag!r}")
    return tags


def clock_skew_us() -> int:
    """How far apart the clocks of servers sharing the cache may be; nothing to allow for with a local cache."""
    return int(settings.NEWSROOM_CACHE_CLOCK_SKEW * 1_000_000) if _is_shared_cache() else 0


def _is_shared_cache() -> bool:
    return hasattr(cache, "run_script")


# --- versions -------------------------------------------------------------------------------------

# Sets each tag's version to the later of now and its version plus one, counts the retirement and
# announces it, in one step. Django's Redis cache stores integers as plain numbers, so GET reads them.
_RETIRE = """
local now = tonumber(ARGV[1])
local epoch = redis.call('INCR', KEYS[1])
local message = {tostring(epoch)}
local versions = {}
for i = 2, #KEYS do
  local current = tonumber(redis.call('GET', KEYS[i]) or '0')
  local version = math.max(now, current + 1)
  redis.call('SET', KEYS[i], version)
  versions[i - 1] = version
  message[#message + 1] = ARGV[i] .. '=' .. string.format('%d', version)
end
redis.call('PUBLISH', ARGV[#ARGV], table.concat(message, ' '))
return versions
"""

# Reads tags' versions; a tag with none (never retired, or lost) gets ``ARGV[1]``, a time before the
# render that asks, so the render may be stored and nothing stored before the loss matches it.
_READ = """
local versions = {}
for i = 1, #KEYS do
  local version = redis.call('GET', KEYS[i])
  if not version then
    redis.call('SET', KEYS[i], ARGV[1], 'NX')
    version = redis.call('GET', KEYS[i])
  end
  versions[i] = tonumber(version)
end
return versions
"""


class Versions:
    """Tags' current versions, and this process's copy of them kept current by Redis pub/sub.

    A thread per process subscribes to ``CHANNEL``; every retirement announces its new versions
    there before the process that retired them carries on, so the change is known everywhere by the
    time its editor sees the save confirmed. The thread also rereads ``EPOCH_KEY`` every
    ``RECHECK_SECONDS``: if retirements happened that it was not told of, it forgets everything it
    knew. Until the subscription is up, or while it is down, versions are read from the cache.
    """

    def __init__(self):
        self.known: dict[str, int] = {}
        self.listening = False
        self.session = 0  # goes up whenever ``known`` is dropped: a read begun before must not be kept
        self.pid, self.lock, self.stopped = None, threading.Lock(), threading.Event()
        self.local_lock = threading.Lock()

    # reading

    def read(self, tags: Collection[str], *, fresh_before: int | None = None) -> dict[str, int]:
        """The current version of each tag; tags with none get one older than ``fresh_before`` (µs)."""
        self._start_listening()
        known, missing = {}, []
        if self.listening:
            for tag in tags:
                version = self.known.get(tag)
                if version is None:
                    missing.append(tag)
                else:
                    known[tag] = version
        else:
            missing = list(tags)
        if missing:
            session = self.session
            found = self._read_shared(missing, (fresh_before or _now_us()) - clock_skew_us() - 1)
            if self.listening and session == self.session:
                with self.lock:
                    for tag, version in found.items():
                        self.known[tag] = max(version, self.known.get(tag, 0))
            known.update(found)
        return known

    def _read_shared(self, tags: list[str], initial: int) -> dict[str, int]:
        keys = [_VERSION_PREFIX + tag for tag in tags]
        run_script = getattr(cache, "run_script", None)  # read once: it goes while Redis is left alone
        if run_script is not None:
            versions = run_script(_READ, keys, [initial])
            return {} if versions is None else {tag: v for tag, v in zip(tags, versions, strict=True) if v}
        with self.local_lock:  # a cache of this process alone: the lock makes read-or-set one step
            found = cache.get_many(keys)
            for key in keys:
                if key not in found and cache.add(key, initial, timeout=None):
                    found[key] = initial
            found.update(cache.get_many([key for key in keys if key not in found]))
        return {tag: found[key] for tag, key in zip(tags, keys, strict=True) if key in found}

    # retiring

    def bump(self, tags: Collection[str]) -> bool:
        """Give ``tags`` new versions and announce them; False if the cache could not be reached."""
        tags, now = sorted(tags), _now_us()
        keys = [EPOCH_KEY, *(_VERSION_PREFIX + tag for tag in tags)]
        run_script = getattr(cache, "run_script", None)
        if run_script is not None:
            versions = run_script(_RETIRE, keys, [now, *tags, cache.channel(CHANNEL)])
            if versions is None:
                return False
            self.take(dict(zip(tags, versions, strict=True)))
            return True
        with self.local_lock:
            current = cache.get_many(keys[1:])
            new = {key: max(now, current.get(key, 0) + 1) for key in keys[1:]}
            failed = cache.set_many(new, timeout=None)
        return not failed

    def take(self, versions: dict[str, int]) -> None:
        """Note versions this process set or was told of (versions only grow)."""
        if self.listening and self.pid == os.getpid():
            with self.lock:
                for tag, version in versions.items():
                    self.known[tag] = max(version, self.known.get(tag, 0))

    def forget(self) -> None:
        with self.lock:
            self.known, self.session = {}, self.session + 1

    # listening

    def _start_listening(self) -> None:
        if self.pid == os.getpid():
            return
        with self.lock:
            if self.pid != os.getpid():  # first use in this process (gunicorn forks its workers)
                self.known, self.listening, self.pid = {}, False, os.getpid()
                if hasattr(cache, "listener"):
                    thread = threading.Thread(target=self._listen_forever, name="newsroom-cachetags", daemon=True)
                    thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.listening = False

    def _listen_forever(self) -> None:
        while not self.stopped.is_set():
            try:
                self._listen()
            except Exception as error:  # noqa: BLE001 (any failure: requests read versions until the next try)
                logger.warning("Not listening for retired cache tags, reading them per request: %s", error)
            self.listening = False
            self.forget()
            self.stopped.wait(RECHECK_SECONDS)

    def _listen(self) -> None:
        subscription = cache.listener(cache.channel(CHANNEL))
        try:
            seen, recheck, deliver = None, 0.0, 0.0
            while not self.stopped.is_set():
                if time.monotonic() >= deliver:  # at once when (re)connected, then now and then
                    _deliver_from_thread()
                    deliver = time.monotonic() + DELIVER_SECONDS
                if time.monotonic() >= recheck:  # subscribed first, so no announcement falls in between
                    epoch = cache.get(EPOCH_KEY)
                    if epoch is None and seen is None:
                        cache.add(EPOCH_KEY, 0, timeout=None)
                        epoch = cache.get(EPOCH_KEY)
                    if epoch is None or (seen is not None and epoch > seen):  # lost, or missed a message
                        self.forget()
                    seen = epoch if epoch is not None else seen
                    self.listening = epoch is not None
                    recheck = time.monotonic() + RECHECK_SECONDS
                message = subscription.get_message(timeout=RECHECK_SECONDS)
                if message and message["type"] == "message":
                    epoch, versions = _parse(message["data"])
                    self.take(versions)
                    seen = max(seen or 0, epoch)
        finally:
            subscription.close()


def _deliver_from_thread() -> None:
    """Deliver retirements the cache missed (``deliver_undelivered``) from the listening thread."""
    try:
        deliver_undelivered()
    except Exception as error:  # noqa: BLE001 (the database may be away too: the next round tries again)
        logger.warning("Could not deliver retirements the cache missed: %s", error)
    finally:
        connection.close()  # this thread's own connection


def _parse(data) -> tuple[int, dict[str, int]]:
    epoch, *pairs = (data.decode() if isinstance(data, bytes) else data).split()
    return int(epoch), {tag: int(version) for tag, version in (pair.rsplit("=", 1) for pair in pairs)}


versions = Versions()


def is_current(recorded: dict[str, int]) -> bool:
    """Whether no tag an entry recorded has been retired since."""
    current = versions.read(recorded)
    return all(current.get(tag) == version for tag, version in recorded.items())


def versions_to_store(tags: Collection[str], started: int) -> dict[str, int] | None:
    """The versions to file an entry under, or None if one of its tags was retired after ``started`` (µs)."""
    current = versions.read(tags, fresh_before=started)
    if len(current) < len(tags):
        return None  # the cache did not answer
    if any(version >= started - clock_skew_us() for version in current.values()):
        return None  # what the render read may predate that change
    return current


# --- retiring -------------------------------------------------------------------------------------

_retry = set()  # tags whose retirement could not reach the cache: repeated once it answers again
_retry_lock = threading.Lock()


def retire(*tags: str) -> None:
    """Retire every entry that shows any of ``tags``: now, and again once the current transaction commits.

    The retirement after commit is the one that matters: a page rendered from the old rows while the
    transaction was open recorded a version that is then out of date. Retiring at once as well lets
    code in the same transaction (shell sessions, tests) read its own writes. After commit the tags
    also go to the CDN (``newsroom.purge``).
    """
    tags = _checked(tags)
    if not tags:
        return
    for listener in _retire_listeners:
        listener(tags)
    if transaction.get_connection().in_atomic_block:
        _bump(tags)
    transaction.on_commit(partial(_after_commit, tags), robust=True)


_retire_listeners: list[Callable[[set[str]], None]] = []


def on_retire(listener: Callable[[set[str]], None]) -> None:
    """Call ``listener(tags)`` on every retirement, at once, inside the transaction making the change.

    For what an app keeps outside the cache but derived from what the tags name (markup stored on a
    row, say): forgetting it in the same transaction means no reader sees the change without it.
    """
    if listener not in _retire_listeners:
        _retire_listeners.append(listener)


def _bump(tags: set[str], *, committed: bool = False) -> bool:
    """Retire ``tags`` with any retirement still pending here; if the cache fails, keep them for later.

    A ``committed`` change the cache missed is also written down in the database, so that it is
    delivered even if this process ends before the cache answers again.
    """
    with _retry_lock:
        pending = tags | _retry
        _retry.clear()
    if versions.bump(pending):
        return True
    logger.warning("Could not retire %d cache tags; retrying once the cache answers", len(pending))
    with _retry_lock:
        _retry.update(pending)
    if committed and hasattr(cache, "listener"):  # a cache other processes read, even while it is away
        _keep_undelivered(pending)
    return False


def _after_commit(tags: set[str]) -> None:
    from newsroom.replicas import record_primary_position

    record_primary_position()  # before retiring: a reader of the new version must not read an older replica
    _bump(tags, committed=True)
    purge.purge(tags)  # the CDN forgets the same pages (off unless NEWSROOM_PURGE_URL is set)


def retry_pending() -> None:
    """Repeat retirements that could not reach the cache (each request calls this; it is free when none are)."""
    if _retry and _bump(set()):
        deliver_undelivered()  # what other processes wrote down during the same outage


def _keep_undelivered(tags: set[str]) -> None:
    from newsroom.models import UndeliveredRetirement

    try:
        UndeliveredRetirement.objects.create(tags=" ".join(sorted(tags)))
    except DatabaseError as error:
        logger.error("Could not keep %d undelivered cache tags: %s", len(tags), error)


def deliver_undelivered(batch: int = 500) -> int:
    """Retire the tags written down while the cache was away, oldest first; how many rows were delivered.

    Any process may deliver them, several at once: retiring a tag twice only costs a render.
    """
    from newsroom.models import UndeliveredRetirement

    delivered = 0
    while rows := list(UndeliveredRetirement.objects.values_list("pk", "tags")[:batch]):
        tags = {tag for _, text in rows for tag in text.split()}
        if not versions.bump(_checked(tags)):
            break
        UndeliveredRetirement.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        delivered += len(rows)
    if delivered:
        logger.info("Delivered %d retirements the cache missed", delivered)
    return delivered


# --- what pages show ------------------------------------------------------------------------------


class Collector:
    """The tags one entry shows, gathered while it is built; entries built inside it add theirs to it."""

    def __init__(self, started: int | None = None):
        self.tags, self.started = {SITE}, started or _now_us()


_collecting = threading.local()


def _stack() -> list[Collector]:
    stack = getattr(_collecting, "stack", None)
    if stack is None:
        stack = _collecting.stack = []
    return stack


@contextmanager
def collecting(started: int | None = None):
    """Gather the tags of what is read inside the block into a new ``Collector`` (and into any outer one)."""
    stack = _stack()
    collector = Collector(started or (stack[-1].started if stack else None))
    stack.append(collector)
    try:
        yield collector
    finally:
        stack.pop()
        if stack:
            stack[-1].tags |= collector.tags


def depends_on(*tags: str) -> None:
    """Declare that what is being built shows ``tags`` (no-op outside ``collecting``)."""
    stack = _stack()
    if stack:
        stack[-1].tags.update(tags)


class Shown(SimpleLazyObject):
    """An object loaded on first use whose tags go into every entry that uses it, not only the first.

    For an object that several pieces of a page show (a story in the page head and in the body): a
    piece rendered after the object was loaded still records the object's tags. ``tags_of(obj)``
    gives them.
    """

    def __init__(self, load: Callable[[], object], tags_of: Callable[[object], Iterable[str]]):
        self.__dict__["_tags_of"], self.__dict__["_declared_in"] = tags_of, set()
        super().__init__(load)

    def _declare(self) -> None:
        stack = _stack()
        if stack and id(stack[-1]) not in self._declared_in:
            tags = self.__dict__.get("_tags")
            if tags is None:
                if self._wrapped is empty:
                    self._setup()
                tags = self.__dict__["_tags"] = set(self._tags_of(self._wrapped))
            stack[-1].tags |= tags
            self._declared_in.add(id(stack[-1]))

    def __getattr__(self, name):
        self._declare()
        return super().__getattr__(name)

    def __iter__(self):
        self._declare()
        return super().__iter__()

    def __bool__(self):
        self._declare()
        return super().__bool__()

    def __len__(self):
        self._declare()
        return super().__len__()


def depends_on_objects(*objects) -> None:
    """``depends_on`` the tags of saved objects (``None`` is skipped)."""
    depends_on(*(tag_for(obj) for obj in objects if obj is not None))


class LocalCopies:
    """Entries this process read from the shared cache last, so a hot one costs no round trip.

    Each copy is checked against the current versions (known in memory while listening) on every
    use, so a change made through any app server retires it at once. Values are shared by the
    requests of this process: treat them as read-only. The copies are held to ``max_bytes`` of text
    (``NEWSROOM_LOCAL_COPIES_MB``), least recently used first out, so a worker's memory stays flat
    however many pages readers spread over.
    """

    def __init__(self, max_bytes: int):
        self.max_bytes, self.used, self.lock = max_bytes, 0, threading.Lock()
        self.entries: OrderedDict[str, tuple[object, int]] = OrderedDict()

    def get(self, key: str):
        with self.lock:
            held = self.entries.get(key)
            if held is None:
                return None
            self.entries.move_to_end(key)
            return held[0]

    def put(self, key: str, entry) -> None:
        weight = _weight(entry)
        with self.lock:
            previous = self.entries.pop(key, None)
            self.used -= previous[1] if previous else 0
            if weight > self.max_bytes:
                return
            self.entries[key] = (entry, weight)
            self.used += weight
            while self.used > self.max_bytes:
                _key, (_entry, dropped) = self.entries.popitem(last=False)
                self.used -= dropped

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0


def _weight(value, depth: int = 0) -> int:
    """About how many bytes ``value`` holds: its text and bytes, in nested tuples, lists and dicts."""
    if isinstance(value, str | bytes):
        return len(value) + 50
    if depth < 4 and isinstance(value, tuple | list):
        return 60 + sum(_weight(item, depth + 1) for item in value)
    if depth < 4 and isinstance(value, dict):
        return 100 + sum(_weight(k, depth + 1) + _weight(v, depth + 1) for k, v in value.items())
    return 30


local_copies = LocalCopies(max_bytes=int(getattr(settings, "NEWSROOM_LOCAL_COPIES_MB", 64) * 2**20))


def keeps_nothing() -> bool:
    """Whether the site runs with no cache at all (``DummyCache``): then nothing is looked up or stored."""
    return isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache)


def lookup(key: str):
    """The stored entry under ``key`` if none of its tags was retired since it was stored, else None."""
    if keeps_nothing():
        return None
    entry = local_copies.get(key)
    if entry is None or not is_current(entry[0]):
        entry = cache.get(key)
        if entry is None or not is_current(entry[0]):
            return None
        local_copies.put(key, entry)
    return entry


def stale(key: str):
    """The stored entry under ``key`` even if retired (for serving something when the database fails)."""
    return cache.get(key)


def store(key: str, value, tags: Collection[str], started: int, timeout: int) -> bool:
    """File ``value`` under ``key`` with its tags' versions; False (nothing stored) if a tag changed meanwhile."""
    if keeps_nothing():
        return False
    recorded = versions_to_store(tags, started)
    if recorded is None:
        return False
    entry = (recorded, value)
    cache.set(key, entry, timeout=timeout)
    local_copies.put(key, entry)
    return True


def remember(name: str, compute: Callable[[], object], *, tags: Iterable[str] = (), timeout: int = 24 * 3600):
    """``compute()``, worked out once until one of the tags it shows is retired, and shared by every app server.

    The tags are ``tags`` plus whatever ``compute`` declares with ``depends_on``; they are added to the
    entry being built around this call, so a page that shows the value is retired with it.
    """
    key = f"newsroom:value:{name}"
    entry = lookup(key)
    if entry is not None:
        depends_on(*entry[0])
        return entry[1]
    with collecting() as collector:
        depends_on(*tags)
        value = compute()
    store(key, value, collector.tags, collector.started, timeout)
    return value


# --- declarations by apps -------------------------------------------------------------------------

_rules: dict[type, tuple[Callable, Callable | None]] = {}


def on_change(model, retires: Callable, *, before: Callable | None = None) -> None:
    """Declare what saving, deleting or relating a ``model`` retires.

    ``retires(instance, before=..., deleted=..., related=...)`` returns the tags to retire (empty: nothing readers
    see changed). ``before(instance)``, if given, is called before a save or delete and its result
    is passed as ``before``: the state the change starts from (e.g. whether the row was public).
    For a relation change (``model`` is the through model), ``instance`` is the object whose relation
    changed and ``related`` the primary keys added or removed (None for a clear).
    A model with no rule retires nothing; ``tests`` check that every model of a content app has one.
    """
    _rules[model] = (retires, before)
    connect()


def _nothing(instance, **kwargs) -> set[str]:
    return set()


def private(*models) -> None:
    """Declare models whose rows readers never see (history, autosaves, import records): they retire nothing."""
    for model in models:
        on_change(model, _nothing)


def rule_for(model):
    return _rules.get(model)


def _before(sender, instance, **kwargs):
    rule = _rules.get(sender)
    if rule and rule[1] is not None and not kwargs.get("raw"):
        instance._cachetags_before = rule[1](instance)


def _changed(sender, instance, deleted=False, **kwargs):
    rule = _rules.get(sender)
    if rule is None or kwargs.get("raw"):
        return
    tags = rule[0](instance, before=getattr(instance, "_cachetags_before", None), deleted=deleted)
    if tags:
        retire(*tags)


def _related(sender, instance, action, pk_set=None, **kwargs):
    rule = _rules.get(sender)
    if rule is not None and action in ("post_add", "post_remove", "post_clear"):
        tags = rule[0](instance, before=None, deleted=action != "post_add", related=pk_set)
        if tags:
            retire(*tags)


def connect() -> None:
    """Call the declared rules on every save, delete and relation change."""
    pre_save.connect(_before, dispatch_uid="newsroom-cachetags-before-save")
    pre_delete.connect(_before, dispatch_uid="newsroom-cachetags-before-delete")
    post_save.connect(_changed, dispatch_uid="newsroom-cachetags-saved")
    post_delete.connect(partial(_changed, deleted=True), dispatch_uid="newsroom-cachetags-deleted", weak=False)
    m2m_changed.connect(_related, dispatch_uid="newsroom-cachetags-related")


# --- scheduled changes ----------------------------------------------------------------------------

_schedules: list[tuple[Callable[[datetime], datetime | None], Callable[[datetime, datetime], set[str]]]] = []


def on_schedule(next_change: Callable[[datetime], datetime | None], reached: Callable[[datetime, datetime], set]):
    """Declare content that changes by itself at a time: ``next_change(now)`` is the next such moment, and
    ``reached(start, end)`` the tags that changed between two moments. Whatever changes a schedule must
    retire ``SCHEDULE``."""
    _schedules.append((next_change, reached))


def horizon(now: datetime | None = None) -> float | None:
    """Timestamp of the next moment content changes by itself (None if nothing is scheduled).

    Once that moment has passed, the first request to notice retires what changed at it (the tags
    its declaration names), so a scheduled story goes up with no cron and retires only its own pages.
    """
    now = now or timezone.now()
    moment = remember("horizon", partial(_next_change, now), tags=[SCHEDULE])
    if moment is not None and moment <= now.timestamp():
        if cache.add(f"newsroom:schedule-reached:{moment}", 1, timeout=60):  # one process does it
            _reach(moment, now)
            cache.set(CHECKED_KEY, (now.timestamp(), None), timeout=None)
            retire(SCHEDULE)
        moment = remember("horizon", partial(_next_change, now), tags=[SCHEDULE])
    return moment


def _reach(moment: float, now: datetime) -> None:
    """Retire what changed by itself from ``moment`` (a timestamp) to ``now``."""
    start = datetime.fromtimestamp(moment, tz=now.tzinfo)
    tags = set().union(*(reached(start, now) for _next, reached in _schedules))
    if tags:
        retire(*tags)


def _next_change(now: datetime) -> float | None:
    """The next moment, noted in ``CHECKED_KEY``; a moment noted before that came and went unhandled
    (its entry was evicted or flushed from the cache) is handled now."""
    moments = [next_change(now) for next_change, _reached in _schedules]
    moment = min((moment.timestamp() for moment in moments if moment is not None), default=None)
    previous = cache.get(CHECKED_KEY)
    cache.set(CHECKED_KEY, (now.timestamp(), moment), timeout=None)
    if previous and previous[1] is not None and previous[1] <= now.timestamp():
        _reach(previous[1], now)
    return moment
