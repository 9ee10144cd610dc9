"""Limits on how often one address (or one account) may ask for something.

Counters are django-ratelimit's, kept in the default cache: Redis in production, so every app server
counts the same requests; local memory in tests and on a developer's machine. Each throttle has a
name and a setting ``NEWSROOM_THROTTLE_<NAME>`` holding one or more rates, comma separated
(``"10/m,40/h"``: at most 10 a minute and 40 an hour); an empty setting switches it off. Addresses
come from ``newsroom.client_ip`` (``RATELIMIT_IP_META_KEY``), so they follow the trusted proxies.

A view counts each request with ``hit`` (or the ``throttled`` decorator); sign-in counts only
failures, with ``peek`` before the attempt and ``hit`` after a failed one. Over a limit the answer is
``too_many_requests``: 429, ``Retry-After`` until the window ends, never stored by any cache.

Views marked ``public_page`` are served from the page cache before they run, so a throttle on one
counts the requests that make the site render (a cache miss), not the copies the cache hands out:
those cost no database work, and counting them would add a round trip to Redis to every hit.
"""

import functools

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import get_usage


def _rates(name: str) -> list[str]:
    value = getattr(settings, f"NEWSROOM_THROTTLE_{name.upper()}", "")
    return [rate.strip() for rate in value.split(",") if rate.strip()]


def _wait(request, name: str, key, *, increment: bool) -> int | None:
    """Seconds until ``request`` may ask again when over one of the throttle's rates, else None."""
    waits = []
    for rate in _rates(name):
        usage = get_usage(request, group=f"newsroom.{name}", key=key, rate=rate, increment=increment)
        if usage is None:  # throttling switched off (RATELIMIT_ENABLE) or the cache failed open
            continue
        # Counting this request, it may be the limit-th; only looking, the limit must not be reached yet.
        over = usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"]
        if over:
            waits.append(max(1, usage["time_left"]))
    return max(waits) if waits else None


def hit(request, name: str, key="ip") -> int | None:
    """Count one request against throttle ``name``; seconds to wait if it is over a limit, else None.

    ``key`` is what is counted: ``"ip"`` for the client's address, or a callable ``(group, request)``
    returning, say, an account name.
    """
    return _wait(request, name, key, increment=True)


def peek(request, name: str, key="ip") -> int | None:
    """Like ``hit``, without counting: whether the next counted request would be over a limit."""
    return _wait(request, name, key, increment=False)


def longest(*waits: int | None) -> int | None:
    """The longest of several throttles' waits (None when none is over its limit)."""
    return max((wait for wait in waits if wait is not None), default=None)


def too_many_requests(request, retry_after: int, *, json: bool = False, reason: str = "") -> HttpResponse:
    """The 429 answer: how long to wait, in ``Retry-After`` and in words, kept out of every cache."""
    minutes = max(1, round(retry_after / 60))
    if json:
        message = f"Too many requests from this address: try again in {retry_after} seconds."
        response = JsonResponse({"error": message}, status=429)
    else:
        context = {"seconds": retry_after, "minutes": minutes, "reason": reason}
        response = HttpResponse(loader.render_to_string("429.html", context), status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


def throttled(name: str):
    """Decorate a view: each request from one address counts against throttle ``name``."""

    def decorate(view):
        @functools.wraps(view)
        def throttled_view(request, *args, **kwargs):
            wait = hit(request, name)
            if wait is not None:
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return throttled_view

    return decorate
