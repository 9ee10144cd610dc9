"""The media library's jobs: renditions are made by the worker after an upload or a new focal point.

Until they exist, pages show the picture's original file (templates/articles/includes/image.html);
when they appear, the picture's cache tag is retired, which empties the stored markup of the stories
showing it (articles/rendering.py), so their pages are rendered again with the renditions.
"""

from celery import shared_task
from django.db import transaction

from media.models import Image
from media.renditions import refresh_renditions
from newsroom import cachetags
from newsroom.celery import RETRYING, enqueue

# Pictures the scheduled sweep queues at most per run (each is a job of its own).
SWEEP_BATCH = 200


@shared_task(**RETRYING)
def render_renditions(image_id: int) -> bool:
    """Bring one picture's renditions up to date; False when there was nothing to do (or it was deleted)."""
    with transaction.atomic():
        # Locked while rendering, so two deliveries of the job never make the same renditions twice.
        image = Image.objects.select_for_update().filter(pk=image_id).first()
        if image is None or not refresh_renditions(image):
            return False
        cachetags.retire(cachetags.tag_for(image))
    return True


@shared_task(**RETRYING)
def render_missing() -> int:
    """Queue the pictures that have no renditions yet (their job was lost while the broker was away, say)."""
    missing = Image.objects.exclude(rendition_index__has_key="source").exclude(file="").order_by("pk")
    ids = list(missing.values_list("pk", flat=True)[:SWEEP_BATCH])
    for image_id in ids:
        enqueue(render_renditions, image_id)
    return len(ids)
