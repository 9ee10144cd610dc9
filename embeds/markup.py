"""How a story body marks an embed, and how the body sanitizer makes and checks the marks.

The body keeps an embed as ``<figure class="embed"><a href="LINK">LINK</a><figcaption>caption
</figcaption></figure>``: a plain link to the original, which is what every reader without the facade
(feeds, the API, a page without its script) gets. No iframe or provider markup is ever stored.

A reporter makes one with the editor's Embed button, or by pasting a supported link on a line of its
own: a paragraph holding nothing but that link becomes the embed's figure when the story is saved.
These patterns read the sanitizer's own output (attributes double-quoted, values escaped).
"""

import re
from html import escape, unescape

from embeds.providers import recognise

_PASTED = re.compile(r'<p>\s*(?:<a href="([^"]+)"[^>]*>[^<]*</a>|(https://[^\s<"]+))\s*</p>')
EMBED_FIGURE = re.compile(
    r'<figure class="embed">\s*<a href="([^"]+)"[^>]*>[^<]*</a>\s*(?:<figcaption>(.*?)</figcaption>)?\s*</figure>',
    re.S,
)
# An embed figure in any other shape (edited by hand, or its link refused): its contents are kept as text.
_OTHER_EMBED_FIGURE = re.compile(r'<figure class="embed">(.*?)</figure>', re.S)


def figure(url: str, caption_html: str = "") -> str:
    """The body's mark for an embed of ``url`` (unescaped), with a caption (safe HTML)."""
    link = escape(url)
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html.strip() else ""
    return f'<figure class="embed"><a href="{link}">{link}</a>{caption}</figure>'


def mark_embeds(html: str) -> str:
    """Sanitized body HTML with each pasted supported link made an embed, and each embed figure checked:
    one whose link no enabled provider recognises becomes a plain link paragraph."""

    def pasted(match: re.Match) -> str:
        url = unescape(match.group(1) or match.group(2))
        return figure(url) if recognise(url) else match.group(0)

    def checked(match: re.Match) -> str:
        url = unescape(match.group(1))
        caption = (match.group(2) or "").strip()
        if recognise(url):
            return figure(url, caption)
        link = escape(url)
        return f'<p><a href="{link}" rel="noopener noreferrer">{link}</a></p>' + (
            f"<p>{caption}</p>" if caption else ""
        )

    html = EMBED_FIGURE.sub(checked, _PASTED.sub(pasted, html))
    # What is left of other embed figures: their words, unwrapped.
    return _OTHER_EMBED_FIGURE.sub(
        lambda match: match.group(0) if EMBED_FIGURE.fullmatch(match.group(0)) else match.group(1), html
    )


def embed_urls(html: str) -> list[str]:
    """The links embedded in a sanitized body, in order, each once."""
    return list(dict.fromkeys(unescape(match.group(1)) for match in EMBED_FIGURE.finditer(html or "")))
