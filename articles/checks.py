"""System checks for the caching setup."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Page caching in production needs a cache every app process shares, or invalidation misses some."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.NEWSROOM_PAGE_CACHE and backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "The page cache is on but the cache is local to each process.",
                hint=(
                    "A change seen by one gunicorn worker would not retire the pages cached by the others. "
                    "Set CACHE_URL to a Redis server shared by all app servers (redis://host:6379/0), "
                    "or set NEWSROOM_PAGE_CACHE=false."
                ),
                id="newsroom.W001",
            )
        ]
    return []
