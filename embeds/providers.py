"""The services a reporter may embed from, and how a link to each is recognised.

Each provider names the addresses it recognises, its oEmbed endpoint (where its metadata comes from at
save time), and the player the reader's browser loads only after a click: its address, made from the
link itself where the service has a quieter player (YouTube's without cookies, Vimeo's do-not-track),
and the origins the page's ``frame-src`` must allow for it. Which providers a site offers is
``NEWSROOM_EMBED_PROVIDERS``; a link to any other stays a plain link.

No provider's markup is ever kept: an oEmbed answer's ``html`` often loads the service's script, which
would track readers who never asked for it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    patterns: tuple[re.Pattern, ...]
    endpoint: str  # oEmbed endpoint; "" for a service whose link holds all there is to show
    frame_origins: tuple[str, ...]
    player: Callable[[re.Match], str] | None = None  # the player's address from the link, if it can be made
    kind: str = "post"  # what the button loads: "video", "audio", "map", "document", "post"
    needs_token: bool = False  # Meta's endpoints answer only with NEWSROOM_EMBED_META_TOKEN

    def match(self, url: str) -> re.Match | None:
        for pattern in self.patterns:
            found = pattern.fullmatch(url)
            if found:
                return found
        return None


def _patterns(*expressions: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(expression, re.IGNORECASE) for expression in expressions)


PROVIDERS = (
    Provider(
        "youtube",
        "YouTube",
        _patterns(
            r"https://(?:www\.|m\.)?youtube\.com/watch\?(?:[^#\s]*&)?v=(?P<id>[\w-]{11})(?:[&#][^\s]*)?",
            r"https://youtu\.be/(?P<id>[\w-]{11})(?:\?[^\s]*)?",
            r"https://(?:www\.)?youtube\.com/shorts/(?P<id>[\w-]{11})(?:\?[^\s]*)?",
        ),
        "https://www.youtube.com/oembed",
        ("https://www.youtube-nocookie.com",),
        lambda m: f"https://www.youtube-nocookie.com/embed/{m['id']}?autoplay=1",
        kind="video",
    ),
    Provider(
        "vimeo",
        "Vimeo",
        _patterns(r"https://(?:www\.)?vimeo\.com/(?P<id>\d{1,12})/?(?:\?[^\s]*)?"),
        "https://vimeo.com/api/oembed.json",
        ("https://player.vimeo.com",),
        lambda m: f"https://player.vimeo.com/video/{m['id']}?dnt=1&autoplay=1",
        kind="video",
    ),
    Provider(
        "x",
        "X (Twitter)",
        _patterns(r"https://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w{1,15}/status/(?P<id>\d{1,25})/?(?:\?[^\s]*)?"),
        "https://publish.twitter.com/oembed",
        ("https://platform.twitter.com",),
        lambda m: f"https://platform.twitter.com/embed/Tweet.html?id={m['id']}&dnt=true",
    ),
    Provider(
        "instagram",
        "Instagram",
        _patterns(r"https://(?:www\.)?instagram\.com/(?P<kind>p|reel|tv)/(?P<id>[\w-]{1,40})/?(?:\?[^\s]*)?"),
        "https://graph.facebook.com/v19.0/instagram_oembed",
        ("https://www.instagram.com",),
        lambda m: f"https://www.instagram.com/{m['kind'].lower()}/{m['id']}/embed/",
        needs_token=True,
    ),
    Provider(
        "tiktok",
        "TikTok",
        _patterns(r"https://(?:www\.)?tiktok\.com/@[\w.-]{1,40}/video/(?P<id>\d{1,25})/?(?:\?[^\s]*)?"),
        "https://www.tiktok.com/oembed",
        ("https://www.tiktok.com",),
        lambda m: f"https://www.tiktok.com/embed/v2/{m['id']}",
        kind="video",
    ),
    Provider(
        "facebook",
        "Facebook",
        _patterns(
            r"https://(?:www\.)?facebook\.com/[\w.-]{1,80}/(?:posts|videos)/[\w.-]{1,80}/?",
            r"https://(?:www\.)?facebook\.com/watch/?\?v=\d{1,25}",
        ),
        "https://graph.facebook.com/v19.0/oembed_post",
        ("https://www.facebook.com",),
        lambda m: "https://www.facebook.com/plugins/post.php?href=" + quote(m.group(0), safe=""),
        needs_token=True,
    ),
    Provider(
        "soundcloud",
        "SoundCloud",
        _patterns(r"https://(?:www\.|m\.)?soundcloud\.com/[\w-]{1,80}/[\w-]{1,120}/?"),
        "https://soundcloud.com/oembed",
        ("https://w.soundcloud.com",),
        lambda m: "https://w.soundcloud.com/player/?auto_play=true&url=" + quote(m.group(0), safe=""),
        kind="audio",
    ),
    Provider(
        "spotify",
        "Spotify",
        _patterns(
            r"https://open\.spotify\.com/(?P<kind>track|album|playlist|episode|show)/(?P<id>\w{1,40})/?(?:\?[^\s]*)?"
        ),
        "https://open.spotify.com/oembed",
        ("https://open.spotify.com",),
        lambda m: f"https://open.spotify.com/embed/{m['kind'].lower()}/{m['id']}",
        kind="audio",
    ),
    Provider(
        "googlemaps",
        "Google Maps",
        # The address of "Share > Embed a map": Google Maps has no oEmbed, the link is the map.
        _patterns(r"https://(?:www\.)?google\.com/maps/embed\?pb=[\w!.%:*-]{1,2000}"),
        "",
        ("https://www.google.com",),
        lambda m: m.group(0),
        kind="map",
    ),
    Provider(
        "documentcloud",
        "DocumentCloud",
        # Court papers, reports and other PDF documents, as newsrooms publish them.
        _patterns(r"https://(?:www\.)?documentcloud\.org/documents/(?P<id>\d{1,12})-(?P<slug>[\w-]{1,120})/?"),
        "https://api.www.documentcloud.org/api/oembed/",
        ("https://embed.documentcloud.org",),
        lambda m: f"https://embed.documentcloud.org/documents/{m['id']}-{m['slug']}/?embed=1",
        kind="document",
    ),
)

BY_KEY = {provider.key: provider for provider in PROVIDERS}


def enabled() -> list[Provider]:
    """The providers this site offers (``NEWSROOM_EMBED_PROVIDERS``), in the table's order."""
    chosen = set(settings.NEWSROOM_EMBED_PROVIDERS)
    return [provider for provider in PROVIDERS if provider.key in chosen]


