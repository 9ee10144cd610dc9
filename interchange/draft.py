"""A story as read from a foreign format, before it touches the database."""

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
    language: str = ""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
