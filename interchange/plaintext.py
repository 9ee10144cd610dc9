"""Plain-text and Markdown copy: the shape wire and partner stories arrive in.

News                                   <- section label (only when it names a section)
Headline of the story                  <- headline

A short subheading                     <- short title-like lines become <h2>
A paragraph per line (plain text) or per blank-line block (Markdown).
{Source: The Citizen}                  <- the source attribution, kept off the body
Follow Us on Facebook, X and TikTok    <- trailing promotional lines, dropped
For more News in Johannesburg, visit example.com
"""

import re
from collections.abc import Callable
from html import unescape

import markdown
from django.utils.html import escape, strip_tags

from interchange.draft import ImportFailed, StoryDraft

SOURCE_LINE = re.compile(r"^\{?\s*Source\s*:\s*(?P<name>[^{}]{1,120}?)\s*\}?\s*$", re.IGNORECASE)
NETWORKS = r"(?:Facebook|Twitter|X|TikTok|Instagram|WhatsApp|YouTube|Telegram|LinkedIn|Threads|Bluesky)"
PROMO_LINES = [
    re.compile(rf"^Follow\b.*\b{NETWORKS}\b", re.IGNORECASE),
    re.compile(r"^For more\b.*\bvisit\b", re.IGNORECASE),
    re.compile(r"^(Sign up|Subscribe)\b.*\b(newsletter|channel|updates)\b", re.IGNORECASE),
    re.compile(r"^(Download|Get)\b.*\bapp\b", re.IGNORECASE),
]
# The last paragraph of an HTML body, its markup and its text (it may close a part: ``articles.parts``).
LAST_PARAGRAPH = re.compile(
    r"<p(?:\s[^>]*)?>(?P<text>(?:(?!<p[\s>]).)*?)</p>(?P<after>(?:\s*</section>)*)\s*$", re.IGNORECASE | re.DOTALL
)
MD_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
LABEL_MAX_WORDS, LABEL_MAX_CHARS = 3, 30
SUBHEADING_MAX_WORDS, SUBHEADING_MAX_CHARS = 10, 80
SENTENCE_END = tuple(".!?,;:\"”’'…")
# Markdown nesting beyond any story's (lists indented further, quotes within quotes): its parser's
# time grows faster than the depth, so such copy is refused rather than converted.
MARKDOWN_MAX_INDENT, MARKDOWN_MAX_QUOTES = 64, 16
DEEP_MARKDOWN = re.compile(rf"^(?:[ \t]{{{MARKDOWN_MAX_INDENT + 1},}}|(?:[ \t]*>){{{MARKDOWN_MAX_QUOTES + 1},}})", re.M)


def _blocks(text: str, *, is_markdown: bool) -> list[str]:
    """Plain text keeps one paragraph per line; Markdown joins wrapped lines up to a blank line."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if not is_markdown:
        return [line for line in lines if line]
    blocks, current = [], []
    for line in [*lines, ""]:
        if MD_HEADING.match(line) and current:
            blocks.append(" ".join(current))
            current = []
        if line:
            current.append(line)
        if not line or MD_HEADING.match(line):
            if current:
                blocks.append(" ".join(current))
            current = []
    return blocks


def _looks_like_label(line: str, following: str | None) -> bool:
    return (
        following is not None
        and len(line) <= LABEL_MAX_CHARS
        and len(line.split()) <= LABEL_MAX_WORDS
        and not line.endswith(SENTENCE_END)
        and len(following) > len(line)
        and not following.endswith(SENTENCE_END)  # a label stands above a headline, not above a paragraph
    )


def _is_subheading(line: str) -> bool:
    return (
        len(line) <= SUBHEADING_MAX_CHARS
        and len(line.split()) <= SUBHEADING_MAX_WORDS
        and not line.endswith(SENTENCE_END)
        and not line.startswith(("“", '"', "-", "*", ">"))
    )


def _strip_tail(blocks: list[str]) -> tuple[list[str], str]:
    """Drop trailing promotional lines and pull out the source line, wherever it is."""
    source = ""
    kept = []
    for block in blocks:
        match = SOURCE_LINE.match(block)
        if match:
            source = match.group("name").strip()
        else:
            kept.append(block)
    while kept and is_promotional(kept[-1]):
        kept.pop()
    return kept, source


def is_promotional(text: str) -> bool:
    """Whether a line is the sender's own promotion ("Follow us on ...", "For more news, visit ...")."""
    return any(promo.match(text.strip()) for promo in PROMO_LINES)


def without_promotional_tail(body: str) -> str:
    """An HTML body without the promotional paragraphs its sender closes with: the page has its own
    follow line, from the publication's social links."""
    while (match := LAST_PARAGRAPH.search(body)) and is_promotional(unescape(strip_tags(match.group("text")))):
        body = body[: match.start()].rstrip() + "".join(match["after"].split())
    return body


def _inline(text: str, *, is_markdown: bool) -> str:
    if not is_markdown:
        return escape(text)
    html = markdown.markdown(text, output_format="html")
    return re.sub(r"^<p>(.*)</p>$", r"\1", html.strip(), flags=re.DOTALL)


def text_identity(*, source: str, headline: str) -> str:
    """The identifier of copy that carries none: its source and headline, ignoring case and spacing.

    Importing it again then updates the same draft, as a ninjs ``uri`` or NITF ``doc-id`` does.
    """
    source, headline = (" ".join(value.split()).casefold() for value in (source, headline))
    return f"text:{source}/{headline}"[:500]


def parse_text(text: str, *, is_markdown: bool = False, section_exists: Callable[[str], bool]) -> StoryDraft:
    """Read a story from plain text or Markdown; ``section_exists`` says whether a label names a section."""
    if is_markdown and DEEP_MARKDOWN.search(text.expandtabs(4)):
        raise ImportFailed("The Markdown nests lists or quotes deeper than any story does; flatten them and try again.")
    blocks = _blocks(text, is_markdown=is_markdown)
    if not blocks:
        raise ImportFailed("The file is empty: there is no headline to import.")
    section = ""
    first = MD_HEADING.sub(r"\g<text>", blocks[0])
    if _looks_like_label(first, blocks[1] if len(blocks) > 1 else None) and not MD_HEADING.match(blocks[0]):
        if not section_exists(first):
            raise ImportFailed(f'The first line "{first}" looks like a section label, but no section has that name.')
        section, blocks = first, blocks[1:]
    headline = MD_HEADING.sub(r"\g<text>", blocks[0]).strip()
    body_blocks, source = _strip_tail(blocks[1:])
    html = []
    for index, block in enumerate(body_blocks):
        heading = MD_HEADING.match(block) if is_markdown else None
        is_last = index == len(body_blocks) - 1
        if heading:
            level = 2 if len(heading.group("level")) <= 2 else 3
            html.append(f"<h{level}>{_inline(heading.group('text'), is_markdown=True)}</h{level}>")
        elif not is_last and _is_subheading(block):
            html.append(f"<h2>{_inline(block, is_markdown=is_markdown)}</h2>")
        else:
            html.append(f"<p>{_inline(block, is_markdown=is_markdown)}</p>")
    return StoryDraft(
        headline=headline,
        body="".join(html),
        section=section,
        source=source,
        identifier=text_identity(source=source, headline=headline),
    )
