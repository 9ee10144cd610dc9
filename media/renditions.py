"""Renditions: the resized copies readers actually download, made after a picture is saved (media/tasks.py).

Every picture gets WebP and JPEG copies at the standard widths below its own (never upscaled),
an Open Graph crop (1200 x 630) and the crops in ``CROPS`` (3:2 for teasers, 16:9 for the home page's
lead), all centred on the editor's focal point: a crop made here keeps the subject that the browser's
own centred cropping to the shape a page shows would cut off. Files go through Django's storage API,
and each is recorded in the picture's ``rendition_index``, the one record of its renditions: pages write
``srcset`` from it without touching storage or making a query per picture.
"""

from typing import NamedTuple

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage

from media.processing import encode, flatten

WIDTHS = (320, 640, 960, 1280, 1920)
OPEN_GRAPH_SIZE = (1200, 630)
CROPS = {
    # name: (width / height, widths); each is indexed under its name
    "teaser": (3 / 2, (320, 640, 960, 1280)),  # from list thumbnails (8rem) to a full-width teaser on a phone
    "lead": (16 / 9, (640, 960, 1280, 1920)),  # the home page's lead: full width on a phone, 60vw on a desktop
}
FORMATS = {
    # key: (Pillow format, file suffix, encoder options)
    "webp": ("WEBP", "webp", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
}


class RenditionFile(NamedTuple):
    """One rendition as the index records it; ``kind`` is "width", "og" or a crop's name."""

    kind: str
    format: str
    width: int
    height: int
    name: str


def rendition_files(index: dict, kind: str | None = None) -> list[RenditionFile]:
    """Every rendition a picture's index records (of one ``kind`` if given), smallest first in each format."""
    sized = {"width": index, **{crop: index.get(crop) or {} for crop in CROPS}}
    files = [
        RenditionFile(name_of_kind, key, width, height, name)
        for name_of_kind, sizes in sized.items()
        for key in FORMATS
        for width, height, name in sizes.get(key) or []
    ]
    if index.get("og"):
        og = index["og"]
        files.append(RenditionFile("og", "jpeg", og["width"], og["height"], og["name"]))
    return [found for found in files if kind in (None, found.kind)]


def widths_for(width: int, standard_widths: tuple[int, ...] = WIDTHS) -> list[int]:
    """The standard widths narrower than the picture, plus its own width when that is within range."""
    chosen = [standard for standard in standard_widths if standard < width]
    if width <= standard_widths[-1]:
        chosen.append(width)
    return chosen


def scaled_height(width: int, height: int, new_width: int) -> int:
    return max(1, round(height * new_width / width))


def focal_crop_box(size: tuple[int, int], ratio: float, focal: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest box of the given width/height ratio inside ``size``, as central on the focal point as fits."""
    width, height = size
    if width / height > ratio:
        crop_width, crop_height = max(1, round(height * ratio)), height
    else:
        crop_width, crop_height = width, max(1, round(width / ratio))
    left = _clamp(round(focal[0] * width - crop_width / 2), 0, width - crop_width)
    top = _clamp(round(focal[1] * height - crop_height / 2), 0, height - crop_height)
    return left, top, left + crop_width, top + crop_height


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def rendition_name(source_name: str, label: str) -> str:
    """Renditions live beside their source: images/2026/11/<id>.jpg -> images/2026/11/<id>/<label>."""
    stem = source_name.rsplit(".", 1)[0]
    return f"{stem}/{label}"


def refresh_renditions(image, *, picture: PILImage.Image | None = None) -> bool:
    """Bring ``image``'s renditions up to date with its file and focal point; False if they already were.

    ``picture`` is the decoded source when the caller has it (a fresh upload); otherwise the stored
    file is read back. Only what is out of date is made again: a new focal point remakes the crops,
    a picture from before a crop existed gets just that crop.
    """
    from media.models import Image

    if not image.file:
        return False
    index = image.rendition_index or {}
    focal = [round(image.focal_x, 4), round(image.focal_y, 4)]
    outdated = _outdated(index, image.file.name, focal)
    if not outdated:
        return False
    stale_kinds = {"width" if part == "widths" else part for part in outdated}
    stale = [found.name for found in rendition_files(index) if found.kind in stale_kinds]
    if "widths" in outdated and index.get("source"):  # the file was replaced: its old original goes too
        stale.append(index["source"])
    owned = picture is None
    if owned:
        picture = _open_stored(image)
    try:
        if "widths" in outdated:
            index = {"source": image.file.name, **_render_sizes(image, picture, widths_for(picture.width))}
        if "og" in outdated:
            index = {**index, "og": _render_open_graph(image, picture, focal)}
        for crop in CROPS:
            if crop in outdated:
                index = {**index, crop: _render_crop(image, picture, crop, focal)}
    finally:
        if owned:
            picture.close()
    Image.objects.filter(pk=image.pk).update(rendition_index=index)
    image.rendition_index = index
    delete_files_on_commit(stale, image.file.storage, image_id=image.pk)
    return True


def renditions_outdated(image) -> bool:
    """Whether ``image`` lacks renditions of its current file and focal point (no file, no storage read)."""
    focal = [round(image.focal_x, 4), round(image.focal_y, 4)]
    return bool(image.file) and bool(_outdated(image.rendition_index or {}, image.file.name, focal))


def _outdated(index: dict, source: str, focal: list[float]) -> set[str]:
    """The parts of a rendition index that no longer match the picture's file and focal point."""
    crops = ("og", *CROPS)
    if index.get("source") != source:
        return {"widths", *crops}
    return {crop for crop in crops if (index.get(crop) or {}).get("focal") != focal}


def _open_stored(image) -> PILImage.Image:
    with image.file.open("rb") as stored, PILImage.open(stored) as picture:
        picture.load()
        return picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "PA") else "RGB")


