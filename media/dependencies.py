"""What changes to pictures retire in the page cache (``newsroom.cachetags``): the pages showing them."""

from media.models import Image
from newsroom import cachetags


def image_retires(image, *, before, deleted, related=None) -> set[str]:
    return {cachetags.tag_for(image)}


def declare() -> None:
    cachetags.on_change(Image, image_retires)
