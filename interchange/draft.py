"""A story or a picture as read from a foreign format, before it touches the database."""

from dataclasses import dataclass, field


class ImportFailed(Exception):
    """Copy that cannot be imported; the message names the problem for the person importing it."""


@dataclass
class StoryDraft:
    headline: str
    body: str = ""  # HTML; sanitized with the body allowlist when saved
    standfirst: str = ""
    section: str = ""  # a section's name or slug as the copy gives it
    source: str = ""
    original_url: str = ""
    identifier: str = ""  # the item's uri/guid, or for plain text its source and headline: re-imports update that draft
    kind: str = ""
    language: str = ""  # as the copy gives it; checked and written as a BCP 47 tag when saved
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the parser decided for the person importing


@dataclass
class Rendition:
    """One file of a picture item: embedded (a data: address) or named, to be found in the same upload."""

    href: str
    name: str = ""
    width: int = 0


@dataclass
class PictureDraft:
    """A picture item: it goes to the media library, never becomes a story."""

    identifier: str
    title: str
    credit: str = ""
    caption: str = ""
    alt_text: str = ""
    notes_for_library: str = ""  # usage terms, the editors' note, language: kept with the picture
    renditions: list[Rendition] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
