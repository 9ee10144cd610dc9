"""Fetching an embed's metadata from its provider's oEmbed endpoint, and its thumbnail onto our storage.

Runs in the job queue's worker (``embeds.tasks``), never in a reader's request. Every request has
``NEWSROOM_EMBED_TIMEOUT``; an answer that is too large, not JSON, or refused is recorded as the
embed's ``error``, and pages then show the plain link.
"""

import io
import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage

from embeds.models import ERROR_CHARS, TITLE_CHARS, Embed
from embeds.providers import Provider, endpoint_of, recognise

logger = logging.getLogger(__name__)

MAX_ANSWER_BYTES = 512 * 1024
MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024
MAX_THUMBNAIL_PIXELS = 20_000_000
THUMBNAIL_WIDTH = 960
USER_AGENT = "Newsroom embeds (oEmbed consumer)"


class FetchError(Exception):
    """The provider did not give what an embed needs; the message says what, for the editor."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A thumbnail is fetched from the address the provider named, not from wherever that sends us."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_STRAIGHT = urllib.request.build_opener(_NoRedirects)


def _get(address: str, limit: int, *, follow: bool = True) -> bytes:
    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    opener = urllib.request.urlopen if follow else _STRAIGHT.open
    try:
        with opener(request, timeout=settings.NEWSROOM_EMBED_TIMEOUT) as answer:  # noqa: S310 (https or the stand-in only)
            body = answer.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"the provider answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"the provider could not be reached ({reason})") from error
    if len(body) > limit:
        raise FetchError("the provider's answer is too large")
    return body


def _allowed_address(address: str) -> bool:
    """Only https addresses of public hosts, or the stand-in's origin in tests: nothing on our own network."""
    parts = urlsplit(address or "")
    stand_in = settings.NEWSROOM_EMBED_ENDPOINT_ORIGIN
    if stand_in and address.startswith(stand_in.rstrip("/") + "/"):
        return True
    if parts.scheme != "https" or not parts.hostname:
        return False
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in found)


def request_metadata(provider: Provider, url: str) -> dict:
    """The provider's oEmbed answer for ``url``, as a dict."""
    params = {"url": url, "format": "json", "maxwidth": THUMBNAIL_WIDTH}
    if provider.needs_token:
        if not settings.NEWSROOM_EMBED_META_TOKEN:
            raise FetchError("no access token for Meta's oEmbed (NEWSROOM_EMBED_META_TOKEN)")
        params["access_token"] = settings.NEWSROOM_EMBED_META_TOKEN
    try:
        data = json.loads(_get(f"{endpoint_of(provider)}?{urlencode(params)}", MAX_ANSWER_BYTES))
    except ValueError as error:
        raise FetchError("the provider's answer is not JSON") from error
    if not isinstance(data, dict):
        raise FetchError("the provider's answer is not an oEmbed object")
    return data


def _text(data: dict, key: str, limit: int) -> str:
    value = data.get(key)
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _number(data: dict, key: str) -> int | None:
    value = data.get(key)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 10_000 else None


def thumbnail_copy(address: str) -> ContentFile | None:
    """The thumbnail at ``address`` as a JPEG of our own (re-encoded, metadata dropped); None if unusable."""
    if not _allowed_address(address):
        return None
    try:
        body = _get(address, MAX_THUMBNAIL_BYTES, follow=False)
        with PILImage.open(io.BytesIO(body)) as picture:
            if picture.width * picture.height > MAX_THUMBNAIL_PIXELS:
                return None
            picture = picture.convert("RGB")
            picture.thumbnail((THUMBNAIL_WIDTH, THUMBNAIL_WIDTH))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=82)
    except (FetchError, OSError, ValueError, PILImage.DecompressionBombError) as error:
        logger.info("embed thumbnail not kept: %s", error)
        return None
    return ContentFile(out.getvalue())


def refresh(embed: Embed) -> Embed:
    """Fill ``embed`` from its provider (oEmbed answer and thumbnail) and save it; a failure is saved as its error."""
    recognised = recognise(embed.url)
    embed.fetched_at = timezone.now()
    if recognised is None:
        embed.error = "no enabled provider recognises this link"
        embed.save()
        return embed
    provider, found = recognised
    embed.provider = provider.key
    embed.player_url = provider.player(found) if provider.player else ""
    if not provider.endpoint:  # the link is all there is (a map)
        embed.title = embed.title or provider.name
        embed.error = ""
        embed.save()
        return embed
    try:
        data = request_metadata(provider, embed.url)
    except FetchError as error:
        embed.error = str(error)[:ERROR_CHARS]
        embed.save()
        return embed
    embed.error = ""
    embed.title = _text(data, "title", TITLE_CHARS)
    embed.author_name = _text(data, "author_name", 200)
    author_url = _text(data, "author_url", 500)
    embed.author_url = author_url if urlsplit(author_url).scheme == "https" else ""
    embed.width, embed.height = _number(data, "width"), _number(data, "height")
    picture = thumbnail_copy(_text(data, "thumbnail_url", 2000))
    old = embed.thumbnail.name if embed.thumbnail else ""
    if picture is not None:
        embed.thumbnail.save(f"{provider.key}.jpg", picture, save=False)
    elif old:
        embed.thumbnail = ""
    embed.save()
    if old and old != embed.thumbnail.name:
        storage = embed.thumbnail.storage
        transaction.on_commit(lambda: storage.delete(old))  # the old copy stays if the change is undone
    return embed
