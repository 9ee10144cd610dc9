"""Whole-page caching for anonymous readers, correct under editing.

Only views marked with ``public_page`` take part. For them, a GET from a reader who carries no session
or CSRF cookie is answered from the application cache when the cache holds the page and nothing it
shows has changed since (``newsroom.cachetags``: each page records the tags of what it shows, and a
change retires only the pages showing it); otherwise the view renders and the page is stored,
unless anything about the response is personal: a Set-Cookie, a CSRF token, a ``private`` or
``no-store`` Cache-Control, a logged-in user. Everyone else (staff, previews, anything with a session)
gets the view's own response marked ``private, no-store``, so no proxy or CDN keeps it either.

Public pages carry ``Cache-Control: public, max-age=0, s-maxage=..., stale-while-revalidate=...`` for
proxies and CDNs, capped by the next scheduled change, an ``ETag``/``Last-Modified`` pair so repeat
visits and proxy revalidations get a 304, and a ``Surrogate-Key`` header with the page's tags, so a
CDN can purge exactly the pages a change retires.

A piece that changes on its own schedule (the most-read list) is a late piece: pages store a
placeholder for it and get its current markup as they are served, so it retires no page.

A page may carry a CSP nonce (django-csp). A stored page keeps the nonce it was rendered with and
every copy served from the cache gets a fresh one, in the header and the body alike, so no two
responses share a nonce and content stored in the database can never guess it.

Django's own cache middleware is not used: it files pages per Cookie header (so it would store staff
pages too), it cannot retire pages when content changes short of clearing the whole cache, and it
needs two cache reads per hit where this needs one.
"""

import base64
import functools
import hashlib
import logging
import os
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from newsroom import cachetags, replicas
from newsroom.errors import DATABASE_ERRORS, service_unavailable

logger = logging.getLogger(__name__)

CSP_HEADERS = ("content-security-policy", "content-security-policy-report-only")
PERSONAL_DIRECTIVES = ("private", "no-store", "no-cache")
# Query parameters added by sharing and ad platforms: they never change the page, so a story shared
# on WhatsApp or Facebook with a fresh click id each time still hits the same cached copy.
TRACKING_PARAMETERS = ("fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga")


def public_page(view):
    """Mark a view whose response is the same for every anonymous reader, so caches may share it."""

    @functools.wraps(view)
    def public_view(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    public_view.public_page = True
    return public_view


def _drop_tracking_parameters(request) -> None:
    """Leave tracking parameters out of the request, so no reader's click id is written into a shared page."""
    query = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    kept = [(name, value) for name, value in query if not name.startswith("utm_") and name not in TRACKING_PARAMETERS]
    if len(kept) != len(query):
        request.META["QUERY_STRING"] = urlencode(kept)
        request.GET = QueryDict(request.META["QUERY_STRING"])


def page_key(request) -> str:
    """The cache key of a page: scheme, host, path and the query string (tracking parameters dropped)."""
    query = sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(query)}"
    return "newsroom:page:" + hashlib.sha256(address.encode()).hexdigest()


def _is_public_view(request) -> bool:
    return _is_public_path(request.path_info, get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=4096)
