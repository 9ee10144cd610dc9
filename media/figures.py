"""Library pictures inside story text: what the body sanitizer keeps, and how pages show them.

The editor stores a figure as ``<figure class="figure"><img src=... alt=... data-file="ID">
<figcaption>...</figcaption></figure>``. The sanitizer keeps an image only when its address is our
own media; pages then swap each figure's image for the library picture's responsive markup, with
its credit, in one query for the whole story.
"""

import re
from html import unescape

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from newsroom import cachetags

BODY_IMAGE_SIZES = "(min-width: 48em) 46rem, 100vw"
MEDIA_FOLDER = "images/"

# These patterns read the sanitizer's own output, where every attribute is double-quoted and
# "<", ">" and '"' inside values are escaped, so a tag always ends at the first ">".
_IMG = re.compile(r"<img\b[^>]*>")
_IMG_WITHOUT_SRC = re.compile(r'<img\b(?![^>]*\ssrc=")[^>]*>')
# An embed's figure holds a link, not a picture (embeds.markup).
_FIGURE_WITHOUT_IMG = re.compile(r'<figure\b(?![^>]*class="embed")[^>]*>(?:(?!<img\b).)*?</figure>', re.S)
_FIGURE = re.compile(r"<figure\b[^>]*>(.*?)</figure>", re.S)
_FIGCAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.S)
_ATTRIBUTE = re.compile(r'([a-zA-Z][\w-]*)="([^"]*)"')
_FILE_ID = re.compile(r'data-file="(\d+)"')
_NUMBER = re.compile(r"\d{1,9}")


def media_prefixes() -> set[str]:
    """Addresses our pictures are served from: MEDIA_URL, and the storage's own URL (object storage)."""
    probe = "probe.jpg"
    storage_base = default_storage.url(MEDIA_FOLDER + probe)[: -len(probe)]
    return {settings.MEDIA_URL.rstrip("/") + "/" + MEDIA_FOLDER, storage_base}


def is_own_media(url: str) -> bool:
    """Whether ``url`` points at a picture in our media folder (no parent steps, no odd characters)."""
    if ".." in url or "\\" in url or any(ch.isspace() for ch in url):
        return False
    return any(url.startswith(prefix) for prefix in media_prefixes())


def allowed_image_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: image sources only from our media, numbers only where numbers belong."""
    if element == "img":
        if attribute == "src":
            return value if is_own_media(value) else None
        if attribute in ("data-file", "width", "height"):
            return value if _NUMBER.fullmatch(value) else None
    if element == "figure" and attribute == "class":
        return "figure"
    return value


def drop_sourceless_images(html: str) -> str:
    """Remove images whose source was refused, and figures left without an image."""
    return _FIGURE_WITHOUT_IMG.sub("", _IMG_WITHOUT_SRC.sub("", html))


def picture_ids(html: str) -> set[int]:
    """The library pictures a sanitized body places, by id (``data-file``)."""
    return {int(found) for found in _FILE_ID.findall(html or "")}


def responsive_figures(html: str) -> SafeString:
    """Sanitized body HTML with each library figure rendered as a responsive, credited picture.

    A figure whose picture has left the library is dropped. One query, however many figures.
    """
    from media.models import Image

    ids = picture_ids(html)
    if not ids:
        return mark_safe(html)  # the body was sanitized on save
    images = Image.objects.in_bulk(ids)
    cachetags.depends_on(*(cachetags.tag_for(image) for image in images.values()))

    def render(match: re.Match) -> str:
        file_id, image, alt, caption = _figure(match, images)
        if image is None:
            return match.group(0) if not file_id else ""
        context = {
            "image": image,
            "alt": alt or image.alt_text,
            # Caption markup comes from the sanitized body, so it is already safe HTML.
            "caption": mark_safe(caption),
            "sizes": BODY_IMAGE_SIZES,
        }
        return render_to_string("articles/includes/body_figure.html", context).strip()

    return mark_safe(_FIGURE.sub(render, html))  # sanitized on save, figures rendered escaped


def _figure(match: re.Match, images: dict) -> tuple[str, object, str, str]:
    """What a library figure of a sanitized body (matched by ``_FIGURE``) holds: its picture's id as written,
    the picture (None if it has left ``images``), the alt text written on it and its caption's markup."""
    img = _IMG.search(match.group(1))
    attributes = dict(_ATTRIBUTE.findall(img.group(0))) if img else {}
    file_id = attributes.get("data-file", "")
    caption = _FIGCAPTION.search(match.group(1))
    image = images.get(int(file_id)) if file_id.isdigit() else None
    return file_id, image, unescape(attributes.get("alt", "")), caption.group(1).strip() if caption else ""


def figure_ids(html: str) -> set[int]:
    """The library pictures a sanitized body shows."""
    return {int(found) for found in _FILE_ID.findall(html or "")}


def plain_figures(html: str, images: dict, absolute) -> str:
    """Sanitized body HTML with each library figure as one plain picture at an absolute address, with its
    alt text, caption and credit: for feeds and aggregators, which show neither responsive sources nor our CSS.

    ``images``: the pictures by id (``figure_ids``); ``absolute``: makes an address absolute. A figure
    whose picture has left the library is dropped."""

    def plain(match: re.Match) -> str:
        file_id, image, alt, caption = _figure(match, images)
        if image is None:
            return match.group(0) if not file_id else ""
        return picture_html(image, absolute, alt=alt, caption=caption)

    return _FIGURE.sub(plain, html or "")


def picture_html(image, absolute, *, alt: str = "", caption: str = "") -> str:
    """One library picture as a plain, credited figure (``caption``: safe HTML) at an absolute address."""
    return render_to_string(
        "articles/includes/plain_figure.html",
        {
            "src": absolute(image.file.url),
            "image": image,
            "alt": alt or image.alt_text,
            "caption": mark_safe(caption),  # noqa: S308 (from the sanitized body, or escaped by the caller)
        },
    ).strip()