def _render_crop(image, picture: PILImage.Image, name: str, focal: list[float]) -> dict:
    """The largest crop of ``CROPS[name]``'s shape around the focal point, at its widths up to its own."""
    ratio, standard_widths = CROPS[name]
    crop = picture.crop(focal_crop_box(picture.size, ratio, focal))
    prefix = f"{name}-{round(focal[0] * 100)}-{round(focal[1] * 100)}-"
    sizes = _render_sizes(image, crop, widths_for(crop.width, standard_widths), prefix)
    return {"focal": focal, **sizes}


def _render_sizes(image, picture: PILImage.Image, widths: list[int], prefix: str = "") -> dict:
    """``picture`` at each of ``widths`` in every format, indexed by format, smallest first."""
    index: dict[str, list] = {key: [] for key in FORMATS}
    current = picture
    for width in sorted(widths, reverse=True):
        height = scaled_height(picture.width, picture.height, width)
        if width != current.width:  # each size from the next larger one: fast, and sharp enough
            current = current.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        for key, (pillow_format, suffix, options) in FORMATS.items():
            name = _store(image, f"{prefix}w{width}.{suffix}", encode(current, pillow_format, **options))
            index[key].insert(0, [width, height, name])
    return index


def _render_open_graph(image, picture: PILImage.Image, focal: list[float]) -> dict:
    target_width, target_height = OPEN_GRAPH_SIZE
    crop = flatten(picture.crop(focal_crop_box(picture.size, target_width / target_height, focal)))
    if crop.width > target_width:  # never upscaled: a small picture keeps its own size
        crop = crop.resize((target_width, target_height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    pillow_format, suffix, options = FORMATS["jpeg"]
    label = f"og-{round(focal[0] * 100)}-{round(focal[1] * 100)}.{suffix}"
    name = _store(image, label, encode(crop, pillow_format, **options))
    return {"name": name, "width": crop.width, "height": crop.height, "focal": focal}


def _store(image, label: str, content: bytes) -> str:
    return image.file.storage.save(rendition_name(image.file.name, label), ContentFile(content))


def delete_files_on_commit(names, storage=None, *, image_id: int | None = None) -> None:
    """Remove stored files after commit, unless a picture still points at them (a rollback loses nothing).

    ``image_id``: the picture whose renditions these were; a name its index holds again is kept.
    """
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    names = list(names)
    if names:
        transaction.on_commit(lambda: _delete_unreferenced(storage, names, image_id))


def _delete_unreferenced(storage, names: list[str], image_id: int | None) -> None:
    from media.models import Image

    referenced = set(Image.objects.filter(file__in=names).values_list("file", flat=True))
    if image_id is not None:
        current = Image.objects.filter(pk=image_id).values_list("rendition_index", flat=True).first()
        referenced |= {found.name for found in rendition_files(current or {})}
    for name in names:
        if name not in referenced:
            storage.delete(name)
