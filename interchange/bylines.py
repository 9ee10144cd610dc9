"""Byline lines as agencies write them, split into the people who wrote the copy and the agency.

"Von Christian Hollmann, dpa" is one author and the agency dpa; "Av Kari Nordmann og Ola Olsen, NTB"
two authors and NTB; "NTB" alone the agency and nobody else. The agency becomes the story's source; it
is never a person.
"""

import re

# The word a byline starts with, per language, and the word that joins two names in that language.
BYLINE_WORDS = {
    "by": "and",  # English
    "von": "und",  # German
    "av": "og|och",  # Norwegian, Danish (og) and Swedish (och)
    "par": "et",  # French
    "por": "y|e",  # Spanish (y) and Portuguese (e)
    "door": "en",  # Dutch
}
# Agencies whose names stand in bylines; names given by the item itself (its copyright holder or
# provider) count too. Compared ignoring case.
AGENCIES = {
    "aap", "afp", "anp", "ansa", "ap", "apa", "associated press", "belga", "bloomberg", "cna", "ctk",
    "dpa", "efe", "epa", "europa press", "kyodo", "lusa", "mti", "ntb", "pa", "pap", "reuters", "ritzau", "sda",
    "keystone-sda", "stt", "tanjug", "tasr", "tt", "ukrinform", "xinhua", "yonhap",
}  # fmt: skip
_PREFIX = re.compile(rf"^\s*(?P<word>{'|'.join(BYLINE_WORDS)})\b\s*:?\s+", re.IGNORECASE)
_PARTS = re.compile(r"\s*[,;/]\s*")
# An agency's short name: one word in capitals ("NTB") or in small letters ("dpa").
_SHORT_NAME = re.compile(r"^(?:[A-ZÄÖÜÅÆØ]{2,6}|[a-zäöüåæø]{2,6})$")


def is_agency(name: str, known: set[str]) -> bool:
    """Whether a byline part names an agency rather than a person."""
    folded = name.casefold()
    return folded in AGENCIES or folded in known or bool(_SHORT_NAME.match(name))


def split_byline(text: str, *, agencies=()) -> tuple[list[str], str]:
    """The people a byline names and the agency it names ("" if none); ``agencies`` are names the item
    itself gives for its sender."""
    text = " ".join((text or "").split())
    known = {name.casefold() for name in agencies if name}
    joiners = "and|und|og|och|et|y|e|en"
    if prefix := _PREFIX.match(text):
        joiners = BYLINE_WORDS[prefix["word"].lower()]
        text = text[prefix.end() :]
    people, agency = [], ""
    for part in filter(None, _PARTS.split(text)):
        if is_agency(part, known):
            agency = agency or _spelled_as_given(part, agencies)
            continue
        for name in re.split(rf"\s+(?:{joiners})\s+|\s*&\s*", part, flags=re.IGNORECASE):
            if name.strip() and not is_agency(name.strip(), known):
                people.append(name.strip())
    return people, agency


def _spelled_as_given(name: str, agencies) -> str:
    """The agency as the item itself spells it elsewhere (its copyright holder), else as the byline does."""
    return next((given for given in agencies if given and given.casefold() == name.casefold()), name)
