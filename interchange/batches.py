"""Imports of many files as jobs: the upload is kept, the worker imports it, the upload page lists the outcome.

Up to NEWSROOM_IMPORT_QUEUE_FILES files are imported during the request, as before; a larger upload is
saved to NEWSROOM_IMPORT_QUEUE_DIR (private: copy under embargo may be among it) and queued.
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Story
from interchange.importing import FileOutcome, import_files
from interchange.models import ImportBatch
from media.models import Image
from newsroom.celery import enqueue


def queue_folder() -> Path:
    folder = Path(settings.NEWSROOM_IMPORT_QUEUE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def is_large(files: list) -> bool:
    """Whether an upload is imported by the worker rather than during the request."""
    return len(files) > settings.NEWSROOM_IMPORT_QUEUE_FILES


def queue_import(*, files: list[tuple[str, bytes]], user=None, section=None) -> ImportBatch:
    """Keep the files and queue their import (done at once when jobs run eagerly)."""
    from interchange import tasks

    folder = uuid.uuid4().hex
    path = queue_folder() / folder
    path.mkdir()
    try:
        for index, (_name, content) in enumerate(files):
            (path / f"{index:04d}").write_bytes(content)
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                created_by=user, section=section, folder=folder, names=[name for name, _content in files]
            )
            enqueue(tasks.import_batch, batch.pk)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    batch.refresh_from_db()
    return batch


def run_import(batch_id: int) -> bool:
    """Import a waiting batch, all of it or (on a database outage, to be retried) none; False if none waits."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id, status=ImportBatch.Status.QUEUED).first()
        if batch is None:
            return False
        path = queue_folder() / batch.folder
        files = [(name, (path / f"{index:04d}").read_bytes()) for index, name in enumerate(batch.names)]
        outcomes = import_files(files=files, user=batch.created_by, section=batch.section)
        batch.results = [_kept(outcome) for outcome in outcomes]
        batch.status, batch.finished_at = ImportBatch.Status.DONE, timezone.now()
        batch.save(update_fields=["results", "status", "finished_at"])
    shutil.rmtree(path, ignore_errors=True)
    return True


def mark_failed(batch_id: int, error: Exception) -> None:
    """The batch's last try failed: say so, and let its files go."""
    batch = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.QUEUED).first()
    if batch is None:
        return
    batch.status, batch.finished_at = ImportBatch.Status.FAILED, timezone.now()
    batch.error = f"{type(error).__name__}: {error}"[:1000]
    batch.save(update_fields=["status", "finished_at", "error"])
    shutil.rmtree(queue_folder() / batch.folder, ignore_errors=True)


def _kept(outcome: FileOutcome) -> dict:
    return {
        "name": outcome.name,
        "error": outcome.error,
        "notes": outcome.notes,
        "stories": [story.pk for story in outcome.stories],
        "updated": sorted(outcome.updated),
        "images": [image.pk for image in outcome.images],
    }


def outcomes_of(batch: ImportBatch) -> list[FileOutcome]:
    """A finished batch's outcomes, with the stories and pictures that still exist."""
    story_ids = {pk for kept in batch.results for pk in kept["stories"]}
    image_ids = {pk for kept in batch.results for pk in kept["images"]}
    stories, images = Story.objects.in_bulk(story_ids), Image.objects.in_bulk(image_ids)
    return [
        FileOutcome(
            kept["name"],
            stories=[stories[pk] for pk in kept["stories"] if pk in stories],
            images=[images[pk] for pk in kept["images"] if pk in images],
            error=kept["error"],
            updated=set(kept["updated"]),
            notes=kept["notes"],
        )
        for kept in batch.results
    ]


def recent_batches(user, limit: int = 5) -> list[ImportBatch]:
    """The batches ``user`` uploaded last, newest first."""
    return list(ImportBatch.objects.filter(created_by=user).order_by("-created_at", "-pk")[:limit])
