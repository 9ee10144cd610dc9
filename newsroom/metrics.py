"""Prometheus metrics: requests by view and status, their latency, and page cache results per kind of page.

``GET /metrics`` answers in Prometheus's text format, before host validation (Prometheus scrapes each
server by its address, as load balancers probe ``/healthz``), to a request that carries
``Authorization: Bearer <NEWSROOM_METRICS_TOKEN>`` or that comes straight from an address in
``NEWSROOM_METRICS_NETWORKS`` (loopback by default; a request relayed by a proxy never counts as internal).
Anyone else gets a 403.

Under gunicorn every worker counts for itself: with ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn.conf.py
sets it) the workers write their counts to files there and a scrape of any worker adds them all up.

A "view" is the route's name (``articles:story_detail``), so the labels stay few however many stories
there are; addresses no route matches count as ``unmatched``. Pages served from the page cache are
answered before routing, so for them the route is looked up here (and remembered).
"""

import functools
import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

METRICS_PATH = "/metrics"
UNMATCHED = "unmatched"

REQUESTS = Counter("newsroom_requests", "Requests answered, by view, method and status.", ["view", "method", "status"])
LATENCY = Histogram(
    "newsroom_request_duration_seconds",
    "Time from the request reaching the application to its response, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "newsroom_page_cache",
    "Reader pages by page cache result (hit, miss, not_stored, stale, off), by view.",
    ["view", "result"],
)
# X-Page-Cache values (newsroom/pagecache.py) as label values.
_RESULTS = {"hit": "hit", "miss": "miss", "miss, not stored": "not_stored", "stale": "stale", "off": "off"}


@functools.lru_cache(maxsize=2048)
def _route_name(path: str, urlconf: str) -> str:
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return UNMATCHED
    return match.view_name or UNMATCHED


def view_name(request) -> str:
    """The name of the route that answered the request (``articles:home``), or ``unmatched``."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or UNMATCHED
    return _route_name(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)


def record(view: str, method: str, status: int, seconds: float, page_cache: str | None) -> None:
    """Count one answered request."""
    method = method if method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") else "other"
    REQUESTS.labels(view, method, str(status)).inc()
    LATENCY.labels(view).observe(seconds)
    if page_cache in _RESULTS:
        PAGE_CACHE.labels(view, _RESULTS[page_cache]).inc()


def exposition() -> bytes:
    """Every metric in Prometheus's text format: all gunicorn workers' in multiprocess mode, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def may_read(request) -> bool:
    """Whether the request carries the metrics token, or comes straight from an internal address."""
    token = settings.NEWSROOM_METRICS_TOKEN
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if token and authorization.startswith("Bearer "):
        return hmac.compare_digest(authorization.removeprefix("Bearer ").encode(), token.encode())
    if "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META:
        return False  # relayed by a proxy: the address is the proxy's, not the client's
    try:
        remote = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(remote in network for network in _networks(tuple(settings.NEWSROOM_METRICS_NETWORKS)))


@functools.lru_cache(maxsize=8)
def _networks(networks: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(network.strip(), strict=False) for network in networks if network.strip())


def metrics_response(request) -> HttpResponse:
    if not may_read(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    response = HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


class MetricsMiddleware:
    """Answers ``/metrics`` and measures every other request (place it above the page cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS_PATH and request.method in ("GET", "HEAD"):
            return metrics_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        record(
            view_name(request),
            request.method,
            response.status_code,
            time.perf_counter() - started,
            response.get("X-Page-Cache"),
        )
        return response
