"""Parts of a story with a kind of their own: a commentary or an analysis inside a news story.

An editor marks a part on its subheading, with the body editor's "Part kind" choice (a class on the
heading); imported copy marks one with a subheading that starts "Commentary:" or "Analysis:". When the
body is sanitized, each marked subheading and the blocks after it, up to the next subheading, are
stored in an element that readers, feeds, the API and search engines can all recognise::

    <section class="story-part" data-kind="commentary" aria-labelledby="story-part-1">
      <h2 class="part-commentary" id="story-part-1"><span class="story-part__label">Commentary<span
        class="story-part__colon">:</span></span> A delay</h2>
      <p>...</p>
    </section>

Only this module writes these wrappers, ids and labels, from the kinds in ``PART_KINDS``: the sanitizer
drops any that arrive and this module makes them again, so none can be slipped in from outside.
"""

import re
from html import unescape
from typing import NamedTuple

from django.utils.html import escape, strip_tags

# Each kind a part may have, with the label readers see. The kinds are also kinds of story
# (``Story.Kind``): structured data gives a part the schema.org type its kind gives a whole story.
PART_KINDS = {"commentary": "Commentary", "analysis": "Analysis"}
# The class the body editor's "Part kind" menu puts on a subheading, per kind.
HEADING_CLASSES = {f"part-{kind}": kind for kind in PART_KINDS}
# The editor's menu: a "Part kind" choice on subheadings (django-prose-editor's NodeClass extension).
EDITOR_MENU = {
    "cssClasses": {
        "heading": {
            "title": "Part kind",
            "cssClasses": [{"className": name, "title": PART_KINDS[kind]} for name, kind in HEADING_CLASSES.items()],
        }
    }
}

# These patterns read the sanitizer's own output: tags always end at the first ">", attributes are
# double-quoted, and the only attribute a subheading keeps is a known class.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_VOID = {"br", "hr", "img", "wbr"}
_HEADING = re.compile(r'^<(h[23])(?: class="(?P<cls>[^"]*)")?>(?P<inner>.*)</\1>$', re.DOTALL)
_ANY_HEADING = re.compile(r'<(h[23])(?: class="[^"]*")?>(?P<inner>.*?)</\1>', re.DOTALL)
_INLINE = "strong|em|s|sub|sup"
_LEADING_LABEL = re.compile(
    rf"^\s*(?P<open>(?:<(?:{_INLINE})>\s*)*)(?P<label>{'|'.join(PART_KINDS.values())})\s*(?P<colon>:)?\s*"
    rf"(?P<close>(?:</(?:{_INLINE})>\s*)*)",
    re.IGNORECASE,
)
_EMPTY_INLINE = re.compile(rf"<({_INLINE})>\s*</\1>")
_PART = re.compile(
    r'<section class="story-part" data-kind="(?P<kind>[a-z]+)" aria-labelledby="(?P<anchor>story-part-\d+)">'
    r"<h[23][^>]*>(?P<heading>.*?)</h[23]>",
    re.DOTALL,
)
_LABEL = re.compile(r'<span class="story-part__label">[^<]*(?:<span class="story-part__colon">:</span>)?</span>\s*')
_WRAPPER = re.compile(r'<section class="story-part"[^>]*>|</section>')
# A label's markup, its words kept (other spans, such as quote marks, are left alone).
_LABEL_MARKUP = re.compile(
    r'<span class="story-part__label">([^<]*)(?:<span class="story-part__colon">(:)</span>)?</span>'
)
_HEADING_ID = re.compile(r'(<h[23](?: class="[^"]*")?) id="story-part-\d+"')


class Part(NamedTuple):
    kind: str  # a key of PART_KINDS
    anchor: str  # the id of its subheading, which names the part
    title: str  # the subheading's words after the label


def heading_class(value: str) -> str | None:
    """The sanitizer's rule for a subheading's class: a known part kind, or nothing."""
    return next((name for name in value.split() if name in HEADING_CLASSES), None)


