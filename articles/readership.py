"""Most-read stories, counted cheaply and without cookies or third-party analytics.

A reader's browser reports a story view (``record_read``, called by a small beacon request), which
costs a lookup by primary key, a few cache operations and no database write. Counts are kept in the
cache per story per ``PERIOD``; when the first read of a new period arrives, the closed periods are
written to ``StoryReadCount`` in one statement (``flush``). ``python manage.py flush_read_counts``
does the same from a scheduler, if one is wanted. Counts left unwritten for a day are dropped.

Each address counts once per story per period; addresses are kept only as a keyed hash, and only
for the length of the period.
"""

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles import chrome
from articles.dependencies import MOST_READ, shows_teasers
from articles.models import Story, StoryQuerySet, StoryReadCount
from articles.models.readership import MOST_READ_LIMIT, PERIOD, WINDOW, most_read_since, period_start
from newsroom import cachetags
from newsroom.pagecache import late_piece

KEEP = timedelta(days=30)  # how long the per-period counts stay in the database
MAX_STORIES_PER_PERIOD = 5000  # bounds what made-up story ids sent to the beacon can make flush read
_TTL = int((WINDOW + PERIOD).total_seconds())  # unwritten counts older than a day are of no use
_PREFIX = "newsroom:reads"
RANKING_KEY = "newsroom:most-read:ranking"
MOST_READ_PIECE = "most-read"


def _key(period: datetime, *parts) -> str:
    return ":".join([_PREFIX, str(int(period.timestamp())), *map(str, parts)])


def _increment(key: str) -> int:
    """Add one to a counter in the cache, creating it if needed (atomic on Redis and local memory)."""
    cache.add(key, 0, timeout=_TTL)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=_TTL)
        return 1


def record_read(story_id: int, *, client: str = "", now: datetime | None = None) -> bool:
    """Count one read of a published story in the current period; False when not counted.

    A read is not counted when this client was already counted, or when the story is not public:
    made-up or unpublished ids would otherwise take the period's slots from real stories.
    """
    now = now or timezone.now()
    if not Story.objects.published(now=now).filter(pk=story_id).exists():
        return False
    period = period_start(now)
    if client:
        fingerprint = salted_hmac("newsroom.readership", f"{client}:{story_id}:{period.timestamp()}").hexdigest()
        if not cache.add(_key(period, "seen", fingerprint), 1, timeout=int(PERIOD.total_seconds())):
            return False
    count_key = _key(period, "story", story_id)
    if cache.add(count_key, 1, timeout=_TTL):
        # A story's first read in this period: note it in the period's list, so that flush can find it.
        slot = _increment(_key(period, "stories"))
        if slot <= MAX_STORIES_PER_PERIOD:
            cache.set(_key(period, "slot", slot), story_id, timeout=_TTL)
        if slot == 1:  # the period's first read of any story: the earlier periods have closed
            flush(now=now)
    else:
        _increment(count_key)
    return True


def _closed_counts(now: datetime) -> dict[datetime, dict[int, int]]:
    """Counts in the cache for periods that have closed and that no one has written yet (claims them)."""
    current = period_start(now)
    periods = [current - PERIOD * n for n in range(1, int(WINDOW / PERIOD) + 1)]
    sizes = cache.get_many([_key(period, "stories") for period in periods])
    counts = {}
    for period in periods:
        size = sizes.get(_key(period, "stories"))
        if not size or not cache.add(_key(period, "flushed"), 1, timeout=_TTL):
            continue  # nothing counted, or already written by another process
        slots = [_key(period, "slot", n) for n in range(1, min(size, MAX_STORIES_PER_PERIOD) + 1)]
        story_ids = set(cache.get_many(slots).values())
        found = cache.get_many([_key(period, "story", story_id) for story_id in story_ids])
        counts[period] = {int(key.rsplit(":", 1)[1]): count for key, count in found.items()}
    return counts


def flush(*, now: datetime | None = None) -> int:
    """Write the counts of closed periods to the database; returns how many rows were added to."""
    now = now or timezone.now()
    counts = _closed_counts(now)
    story_ids = {story_id for per_story in counts.values() for story_id in per_story}
    known = set(Story.objects.published(now=now).filter(pk__in=story_ids).values_list("pk", flat=True))
    rows = [
        (story_id, connection.ops.adapt_datetimefield_value(period), count)
        for period, per_story in counts.items()
        for story_id, count in per_story.items()
        if story_id in known and count > 0
    ]
    table = connection.ops.quote_name(StoryReadCount._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if rows:
            # Adds to a row another process may already have written (each has its own local-memory cache).
            cursor.executemany(
                f"INSERT INTO {table} (story_id, period_start, count) VALUES (%s, %s, %s) "
                f"ON CONFLICT (story_id, period_start) DO UPDATE SET count = {table}.count + excluded.count",
                rows,
            )
        # Plain SQL on purpose: these rows are not content, so removing them must not retire cached pages.
        cursor.execute(
            f"DELETE FROM {table} WHERE period_start < %s",
            [connection.ops.adapt_datetimefield_value(period_start(now) - KEEP)],
        )
    if rows:
        _publish_ranking(now)
    return len(rows)


def _most_read(now: datetime | None) -> StoryQuerySet:
    """Published stories read over the last ``WINDOW``, most read first."""
    return Story.objects.published(now=now).most_read(most_read_since(now or timezone.now()))


def ranking(now: datetime | None = None) -> list[int]:
    """Ids of the most-read published stories over the last ``WINDOW``."""
    return list(_most_read(now).values_list("pk", flat=True)[:MOST_READ_LIMIT])


def _publish_ranking(now: datetime) -> None:
    """When the most-read list has changed, retire it (it is a late piece: no page is retired with it)."""
    new = ranking(now)
    if cache.get(RANKING_KEY) != new:
        cache.set(RANKING_KEY, new, timeout=None)
        cachetags.retire(MOST_READ)


def most_read(request, now: datetime | None = None) -> list[Story]:
    """The most-read stories for a reader page, kept with the site chrome (``articles.chrome``) and shared
    through the cache until the list or one of its stories changes."""

    def load() -> list[Story]:
        stories = chrome.most_read(now)
        shows_teasers(stories)
        return stories

    return cachetags.remember("most-read", load, tags=[MOST_READ], timeout=int(WINDOW.total_seconds()))


@late_piece(MOST_READ_PIECE)
def most_read_html(request) -> str:
    """The most-read list as pages show it, rendered once until it or one of its stories changes."""

    def render() -> str:
        return render_to_string("includes/most_read.html", {"stories": most_read(request)})

    return cachetags.remember("most-read-html", render, tags=[MOST_READ], timeout=int(WINDOW.total_seconds()))
