"""Find quoted speech with an attribution in running text, to offer as suggested quotes.

Only whole sentences in quotation marks followed or preceded by a speech verb and a name
count; scare quotes and fragments ("significant step") do not. A person reviews every
suggestion before it becomes a ``Quote``.
"""

import re

from interchange.draft import QuoteDraft

OPEN, CLOSE = '“"', '”"'
VERBS = r"(?:said|says|added|adds|explained|told reporters|asked|warned|argued|insisted)"
# One to four capitalised words ("Anton", "Thandi Mokoena", "Mr van Wyk" is left to the editor).
NAME = r"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
QUOTED = rf"[{OPEN}](?P<text>[^{OPEN}{CLOSE}]{{12,}}?)[{CLOSE}]"
INTRO = r"(?:,\s*(?P<intro>(?:a|an|the)\s[^.;“”\"]{3,150}?))?"
# “...,” said Anton, a 32-year-old warehouse worker.   /   “...,” Anton said.
AFTER = re.compile(rf"{QUOTED}\s*,?\s*(?:{VERBS}\s+{NAME}{INTRO}|{NAME.replace('name', 'name2')}\s+{VERBS})\s*[.,]")
# Anton, a warehouse worker, said: “...”
BEFORE = re.compile(rf"{NAME}{INTRO.replace('intro', 'intro2')},?\s+{VERBS}:?\s*{QUOTED.replace('text', 'text2')}")
FOLLOWING = re.compile(rf"^\s*{QUOTED}")
MIN_WORDS = 4


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r",$", ".", text)


def find_quotes(paragraphs: list[str]) -> list[QuoteDraft]:
    """Quoted sentences with a named speaker, in reading order; one continuation sentence is joined."""
    found: list[QuoteDraft] = []
    for paragraph in paragraphs:
        for match in AFTER.finditer(paragraph):
            name = match.group("name") or match.group("name2")
            text = _clean(match.group("text"))
            following = FOLLOWING.match(paragraph[match.end() :])
            if following:
                text = f"{text} {_clean(following.group('text'))}"
            found.append(QuoteDraft(name=name, text=text, introduction=(match.group("intro") or "").strip()))
        for match in BEFORE.finditer(paragraph):
            found.append(
                QuoteDraft(
                    name=match.group("name"),
                    text=_clean(match.group("text2")),
                    introduction=(match.group("intro2") or "").strip(),
                )
            )
    return [quote for quote in found if len(quote.text.split()) >= MIN_WORDS and quote.name not in {"He", "She"}]