def top_level_blocks(html: str) -> list[str]:
    """Sanitized HTML split into its top-level elements (and any loose text between them)."""
    blocks, depth, start = [], 0, 0
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if depth == 0 and match.start() > start and html[start : match.start()].strip():
            blocks.append(html[start : match.start()])
        if depth == 0:
            start = match.start()
        if name in _VOID:
            if depth == 0:
                blocks.append(match.group())
                start = match.end()
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth == 0:
            blocks.append(html[start : match.end()])
            start = match.end()
    if html[start:].strip():
        blocks.append(html[start:])
    return blocks


def _text(inner_html: str) -> str:
    return " ".join(unescape(strip_tags(inner_html)).split())


def _leading_label(inner: str) -> re.Match | None:
    """The label a subheading starts with: "Commentary:" or "Analysis:", or the word alone as the whole heading."""
    match = _LEADING_LABEL.match(inner)
    if match and (match["colon"] or not _text(inner[match.end() :])):
        return match
    return None


def _labelled(inner: str, kind: str) -> str:
    """A subheading's words with its kind's label in front (any label it had replaced)."""
    match = _leading_label(inner)
    rest = inner
    if match:
        rest = _EMPTY_INLINE.sub("", match["open"] + match["close"] + inner[match.end() :]).strip()
    label = escape(PART_KINDS[kind])
    if not _text(rest):
        return f'<span class="story-part__label">{label}</span>'
    # The colon is read aloud and kept where styles are not (feeds, partners' sites); the page shows a badge.
    return f'<span class="story-part__label">{label}<span class="story-part__colon">:</span></span> {rest}'


def wrap_parts(html: str) -> str:
    """Sanitized HTML with each marked subheading and what follows it, up to the next subheading, wrapped
    as a part of its kind. Wrappers already present are made again, so wrapping twice changes nothing."""
    html = _HEADING_ID.sub(r"\1", _unmarked(html))
    out, open_part, number = [], False, 0
    for block in top_level_blocks(html):
        heading = _HEADING.match(block)
        if heading and open_part:
            out.append("</section>")
            open_part = False
        kind = HEADING_CLASSES.get(heading["cls"] or "") if heading else None
        if kind:
            number += 1
            anchor, tag = f"story-part-{number}", heading.group(1)
            out.append(f'<section class="story-part" data-kind="{kind}" aria-labelledby="{anchor}">')
            inner = _labelled(heading["inner"], kind)
            out.append(f'<{tag} class="part-{kind}" id="{anchor}">{inner}</{tag}>')
            open_part = True
        else:
            out.append(block)
    if open_part:
        out.append("</section>")
    return "".join(out)


def opens_part(text: str) -> bool:
    """Whether a line of plain text starts as a part's subheading does: "Commentary: ..." or "Analysis: ..."."""
    return _leading_label(escape(text)) is not None


def mark_labelled_parts(html: str) -> str:
    """Sanitized HTML whose subheadings starting "Commentary:" or "Analysis:" (any case) are marked as parts
    of that kind, as the editor's "Part kind" choice marks them: how imported copy says what a part is."""

    def mark(match: re.Match) -> str:
        label = _leading_label(match["inner"])
        if not label:
            return match.group()
        kind = next(kind for kind, word in PART_KINDS.items() if word.lower() == label["label"].lower())
        return f'<{match.group(1)} class="part-{kind}">{match["inner"]}</{match.group(1)}>'

    return _ANY_HEADING.sub(mark, html)


def story_parts(html: str) -> list[Part]:
    """The parts with a kind in a stored body, in order."""
    return [
        Part(found["kind"], found["anchor"], _text(_LABEL.sub("", found["heading"])) or PART_KINDS[found["kind"]])
        for found in _PART.finditer(html or "")
        if found["kind"] in PART_KINDS
    ]


def _unmarked(html: str) -> str:
    return _LABEL_MARKUP.sub(r"\1\2", _WRAPPER.sub("", html))
