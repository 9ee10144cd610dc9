"""How pages show embeds: a facade that asks the provider for nothing until the reader presses its button.

The facade shows what was stored at save time (the provider's name, the title, our copy of the
thumbnail, the author as credit) with the caption, a link to the original and a button that
static/js/embeds.js turns into the provider's player. Without the script, the link is what works.
An embed not yet fetched, or whose fetch failed, is the plain link.
"""

import re
from html import unescape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from embeds.markup import EMBED_FIGURE, embed_urls
from embeds.models import Embed
from embeds.providers import frame_origins
from newsroom import cachetags

_PLAYER = re.compile(r'data-embed-player="([^"]+)"')


def facades(html: str) -> SafeString:
    """Sanitized body HTML with each embed figure rendered as its facade. One query, however many embeds."""
    urls = {unescape(match.group(1)) for match in EMBED_FIGURE.finditer(html)}
    if not urls:
        return mark_safe(html)  # the body was sanitized on save
    embeds = {embed.url: embed for embed in Embed.objects.for_urls(urls)}
    cachetags.depends_on(*(cachetags.tag_for(embed) for embed in embeds.values()))

    def render(match: re.Match) -> str:
        url = unescape(match.group(1))
        context = {
            "url": url,
            "embed": embeds.get(url),
            # Caption markup comes from the sanitized body, so it is already safe HTML.
            "caption": mark_safe(match.group(2).strip()) if match.group(2) else "",  # noqa: S308
        }
        return render_to_string("embeds/facade.html", context).strip()

    return mark_safe(EMBED_FIGURE.sub(render, html))  # noqa: S308 (sanitized on save, facades escaped)


def players_in(markup: str) -> list[str]:
    """The frame origins the facades in ``markup`` (a rendered page's article) may load: its ``frame-src``."""
    return frame_origins(unescape(address) for address in _PLAYER.findall(markup or ""))


def allow_players(response, origins: list[str]):
    """A page with embeds may frame their players' ``origins`` (``players_in``), those only; a page without
    frames nothing. The page cache keeps the header with the page."""
    if origins:
        response._csp_update = {"frame-src": origins}
    return response


# What kind of news object each kind of embed is, in ninjs terms.
NINJS_TYPES = {"video": "video", "audio": "audio", "map": "graphic", "document": "text", "post": "composite"}


def embeds_of(bodies) -> dict[str, Embed]:
    """The fetched embeds of these sanitized bodies, by link: one query for them all (none without embeds)."""
    urls = {url for body in bodies for url in embed_urls(body)}
    return {embed.url: embed for embed in Embed.objects.for_urls(urls)} if urls else {}


def ninjs_associations(body: str, embeds: dict[str, Embed], base_url: str) -> list[dict]:
    """The embeds of a body as ninjs associations (``embeds``: from ``embeds_of``), in the body's order.

    Each names the original as its ``uri`` and carries what was fetched: title, author, our copy of the
    thumbnail. A partner shows them as it likes; nothing of the provider's markup is passed on."""
    associations = []
    for number, url in enumerate(embed_urls(body), start=1):
        embed = embeds.get(url)
        association = {"name": f"embed{number}", "uri": url, "type": "composite", "representationtype": "partial"}
        renditions = [{"name": "original", "href": url, "contenttype": "text/html"}]
        if embed is not None and embed.is_playable():
            association["type"] = NINJS_TYPES.get(embed.kind, "composite")
            if embed.title:
                association["headlines"] = [{"role": "main", "contenttype": "text/plain", "value": embed.title}]
            association["by"] = embed.author_name or embed.provider_name
            association["infosources"] = [{"name": embed.provider_name, "role": "originalsource"}]
            renditions.append({"name": "player", "href": embed.player_url, "contenttype": "text/html"})
            if embed.thumbnail:
                href = embed.thumbnail.url
                href = href if href.startswith("http") else base_url + href
                renditions.append({"name": "thumbnail", "href": href, "contenttype": "image/jpeg"})
        association["renditions"] = renditions
        associations.append(association)
    return associations


def embeds_as_links(html: str, embeds: dict[str, Embed]) -> str:
    """Sanitized body HTML with each embed as a link to the original, named by its title and provider, and
    its caption: for feeds and aggregators, which must not load anyone's player."""

    def link(match: re.Match) -> str:
        url = unescape(match.group(1))
        embed = embeds.get(url)
        context = {"url": url, "embed": embed if embed and not embed.error else None, "caption": match.group(2)}
        context["caption"] = mark_safe(context["caption"].strip()) if context["caption"] else ""  # noqa: S308
        return render_to_string("embeds/link.html", context).strip()

    return EMBED_FIGURE.sub(link, html or "")