def _is_public_path(path: str, urlconf: str) -> bool:
    """Whether ``path`` goes to a public page; remembered, as a cached page is answered before routing."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


@receiver(setting_changed)
def _forget_public_paths(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests swap URLconfs
        _is_public_path.cache_clear()


def _may_share(request) -> bool:
    """Whether this request may be answered with, and may produce, the page every reader gets."""
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME not in cookies
        and settings.CSRF_COOKIE_NAME not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _is_personal(request, response) -> bool:
    """Whether anything about a rendered response ties it to the person who asked."""
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "").lower()
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (user is not None and user.is_authenticated)
        or any(directive in cache_control for directive in PERSONAL_DIRECTIVES)
    )


def shared_fragment(request, name: str, key, render) -> str:
    """A piece of a reader page, rendered once until what it shows changes, and shared by every reader.

    Only on requests the page cache may share (anonymous, no session or CSRF cookie, a public view),
    so a page built without the page cache (a cache-busting query string, the cache switched off)
    costs little more than one cache read per piece. Everywhere else (staff, previews) ``render()``
    runs each time. The piece's tags go to the page around it; a piece that holds the request's CSP
    nonce is never stored.
    """
    if not getattr(request, "shares_fragments", False):
        return render()
    cache_key = f"newsroom:piece:{name}:{key}"
    entry = cachetags.lookup(cache_key)
    if entry is not None:
        cachetags.depends_on(*entry[0])
        return entry[1]
    with cachetags.collecting() as collector:
        html = render()
    nonce = getattr(request, "_csp_nonce", None)
    if not (isinstance(nonce, str) and nonce in html):
        cachetags.store(cache_key, html, collector.tags, collector.started, settings.NEWSROOM_PAGE_CACHE_TIMEOUT)
    return html


def late_piece(name: str):
    """Register ``render(request) -> str`` as a piece that changes on its own, apart from the pages showing it.

    A page stores a placeholder where the piece goes (``late_placeholder``), and every copy of the
    page gets the piece's current markup as it is served, so a change to the piece (the most-read
    list, say) retires no page. ``render`` caches its own result (``cachetags.remember``).
    """

    def register(render):
        _late_pieces[name] = render
        return render

    return register


_late_pieces: dict = {}


def late_placeholder(request, name: str) -> str:
    """Where a late piece goes: a placeholder in pages the page cache shares, the piece itself elsewhere."""
    if getattr(request, "shares_fragments", False):
        return f"<!--newsroom:late:{name}-->"
    return _late_pieces[name](request)


def _fill_late_pieces(request, response, tags: set[str]) -> None:
    """Put the current markup of each late piece in place of its placeholder; add the pieces' tags to ``tags``."""
    content = response.content
    if b"<!--newsroom:late:" not in content:
        return
    pieces = []
    for name, render in _late_pieces.items():
        marker = f"<!--newsroom:late:{name}-->".encode()
        if marker in content:
            try:
                with cachetags.collecting() as collector:
                    pieces.append(render(request).encode())
            except DATABASE_ERRORS:  # a stored page served during an outage goes without the piece
                pieces.append(b"")
            tags |= collector.tags
            content = content.replace(marker, pieces[-1])
    response.content = content
    response["Content-Length"] = str(len(content))
    if response.has_header("ETag"):  # the stored page's tag, made specific to these pieces
        response["ETag"] = f'"{hashlib.sha256(response["ETag"].encode() + b"".join(pieces)).hexdigest()[:32]}"'


def _fresh_nonce() -> str:
    return base64.b64encode(os.urandom(16)).decode("ascii")


def _private(response):
    """Keep a response out of every shared cache (and out of the browser's after it is shown)."""
    add_never_cache_headers(response)
    return response


def _from_entry(page) -> HttpResponse:
    """Rebuild a stored page, with a fresh CSP nonce if it has one."""
    status, headers, body, nonce, _rendered_at, _stored_at = page
    if nonce:
        fresh = _fresh_nonce()
        body = body.replace(nonce.encode("ascii"), fresh.encode("ascii"))
        headers = [
            (name, value.replace(nonce, fresh) if name.lower() in CSP_HEADERS else value) for name, value in headers
        ]
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    return response


def _set_public_headers(response, now: float, horizon: float | None, tags: set[str]) -> None:
    shared_max_age = settings.NEWSROOM_SHARED_MAX_AGE
    if horizon is not None:  # a scheduled story must not wait behind a proxy's copy
        shared_max_age = max(0, min(shared_max_age, int(horizon - now)))
    patch_cache_control(
        response,
        public=True,
        max_age=settings.NEWSROOM_BROWSER_MAX_AGE,
        s_maxage=shared_max_age,
        stale_while_revalidate=settings.NEWSROOM_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.NEWSROOM_STALE_IF_ERROR,
    )
    # What the page shows, for a CDN that purges by tag (newsroom.purge sends it the same tags).
    response["Surrogate-Key"] = " ".join(sorted(tags))
    if getattr(settings, "NEWSROOM_CACHE_TAG_HEADER", False):
        response["Cache-Tag"] = ",".join(sorted(tags))


