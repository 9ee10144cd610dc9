"""NITF 3.x (News Industry Text Format) in XML: items in for imports.

Parsing goes through defusedxml: entity declarations (billion laughs) and external entities or
DTDs are refused before anything is read.
"""

import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.html import escape

from interchange.bylines import split_byline
from interchange.draft import ImportFailed, StoryDraft

BLOCKS = {"p": "p", "hl2": "h2", "hl3": "h3", "ul": "ul", "ol": "ol", "li": "li", "blockquote": "blockquote"}
INLINE = {"em": "em", "strong": "strong", "b": "strong", "i": "em", "a": "a", "br": "br"}
SKIPPED = {"media", "table", "fn", "note"}
# Real documents nest a dozen levels; the body conversion recurses once per level.
MAX_DEPTH = 64
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(element, *path: str):
    """First descendant following ``path`` by local names, whatever the namespace."""
    for name in path:
        element = next((child for child in element.iter() if _local(child.tag) == name), None)
        if element is None:
            return None
    return element


def _all(element, name: str) -> list:
    return [child for child in element.iter() if _local(child.tag) == name]


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip() if element is not None else ""


def _html(element) -> str:
    """NITF body markup as the body editor's HTML; unknown elements keep only their text."""
    parts = [escape(element.text or "")]
    for child in element:
        name = _local(child.tag)
        if name not in SKIPPED:
            inner = _html(child)
            tag = BLOCKS.get(name) or INLINE.get(name)
            if tag == "br":
                parts.append("<br>")
            elif tag == "a":
                parts.append(f'<a href="{escape(child.get("href", ""))}">{inner}</a>')
            elif tag:
                parts.append(f"<{tag}>{inner}</{tag}>")
            else:
                parts.append(inner)
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def _deeper_than(root, limit: int) -> bool:
    """Whether any element lies more than ``limit`` levels below the root (walked without recursion)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def parse_nitf(content: bytes) -> StoryDraft:
    """A story draft from one NITF document."""
    try:
        root = fromstring(content)
    except DefusedXmlException as exc:
        raise ImportFailed(f"The XML was refused: it declares entities or refers to external files ({exc}).") from exc
    except ParseError as exc:
        raise ImportFailed(f"Not well-formed XML: {exc}.") from exc
    if _local(root.tag) != "nitf":
        raise ImportFailed(f"Not an NITF document: the root element is <{_local(root.tag)}>, not <nitf>.")
    if _deeper_than(root, MAX_DEPTH):
        raise ImportFailed(f"The XML nests elements more than {MAX_DEPTH} levels deep; no NITF document does.")
    headline = _text(_find(root, "hedline", "hl1")) or _text(_find(root, "head", "title"))
    if not headline:
        raise ImportFailed("The NITF document has no headline (<hedline><hl1>).")
    doc_id = _find(root, "docdata", "doc-id")
    pubdata = _find(root, "pubdata")
    content_element = _find(root, "body.content")
    distributor = _text(_find(root, "distributor"))
    bylines = [_text(p) for byline in _all(root, "byline") for p in _all(byline, "person")]
    agency = ""
    if not bylines:  # "Von Anna Weber, dpa": the people, and the agency as the source
        for byline in _all(root, "byline"):
            people, named = split_byline(_text(byline), agencies=[distributor])
            bylines, agency = bylines + people, agency or named
    genre = _find(root, "tobject")
    return StoryDraft(
        identifier=(doc_id.get("id-string", "") if doc_id is not None else "").strip(),
        headline=headline,
        standfirst=_text(_find(root, "abstract")),
        body=_html(content_element) if content_element is not None else "",
        section=(pubdata.get("position.section", "") if pubdata is not None else "").strip(),
        original_url=(pubdata.get("ex-ref", "") if pubdata is not None else "").strip(),
        tags=[k.get("key", "").strip() for k in _all(root, "keyword") if k.get("key", "").strip()],
        authors=[b for b in bylines if b and b.casefold() != (distributor or agency).casefold()],
        source=distributor or agency,
        kind=(genre.get("tobject.type", "") if genre is not None else "").strip().lower(),
        language=_language(root),
    )


def _language(root) -> str:
    """The document's language: ``xml:lang`` on the root, its head or its body."""
    for element in (root, _find(root, "head"), _find(root, "body")):
        if element is not None and element.get(XML_LANG):
            return element.get(XML_LANG)
    return ""
