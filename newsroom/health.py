"""Health endpoints, kept apart as orchestrators expect.

- Liveness, ``/health/live/``: the process answers requests. Nothing else is checked, so a database
  outage never gets a healthy server restarted (container healthchecks, systemd watchdogs).
- Readiness, ``/health/ready/`` (and ``/healthz``, its older name): this server can serve pages now:
  the database answers, and the cache is reported. Load balancers take a server out while it says 503.
"""

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

from newsroom.errors import DATABASE_ERRORS

HEALTH_PATH = "/healthz"
LIVE_PATH = "/health/live/"
READY_PATH = "/health/ready/"


def database_ok() -> bool:
    """Whether the default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DATABASE_ERRORS:
        return False


def cache_ok() -> bool:
    """Whether the cache stores and returns a value, and is not this process's memory standing in for Redis."""
    key, token = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, token, timeout=10)
    stored = cache.get(key)
    cache.delete(key)
    standing_in = getattr(cache, "redis_left_alone", None)
    return stored == token and not (standing_in and standing_in())


def health_response() -> JsonResponse:
    """200 while the database answers; 503 without it. A lost cache is reported but stays 200.

    The cache is shared by every app server and the site keeps serving without it (slower), so
    taking all of them out of the load balancer for it would turn a slowdown into an outage.
    """
    database, cache_answers = database_ok(), cache_ok()
    checks = {"database": "ok" if database else "unavailable", "cache": "ok" if cache_answers else "unavailable"}
    status = "unavailable" if not database else ("ok" if cache_answers else "degraded")
    response = JsonResponse({"status": status, **checks}, status=503 if status == "unavailable" else 200)
    response["Cache-Control"] = "no-store"
    return response


def liveness_response() -> JsonResponse:
    """200 whenever the process can answer at all: it needs neither the database nor the cache."""
    response = JsonResponse({"status": "alive"})
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers the health endpoints before host validation, HTTPS redirects and sessions.

    Load balancers probe each server by its address over plain HTTP; the answer holds nothing
    that depends on the host name, so it is safe to give before ALLOWED_HOSTS is consulted.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path_info in (HEALTH_PATH, READY_PATH):
                return health_response()
            if request.path_info == LIVE_PATH:
                return liveness_response()
        return self.get_response(request)