def recognise(url: str) -> tuple[Provider, re.Match] | None:
    """The enabled provider whose addresses include ``url``, with the match; None for any other link."""
    url = (url or "").strip()
    if len(url) > 2000:
        return None
    for provider in enabled():
        found = provider.match(url)
        if found:
            return provider, found
    return None


def player_url(url: str) -> str:
    """The address of the player the reader's browser loads for ``url`` after a click ("" if none)."""
    recognised = recognise(url)
    if recognised is None or recognised[0].player is None:
        return ""
    return recognised[0].player(recognised[1])


def frame_origins(player_urls) -> list[str]:
    """The origins of these players that an enabled provider allows: the page's ``frame-src``."""
    allowed = {origin for provider in enabled() for origin in provider.frame_origins}
    origins = set()
    for address in player_urls:
        parts = urlsplit(address)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin in allowed:
            origins.add(origin)
    return sorted(origins)


def endpoint_of(provider: Provider) -> str:
    """The provider's oEmbed endpoint, on ``NEWSROOM_EMBED_ENDPOINT_ORIGIN`` when set (a stand-in in tests)."""
    stand_in = settings.NEWSROOM_EMBED_ENDPOINT_ORIGIN
    if not stand_in or not provider.endpoint:
        return provider.endpoint
    return stand_in.rstrip("/") + "/" + provider.key + urlsplit(provider.endpoint).path
