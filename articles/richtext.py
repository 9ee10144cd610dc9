"""The story body's rich text: what the editor offers and what the server keeps.

The same extension list configures the admin's editor and builds the server's allowlist,
so the two cannot drift apart. Everything stored in ``Story.body`` has passed
``sanitize_body``; templates may mark it safe for that reason alone.

Figures come from the media library (the editor's picture panel hands over the picture's id as
``data-file``); an image whose address is not our own media is dropped, figure and all. Embeds of
other services' posts and videos are a link in a figure of their own (``embeds.markup``). Quoted
words are marked ``<span data-quote="ID">`` with the id of their quote (``articles.quoting``).
"""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import nh3
from django.utils.html import escape, strip_tags
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from articles.parts import EDITOR_MENU, heading_class, wrap_parts
from embeds.markup import mark_embeds
from media.figures import allowed_image_attribute, drop_sourceless_images

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Image": True,
    "Caption": True,
    "History": True,
    "SpecialCharacters": True,  # marks non-breaking spaces and soft hyphens while editing
    "NodeClass": EDITOR_MENU,  # "Part kind" on a subheading: commentary or analysis (articles.parts)
    # The newsroom's own (settings.DJANGO_PROSE_EDITOR_EXTENSIONS): a quote's words marked with its id,
    # and pictures uploaded or chosen from the library in a panel of the editor, never a pop-up window.
    "QuoteMark": True,
    "PlacePicture": True,
    "EmbedBlock": True,  # a link to a post, video or document of another service, shown behind a facade
}

LINK_SCHEMES = {"http", "https", "mailto"}


_QUOTE_ID = re.compile(r"\d{1,12}")


def _cleaner() -> nh3.Cleaner:
    allowlist = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
    allowlist["url_schemes"] = LINK_SCHEMES
    allowlist["link_rel"] = "noopener noreferrer"
    allowlist["attributes"] = {
        tag: set(attrs) - {"rel", "target"} if tag == "a" else set(attrs)
        for tag, attrs in allowlist["attributes"].items()
    }
    # Headings below h2 would break the page's outline (h1 is the headline).
    allowlist["tags"] = set(allowlist["tags"]) - {"h1", "h4", "h5", "h6"}
    allowlist["attribute_filter"] = _allowed_attribute
    return nh3.Cleaner(**allowlist)


def _allowed_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: a quote mark holds a quote's id and nothing else; a subheading's class only
    when it names a part kind; pictures as media decides."""
    if element == "span":
        return value if attribute == "data-quote" and _QUOTE_ID.fullmatch(value) else None
    if attribute == "class" and element in ("h2", "h3"):
        return heading_class(value)
    if attribute == "class" and element != "figure":
        return None  # the editor sets classes on subheadings only
    if attribute == "class" and value == "embed":
        return value  # an embed's figure (embeds.markup)
    return allowed_image_attribute(element, attribute, value)


_CLEANER = _cleaner()
_EMPTY = re.compile(r"^\s*(<p>\s*</p>\s*)*$")

# Nesting the editor never produces; deeper markup costs the sanitizer time that grows with its square.
MAX_BODY_DEPTH = 100
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
# Elements HTML parsers close by themselves, or that never hold anything: they add no depth.
_NO_DEPTH = {"p", "li", "dt", "dd", "tr", "td", "th", "option", "br", "hr", "img", "wbr", "input", "meta", "link"}


def markup_depth(html: str) -> int:
    """How deeply the elements of ``html`` nest, counted from its tags without parsing it."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _NO_DEPTH or match.group().endswith("/>"):
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _flattened(html: str) -> str:
    """Markup nested beyond reason, kept as its text in paragraphs."""
    text = unescape(strip_tags(re.sub(r"<[^>]*>", "\n", html)))
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


# A span left without its quote id (pasted from elsewhere, or an id refused) says nothing: keep its words only.
_BARE_SPAN = re.compile(r"<span>((?:(?!</?span\b).)*?)</span>", re.S)


def _unwrap_bare_spans(html: str) -> str:
    while True:
        unwrapped = _BARE_SPAN.sub(r"\1", html)
        if unwrapped == html:
            return html
        html = unwrapped


def sanitize_body(html: str) -> str:
    """Keep only the markup the body editor can produce; drop scripts, styles and unsafe links; wrap
    the parts marked as commentary or analysis (``articles.parts``)."""
    html = html or ""
    if markup_depth(html) > MAX_BODY_DEPTH:
        html = _flattened(html)
    cleaned = mark_embeds(_unwrap_bare_spans(drop_sourceless_images(_CLEANER.clean(html)))).strip()
    return "" if _EMPTY.match(cleaned) else wrap_parts(cleaned)


# A live entry is a few lines: emphasis, links and lists, nothing that changes the page's outline.
_ENTRY_CLEANER = nh3.Cleaner(
    tags={"p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li"},
    attributes={"a": {"href"}},
    url_schemes=LINK_SCHEMES,
    link_rel="noopener noreferrer",
)


_BLOCK_TAG = re.compile(r"<(p|ul|ol)\b", re.IGNORECASE)


def sanitize_entry(text: str) -> str:
    """A live entry's text as safe HTML: markup beyond emphasis, links and lists is dropped; text typed
    without paragraphs becomes paragraphs, one per block between blank lines."""
    text = (text or "").strip()
    if not _BLOCK_TAG.search(text):
        blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
        text = "".join("<p>{}</p>".format(block.replace("\n", "<br>")) for block in blocks)
    if markup_depth(text) > MAX_BODY_DEPTH:
        text = _flattened(text)
    cleaned = _ENTRY_CLEANER.clean(text).strip()
    return "" if _EMPTY.match(cleaned) else cleaned


def plain_text(html: str) -> str:
    """The body's words without markup, for counts, summaries and search."""
    return re.sub(r"\s+", " ", strip_tags(re.sub(r"<(/p|br|/h[23]|/li|/blockquote)>", " ", html or ""))).strip()


# Link and picture addresses as ``sanitize_body`` writes them (always double-quoted).
_ADDRESS = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")')


def absolute_links(html: str, page_url: str) -> str:
    """A sanitized body with every link and picture address made absolute against ``page_url`` (the
    story's canonical address), so the body still works when a partner's site or a feed reader shows it."""

    def absolute(match: re.Match) -> str:
        address = unescape(match.group(2))
        if urlsplit(address).scheme:
            return match.group(0)
        return match.group(1) + escape(urljoin(page_url, address)) + match.group(3)

    return _ADDRESS.sub(absolute, html or "")


_FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.IGNORECASE | re.DOTALL)
_SENTENCE = re.compile(r"(?<=[.!?…])[\"”’']?\s+")


def proposed_standfirst(html: str, limit: int) -> str:
    """A standfirst proposed from the body's first paragraph, for the editor to accept or rewrite: the
    paragraph's text, cut at the last whole sentence that fits in ``limit`` characters ("" if none fits)."""
    match = _FIRST_PARAGRAPH.search(html or "")
    text = " ".join(unescape(strip_tags(match.group(1))).split()) if match else ""
    if len(text) <= limit:
        return text
    ends = [end.start() for end in _SENTENCE.finditer(text) if end.start() <= limit]
    return text[: ends[-1]].strip() if ends else ""
