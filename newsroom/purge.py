"""Purging tagged pages from a shared cache in front of the site: Varnish (xkey), Fastly or Cloudflare.

Public pages name the objects they show as tags (``Surrogate-Key``); after a public change,
``purge(tags)`` asks the cache to drop every page carrying one of them. Off unless
``NEWSROOM_PURGE_URL`` is set. It sends from the calling process and gives up when connecting or
a read takes ``NEWSROOM_PURGE_TIMEOUT`` seconds. Call it once the change has committed
(``transaction.on_commit``): a purge sent before the commit lets the cache refill with the old page.
"""

import json
import logging
import re
import urllib.request
from collections.abc import Iterable, Iterator
from http.client import HTTPException
from urllib.error import HTTPError

from django.conf import settings

logger = logging.getLogger(__name__)

# Most tags in one request: Fastly's batch purge takes 256 keys, Cloudflare 100 tags a call.
MAX_TAGS = {"xkey": 256, "fastly": 256, "cloudflare": 100}
# Longest tag list in one request; servers commonly refuse header lines over 8 KB.
MAX_LIST_BYTES = 7_500
# Printable ASCII but the comma: receivers split tag lists on spaces (xkey and Cloudflare on commas too).
TAG = re.compile(r"[\x21-\x2b\x2d-\x7e]+")


def purge(tags: Iterable[str]) -> None:
    """Ask the configured cache to drop the pages tagged with any of ``tags``; logs failures, never raises."""
    if not settings.NEWSROOM_PURGE_URL:
        return
    style = settings.NEWSROOM_PURGE_STYLE
    batches = list(_batches(_valid(tags), MAX_TAGS[style], MAX_LIST_BYTES))
    for index, batch in enumerate(batches):
        error = _send(_request(style, batch))
        if error:
            # The next requests would most likely fail the same way, each costing a timeout.
            left = sum(len(later) for later in batches[index:])
            logger.warning("Cache purge (%s) failed: %s; %d tags not purged", style, error, left)
            return


def _valid(tags: Iterable[str]) -> list[str]:
    unique = dict.fromkeys(str(tag).strip() for tag in tags)
    unique.pop("", None)
    refused = [tag for tag in unique if not TAG.fullmatch(tag)]
    if refused:
        logger.warning(
            "Cache purge skipped %d tags with spaces, commas or control characters: %r", len(refused), refused[:5]
        )
    return [tag for tag in unique if TAG.fullmatch(tag)]


def _batches(tags: list[str], max_tags: int, max_bytes: int) -> Iterator[list[str]]:
    """Consecutive runs of ``tags`` of at most ``max_tags`` whose space-separated list fits ``max_bytes``."""
    batch, size = [], 0
    for tag in tags:
        if batch and (len(batch) == max_tags or size + 1 + len(tag) > max_bytes):
            yield batch
            batch, size = [], 0
        size += len(tag) + (1 if batch else 0)
        batch.append(tag)
    if batch:
        yield batch


def _request(style: str, tags: list[str]) -> urllib.request.Request:
    url, token, soft = settings.NEWSROOM_PURGE_URL, settings.NEWSROOM_PURGE_TOKEN, settings.NEWSROOM_PURGE_SOFT
    if style == "xkey":
        # The VCL reads these headers and calls xkey.purge() or xkey.softpurge() (see README).
        header = "xkey-softpurge" if soft else "xkey-purge"
        return urllib.request.Request(url, method=settings.NEWSROOM_PURGE_METHOD, headers={header: " ".join(tags)})
    if style == "fastly":
        headers = {"Surrogate-Key": " ".join(tags), "Fastly-Key": token, "Accept": "application/json"}
        if soft:
            headers["Fastly-Soft-Purge"] = "1"
        return urllib.request.Request(url, method="POST", headers=headers)
    # Cloudflare has no soft purge by tag.
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"}
    return urllib.request.Request(url, data=json.dumps({"tags": tags}).encode(), method="POST", headers=headers)


class _RedirectIsFailure(urllib.request.HTTPRedirectHandler):
    """Following a redirect would hand the purge token to another address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _send(request: urllib.request.Request) -> str:
    """Send ``request``; the error as text, or "" when the cache answered with a 2xx."""
    opener = urllib.request.build_opener(_RedirectIsFailure)
    try:
        with opener.open(request, timeout=settings.NEWSROOM_PURGE_TIMEOUT) as response:
            response.read()
    except HTTPError as error:
        error.close()
        return f"HTTP {error.code} {error.reason}"
    except (OSError, HTTPException, ValueError) as error:
        return str(error) or type(error).__name__
    return ""
