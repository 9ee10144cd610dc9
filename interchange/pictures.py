"""Picture items from the wire, into the media library.

Nothing is fetched over the network: the picture's file must come with the item, embedded in a
rendition (a ``data:`` address) or as a file of the same upload that a rendition names. A picture
item without its file is refused, naming the file it needs.
"""

import base64
import binascii
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from interchange.draft import ImportFailed, PictureDraft, Rendition
from media.models import Image

PICTURE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")
_DATA_ADDRESS = re.compile(
    r"^data:(?P<type>image/[\w.+-]+)?(?:;[\w-]+=[\w.-]+)*(?P<base64>;base64)?,(?P<data>.*)$", re.S
)
_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
CAPTION_MAX = Image._meta.get_field("caption").max_length
ALT_MAX = Image._meta.get_field("alt_text").max_length


def is_picture_file(name: str, content: bytes) -> bool:
    """Whether an uploaded file is a picture (by its name, or by its first bytes)."""
    if PurePosixPath(name).suffix.lower() in PICTURE_SUFFIXES:
        return True
    return content.startswith(_SIGNATURES) or (content[:4] == b"RIFF" and content[8:12] == b"WEBP")


def file_key(name: str) -> str:
    """How a rendition's address and an uploaded file's name are matched: the file name, ignoring case."""
    return PurePosixPath(unquote(urlsplit(name).path or name).replace("\\", "/")).name.casefold()


def _embedded(rendition: Rendition, title: str) -> tuple[bytes, str] | None:
    match = _DATA_ADDRESS.match(rendition.href.strip())
    if match is None:
        return None
    if not match["base64"]:
        raise ImportFailed(f'The picture "{title}" is embedded without base64 encoding; embed it as base64.')
    try:
        content = base64.b64decode("".join(match["data"].split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImportFailed(f'The picture "{title}" is embedded, but its base64 data is damaged.') from exc
    return content, "picture" + _TYPES.get(match["type"] or "", ".jpg")


def picture_file(draft: PictureDraft, attachments: dict[str, tuple[str, bytes]]) -> tuple[bytes, str, str]:
    """The picture's bytes, its file name and the attachment key used ("" if embedded); the largest
    rendition available without the network wins."""
    for rendition in sorted(draft.renditions, key=lambda r: -r.width):
        if embedded := _embedded(rendition, draft.title):
            return *embedded, ""
        key = file_key(rendition.href)
        if key in attachments:
            name, content = attachments[key]
            return content, name, key
    largest = max(draft.renditions, key=lambda r: r.width, default=None)
    where = f"its file is only at {largest.href[:100]}" if largest else "the item has no rendition of it"
    raise ImportFailed(
        f'The picture "{draft.title[:80]}" was not imported: {where}, and Newsroom fetches nothing over the '
        "network. Upload the picture file with the item (named as its rendition names it) or embed it."
    )


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to whole sentences, else whole words, within ``limit`` characters."""
    if len(text) <= limit:
        return text
    ends = [end.start() for end in _SENTENCE_END.finditer(text) if end.start() <= limit]
    if ends:
        return text[: ends[-1]].strip()
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def describe(image: Image, draft: PictureDraft) -> list[str]:
    """Fill the picture's words from the item; returns what the person importing should check."""
    if not draft.credit:
        raise ImportFailed(
            f'The picture "{draft.title[:80]}" names no credit (by, copyright holder or credit line): '
            "a picture cannot be used without one."
        )
    notes = []
    image.title, image.credit = draft.title[:200], draft.credit[:200]
    image.caption = _shortened(draft.caption, CAPTION_MAX)
    image.source_notes = draft.notes_for_library
    image.alt_text = _shortened(draft.alt_text, ALT_MAX)
    if not image.alt_text:
        image.alt_text = _shortened(_SENTENCE_END.split(draft.caption, 1)[0], ALT_MAX) if draft.caption else ""
        notes.append(
            f'The alt text of the picture "{draft.title[:80]}" was taken from its caption: check that it describes '
            "what the picture shows."
            if image.alt_text
            else f'The picture "{draft.title[:80]}" has no caption or alt text: write its alt text before using it.'
        )
    if len(draft.caption) > CAPTION_MAX:
        notes.append(f'The caption of "{draft.title[:80]}" was shortened; the whole caption is in its source notes.')
    return notes


def store(image: Image, content: bytes, name: str) -> None:
    """Save a new picture with its file (checked and re-encoded as any upload is)."""
    image.file = ContentFile(content, name=name)
    try:
        image.save()
    except ValidationError as exc:
        raise ImportFailed(f'The picture "{image.title[:80]}" was not imported: {" ".join(exc.messages)}') from exc


def remove_files(images: list[Image]) -> None:
    """Delete the stored files of new pictures whose rows were rolled back."""
    for image in images:
        if image.pk is None or not image.file or not image.file._committed:
            continue  # nothing of it reached the storage
        for name in image.stored_names():
            image.file.storage.delete(name)