class PageCacheMiddleware:
    """Serve and store reader pages in the application cache; set the headers proxies and browsers follow."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cachetags.retry_pending()
        if request.method not in ("GET", "HEAD") or not _is_public_view(request):
            return self.get_response(request)
        if not _may_share(request):
            return _private(self.get_response(request))
        return self._serve_public(request)

    def _serve_public(self, request):
        now = time.time()
        _drop_tracking_parameters(request)
        key = page_key(request) if request.method == "GET" and settings.NEWSROOM_PAGE_CACHE else None
        try:
            horizon = cachetags.horizon()
        except DATABASE_ERRORS:  # the next scheduled change cannot be read: serve what the cache holds
            return self._stale(request, key, now) or service_unavailable(request)
        request.shares_fragments = True
        entry = cachetags.lookup(key) if key else None
        if entry is not None and now - entry[1][5] > settings.NEWSROOM_PAGE_CACHE_TIMEOUT:
            entry = None  # kept only in case the database fails
        if entry is not None:
            tags, page = set(entry[0]), entry[1]
            response, rendered_at = _from_entry(page), page[4]
            response["X-Page-Cache"] = "hit"
        else:
            # The render notes when it began: it is stored only if nothing it shows changed since.
            with cachetags.collecting() as collector, replicas.reader_reads():
                response = self.get_response(request)
            tags = collector.tags
            if getattr(response, "database_unavailable", False):
                return self._stale(request, key, now) or response
            if _is_personal(request, response):
                _fill_late_pieces(request, response, tags)
                return _private(response)
            if response.status_code != 200 or response.streaming:
                _fill_late_pieces(request, response, tags)
                return response
            rendered_at = parse_http_date_safe(response.get("Last-Modified", "")) or int(now)
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            stored = key is not None and self._store(request, response, key, collector, rendered_at)
            response["X-Page-Cache"] = "miss" if stored else "off" if key is None else "miss, not stored"
        _fill_late_pieces(request, response, tags)
        response["Last-Modified"] = http_date(rendered_at)
        _set_public_headers(response, now, horizon, tags)
        return get_conditional_response(request, etag=response["ETag"], last_modified=rendered_at, response=response)

    @staticmethod
    def _store(request, response, key: str, collector, rendered_at: int) -> bool:
        nonce = getattr(request, "_csp_nonce", None)  # set by django-csp only if the page used a nonce
        nonce = nonce if isinstance(nonce, str) else None
        headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
        page = (response.status_code, headers, response.content, nonce, rendered_at, int(time.time()))
        # Served fresh for NEWSROOM_PAGE_CACHE_TIMEOUT at most, and kept for a database outage after that.
        timeout = max(settings.NEWSROOM_PAGE_CACHE_TIMEOUT, settings.NEWSROOM_STALE_IF_ERROR)
        return cachetags.store(key, page, collector.tags, collector.started, timeout)

    @staticmethod
    def _stale(request, key: str | None, now: float):
        """The stored copy of a page, retired or not, while the database cannot be reached; None if too old."""
        entry = cachetags.stale(key) if key else None
        if entry is None or now - entry[1][5] > settings.NEWSROOM_STALE_IF_ERROR:
            return None
        page = entry[1]
        response = _from_entry(page)
        _fill_late_pieces(request, response, set(entry[0]))
        response["X-Page-Cache"] = "stale"
        response["Age"] = str(max(0, int(now - page[5])))
        response["Last-Modified"] = http_date(page[4])
        # Proxies may keep it briefly and serve their own stale copies too; readers retry soon.
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=10, stale_if_error=settings.NEWSROOM_STALE_IF_ERROR
        )
        logger.warning("Database unavailable: served a stored copy of %s, %ss old", request.path, response["Age"])
        return response
