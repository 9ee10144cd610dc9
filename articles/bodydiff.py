"""A story body compared block by block: paragraphs, subheadings, quotes, lists and figures.

The body is sanitized HTML (``articles.richtext.sanitize_body``), so its top-level elements are
the blocks a writer works with. Two bodies are compared as sequences of blocks: a block is kept,
added, removed, moved (the same block elsewhere) or changed (a block of the same kind whose words
changed, shown word by word).
"""

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# What each top-level element is to a writer; elements of one family can change into each other.
KINDS = {
    "p": ("paragraph", "Paragraph"),
    "h2": ("heading", "Subheading"),
    "h3": ("heading", "Subheading"),
    "blockquote": ("quote", "Quote"),
    "ul": ("list", "List"),
    "ol": ("list", "List"),
    "figure": ("figure", "Figure"),
    "hr": ("divider", "Divider"),
}
VOID = {"br", "hr", "img"}
# Wrappers around blocks, not blocks themselves: a part with a kind (``articles.parts``) holds several.
TRANSPARENT = {"section"}
# Below this share of words in common, a block replaced by another is shown as removed and added.
SIMILAR = 0.5

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Block:
    tag: str
    text: str

    @property
    def family(self) -> str:
        return KINDS.get(self.tag, ("paragraph", "Paragraph"))[0]

    @property
    def label(self) -> str:
        return KINDS.get(self.tag, ("paragraph", "Paragraph"))[1]


@dataclass
class BlockChange:
    """One block of the compared body: ``kind`` is same, added, removed, moved or changed."""

    kind: str
    block: Block
    old: Block | None = None
    segments: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.kind == "changed" and self.old is not None and self.old.label != self.block.label:
            return f"{self.old.label} made {self.block.label.lower()}"
        return self.block.label

    @property
    def description(self) -> str:
        """What a reader of the comparison is told: "Moved paragraph", "Changed subheading"."""
        return f"{DESCRIPTIONS[self.kind]} {self.label.lower()}"


DESCRIPTIONS = {"same": "Unchanged", "added": "Added", "removed": "Removed", "moved": "Moved", "changed": "Changed"}


class _BlockParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._tag: str | None = None
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in TRANSPARENT and self._depth == 0:
            return
        if self._depth == 0:
            if tag == "hr":
                self.blocks.append(Block("hr", "―"))
                return
            self._flush()
            self._tag = tag if tag in KINDS else "p"
        if tag == "img":
            alt = dict(attrs).get("alt") or "picture"
            self._text.append(f" [{alt}] ")
        elif tag in ("br", "li", "figcaption"):
            self._text.append("\n" if tag != "li" else "\n• ")
        if tag not in VOID:
            self._depth += 1

    def handle_endtag(self, tag):
        if tag in VOID or self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0:
            self._flush()

    def handle_data(self, data):
        if self._depth == 0 and data.strip():
            self._tag = self._tag or "p"
        self._text.append(data)

    def _flush(self):
        text = "\n".join(" ".join(line.split()) for line in "".join(self._text).split("\n"))
        text = text.strip()
        if self._tag and text:
            self.blocks.append(Block(self._tag, text))
        self._tag, self._text = None, []

    def close(self):
        super().close()
        self._flush()


def blocks(html: str) -> list[Block]:
    """The body's top-level blocks, each with its text (list items and captions on their own lines)."""
    parser = _BlockParser()
    parser.feed(html or "")
    parser.close()
    return parser.blocks


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences as ``("equal" | "delete" | "insert", text)`` segments."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete"):
            segments.append((op, "".join(a[i1:i2])))
        elif op == "insert":
            segments.append((op, "".join(b[j1:j2])))
        else:
            segments += [("delete", "".join(a[i1:i2])), ("insert", "".join(b[j1:j2]))]
    return segments


def _similarity(old: Block, new: Block) -> float:
    return difflib.SequenceMatcher(None, old.text.split(), new.text.split(), autojunk=False).ratio()


def _pair(removed: list[Block], added: list[Block]) -> dict[int, Block]:
    """Pair each added block with the most similar removed block of its family (index in ``added``)."""
    pairs, free = {}, list(removed)
    for index, new in enumerate(added):
        candidates = [(_similarity(old, new), n) for n, old in enumerate(free) if old.family == new.family]
        if candidates:
            score, n = max(candidates)
            if score >= SIMILAR:
                pairs[index] = free.pop(n)
    return pairs


def compare(old_html: str, new_html: str) -> list[BlockChange]:
    """The new body's blocks in order, each marked against the old body; removed blocks where they stood."""
    old, new = blocks(old_html), blocks(new_html)
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    unmatched_old = [i for op, i1, i2, _, _ in opcodes if op != "equal" for i in range(i1, i2)]
    unmatched_new = [j for op, _, _, j1, j2 in opcodes if op != "equal" for j in range(j1, j2)]
    # A block that left one place and arrived unchanged at another was moved: shown once, where it is now.
    moved_old, moved_new = set(), set()
    for j in unmatched_new:
        i = next((i for i in unmatched_old if i not in moved_old and old[i] == new[j]), None)
        if i is not None:
            moved_old.add(i)
            moved_new.add(j)
    changes: list[BlockChange] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            changes += [BlockChange("same", block) for block in new[j1:j2]]
            continue
        removed = [old[i] for i in range(i1, i2) if i not in moved_old]
        added = [j for j in range(j1, j2) if j not in moved_new]
        pairs = _pair(removed, [new[j] for j in added])
        paired = {id(block) for block in pairs.values()}
        changes += [BlockChange("removed", block) for block in removed if id(block) not in paired]
        for j in range(j1, j2):
            if j in moved_new:
                changes.append(BlockChange("moved", new[j]))
            elif (partner := pairs.get(added.index(j))) is not None:
                changes.append(BlockChange("changed", new[j], partner, diff_words(partner.text, new[j].text)))
            else:
                changes.append(BlockChange("added", new[j]))
    return changes
