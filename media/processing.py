"""The upload pipeline: what the newsroom accepts as a picture, and how it is cleaned before storage.

A file is judged by its content, never its name: only JPEG, PNG, WebP and GIF decoders are tried.
Limits on bytes, pixels (read from the header, before any decoding) and frames keep a hostile file
from exhausting memory. What gets stored is re-encoded from pixels after the EXIF orientation is
applied, so no metadata (GPS position, camera serial, XMP, IPTC, comments, colour profiles) and no
trailing bytes survive. Animated images keep their first frame: a news photo is a still, and the
renditions served to readers (WebP and JPEG) are stills too.
"""

import io
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Pillow format name -> (stored format, file suffix). MPO is how Pillow names a JPEG carrying a second
# picture (phones and some cameras add one); GIF is stored as PNG because only its first frame is kept.
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", ".jpg"),
    "MPO": ("JPEG", ".jpg"),
    "PNG": ("PNG", ".png"),
    "WEBP": ("WEBP", ".webp"),
    "GIF": ("PNG", ".png"),
}
# The decoders Pillow may try; MPO is reached through the JPEG decoder.
DECODERS = ("JPEG", "PNG", "WEBP", "GIF")
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp,image/gif"
STORED_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 90, "method": 4},
}

_SRGB = ImageCms.createProfile("sRGB")


def max_bytes() -> int:
    return settings.NEWSROOM_IMAGE_MAX_BYTES


def max_pixels() -> int:
    return settings.NEWSROOM_IMAGE_MAX_PIXELS


def max_frames() -> int:
    return settings.NEWSROOM_IMAGE_MAX_FRAMES


class ProcessedImage(ContentFile):
    """A re-encoded upload ready for storage; ``picture`` is its decoded pixels for making renditions."""

    def __init__(self, content: bytes, *, name: str, original_name: str, picture: PILImage.Image):
        super().__init__(content, name=name)
        self.original_name = original_name
        self.picture = picture


@dataclass(frozen=True)
class _Header:
    format: str
    width: int
    height: int
    frames: int


def process_upload(upload) -> ProcessedImage:
    """Accept a JPEG, PNG, WebP or GIF within the limits and return it re-encoded without metadata.

    Raises ``ValidationError`` with a message an editor can act on for anything else.
    """
    original_name = display_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            "This file is %(size)s; the largest picture accepted is %(limit)s.",
            code="file_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        with PILImage.open(upload, formats=DECODERS) as source:
            header = _read_header(source)
            _check_limits(header)
            source.load()  # decodes the first frame only
            picture = _clean_pixels(source)
    except ValidationError:
        raise
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not a JPEG, PNG, WebP or GIF picture. Other formats (SVG, PDF, TIFF, PSD, "
            "HTML or a file renamed to look like a picture) are not accepted.",
            code="unsupported_format",
        ) from None
    except PILImage.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception as error:  # any decoder failure means the file cannot be used as it is
        logger.info("Rejected an unreadable picture upload: %s", error)
        raise ValidationError(
            "This picture is damaged or incomplete (it may not have finished uploading). "
            "Please export it again and upload the new file.",
            code="damaged",
        ) from None
    stored_format, suffix = ACCEPTED_FORMATS[header.format]
    content = encode(picture, stored_format, **STORED_OPTIONS[stored_format])
    return ProcessedImage(content, name=f"upload{suffix}", original_name=original_name, picture=picture)


def display_name(name: str) -> str:
    """The uploaded file's own name, reduced to printable text for display only (never used as a path)."""
    base = PurePath(name.replace("\\", "/")).name
    printable = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return printable.strip()[:255]


def encode(picture: PILImage.Image, image_format: str, **options) -> bytes:
    """Pixels to bytes with no metadata: the encoder gets nothing but the options given here."""
    if image_format == "JPEG" and picture.mode != "RGB":
        picture = flatten(picture)
    buffer = io.BytesIO()
    picture.save(buffer, image_format, **options)
    return buffer.getvalue()


def flatten(picture: PILImage.Image, background=(255, 255, 255)) -> PILImage.Image:
    """An RGB copy with any transparency laid on a plain background (JPEG has no alpha channel)."""
    if picture.mode != "RGBA":
        return picture.convert("RGB")
    flat = PILImage.new("RGB", picture.size, background)
    flat.paste(picture, mask=picture.getchannel("A"))
    return flat


def _read_header(source: PILImage.Image) -> _Header:
    if source.format not in ACCEPTED_FORMATS:
        raise UnidentifiedImageError(source.format)
    frames = getattr(source, "n_frames", 1) if source.format == "GIF" else 1
    width, height = source.size
    return _Header(format=source.format, width=width, height=height, frames=frames)


def _check_limits(header: _Header) -> None:
    if header.width < 1 or header.height < 1:
        raise ValidationError("This picture has no pixels.", code="empty")
    if header.width * header.height > max_pixels():
        raise _too_many_pixels(header)
    if header.frames > max_frames():
        raise ValidationError(
            "This animation has %(frames)s frames; the most accepted is %(limit)s.",
            code="too_many_frames",
            params={"frames": header.frames, "limit": max_frames()},
        )


def _too_many_pixels(header: _Header | None = None) -> ValidationError:
    megapixels = max_pixels() / 1_000_000
    if header is None:
        return ValidationError(
            "This picture declares more pixels than accepted (at most %(limit)s megapixels).",
            code="too_many_pixels",
            params={"limit": f"{megapixels:g}"},
        )
    return ValidationError(
        "This picture is %(width)s x %(height)s pixels; the largest accepted is %(limit)s megapixels. "
        "Please resize it and upload it again.",
        code="too_many_pixels",
        params={"width": header.width, "height": header.height, "limit": f"{megapixels:g}"},
    )


def _clean_pixels(source: PILImage.Image) -> PILImage.Image:
    """The picture upright, in sRGB (RGB or RGBA), as a new image that carries no metadata at all."""
    try:
        oriented = ImageOps.exif_transpose(source)
    except Exception as error:  # unreadable EXIF: keep the pixels as stored rather than refuse the photo
        logger.info("Ignored unreadable orientation data in an uploaded picture: %s", error)
        oriented = source.copy()
    converted = _to_srgb(oriented, source.info.get("icc_profile"))
    if converted is not oriented:
        oriented.close()
    # A brand-new image holds only pixels: nothing from the file's info or EXIF can reach an encoder.
    clean = PILImage.new(converted.mode, converted.size)
    clean.paste(converted)
    converted.close()
    return clean


def _to_srgb(picture: PILImage.Image, icc_profile: bytes | None) -> PILImage.Image:
    target = "RGBA" if _has_alpha(picture) else "RGB"
    if picture.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        picture = picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if icc_profile and picture.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(picture, source_profile, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            logger.info("Ignored an unusable colour profile in an uploaded picture")
    return picture if picture.mode == target else picture.convert(target)


def _has_alpha(picture: PILImage.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        picture.mode in ("P", "L", "RGB") and "transparency" in picture.info
    )
