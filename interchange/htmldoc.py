"""HTML bodies as agencies send them, reduced to the story they carry.

Some agencies put a whole html5 document in a body: a head, the headline again as ``<h1>``, a line of
page furniture ("Försvar" and "TT" in two spans), then the text. Such a document is reduced to its
article's blocks (paragraphs, subheadings, lists, quotes, figures); loose words of one or two lines
between them are furniture and go. Any body loses a repeat of the headline at its top. What remains is
still sanitized when the story is saved.
"""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from django.utils.html import escape, strip_tags

from articles.richtext import MAX_BODY_DEPTH, markup_depth

DOCUMENT = re.compile(r"<(?:!doctype|html|head|body|article|main)\b", re.IGNORECASE)
# Page furniture: dropped with everything inside.
FURNITURE = {
    "head", "title", "header", "nav", "footer", "aside", "menu", "form", "button", "dialog",
    "script", "style", "template", "noscript", "iframe", "object", "svg",
}  # fmt: skip
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "figure", "hr", "pre", "table"}
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "em", "i", "img", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup", "time", "u", "wbr",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADINGS = {"h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}  # the body's outline starts at h2 and ends at h3
# Loose words in a document shorter than this are furniture (a category, the agency's name), not text.
MIN_LOOSE_WORDS = 8
_LEADING_BLOCK = re.compile(
    r"^\s*(?P<wrappers>(?:<(?:section|div|article|main)\b[^>]*>\s*)*)<(?P<tag>h[1-6]|p)\b[^>]*>(?P<inner>.*?)</(?P=tag)>",
    re.IGNORECASE | re.DOTALL,
)
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


@dataclass
class Element:
    tag: str
    attrs: list = field(default_factory=list)
    children: list = field(default_factory=list)  # Element or str (text, unescaped)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if (tag in BLOCKS or tag not in INLINE) and self.stack[-1].tag == "p":
            self.stack.pop()  # a block closes an open paragraph, as browsers read it
        element = Element(tag, attrs)
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _find(root: Element, tags: tuple[str, ...]) -> Element | None:
    """The first element with one of ``tags`` (in that order of preference), walked without recursion."""
    for tag in tags:
        stack = [root]
        while stack:
            element = stack.pop()
            if element.tag == tag:
                return element
            stack.extend(reversed([c for c in element.children if isinstance(c, Element)]))
    return None


def _serialize(node) -> str:
    if isinstance(node, str):
        return escape(node)
    tag = HEADINGS.get(node.tag, node.tag)
    attrs = "".join(f' {name}="{escape(value)}"' if value is not None else f" {name}" for name, value in node.attrs)
    if node.tag in VOID:
        return f"<{tag}{attrs}>"
    inner = _blocks(node, keep_short=True) if node.tag == "blockquote" else "".join(map(_serialize, node.children))
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _text(html: str) -> str:
    return " ".join(unescape(strip_tags(html)).split())


def _blocks(container: Element, *, keep_short: bool, headline: str = "") -> str:
    """The container's blocks in order; loose words between them become a paragraph when they are text."""
    out, loose = [], []

    def flush():
        words = _text("".join(loose))
        if words and (keep_short or len(words.split()) >= MIN_LOOSE_WORDS):
            out.append(f"<p>{''.join(loose).strip()}</p>")
        loose.clear()

    for child in container.children:
        if isinstance(child, str) or child.tag in INLINE:
            loose.append(_serialize(child))
        elif child.tag in FURNITURE:
            continue
        elif child.tag in BLOCKS:
            flush()
            block = _serialize(child)
            if not (child.tag == "h1" and headline and _same_words(_text(block), headline)):
                out.append(block)
        else:  # a wrapper (div, section, article ...): its blocks, in place
            flush()
            out.append(_blocks(child, keep_short=keep_short, headline=headline))
    flush()
    return "".join(out)


def article_content(html: str, *, headline: str) -> str:
    """An HTML body as the story's own blocks: a whole document reduced to its article, and no repeat of
    ``headline`` at the top."""
    html = html or ""
    if markup_depth(html) > MAX_BODY_DEPTH:
        return html  # refused as it is by the importer, which names the problem
    if DOCUMENT.search(html):
        root = _parse(html)
        article = _find(root, ("article", "main", "body")) or root
        html = _blocks(article, keep_short=False, headline=headline)
    else:
        html = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(max(int(m[2]), 2), 3)}", html)
    return without_repeated_headline(html, headline)


def without_repeated_headline(html: str, headline: str) -> str:
    """The body without a first heading or paragraph that only repeats the headline."""
    match = _LEADING_BLOCK.match(html)
    if match and headline and _same_words(_text(match["inner"]), headline):
        return match["wrappers"] + html[match.end() :]
    return html
