"""Archive exports as jobs: asked for at once, written by the worker, downloaded from the admin.

Archives hold every draft and staff names and addresses, so they are written to NEWSROOM_EXPORT_DIR
(var/exports by default), a folder no web server serves, and read back only by the admin's download
view. With several app servers that folder must be shared with the worker, or downloads made where the
worker runs.
"""

import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interchange.archive import export_archive
from interchange.models import ArchiveExport
from newsroom.celery import enqueue


def export_folder() -> Path:
    folder = Path(settings.NEWSROOM_EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def request_export(*, user=None, include_media: bool = True) -> ArchiveExport:
    """Record an export and queue it for the worker (written at once when jobs run eagerly)."""
    from interchange import tasks

    with transaction.atomic():
        export = ArchiveExport.objects.create(requested_by=user, include_media=include_media)
        enqueue(tasks.write_export, export.pk)
    export.refresh_from_db()
    return export


def write_export(export_id: int) -> bool:
    """Write the archive of an export still waiting; False when there is none (written already, or deleted)."""
    export = ArchiveExport.objects.filter(pk=export_id, status=ArchiveExport.Status.QUEUED).first()
    if export is None:
        return False
    name = f"newsroom-{timezone.localtime(export.requested_at):%Y-%m-%d}-{export.pk}.zip"
    final = export_folder() / name
    unfinished = final.with_name(name + ".part")  # a download never finds half an archive
    summary = export_archive(unfinished, include_media=export.include_media)
    os.replace(unfinished, final)
    ArchiveExport.objects.filter(pk=export.pk).update(
        status=ArchiveExport.Status.DONE,
        file_name=name,
        file_size=final.stat().st_size,
        rows=sum(summary.counts.values()),
        media_files=summary.media_files,
        finished_at=timezone.now(),
    )
    return True


def mark_failed(export_id: int, error: Exception) -> None:
    """The export's last try failed: say so on its row (the job's failure record has the details)."""
    ArchiveExport.objects.filter(pk=export_id, status=ArchiveExport.Status.QUEUED).update(
        status=ArchiveExport.Status.FAILED, error=f"{type(error).__name__}: {error}"[:1000], finished_at=timezone.now()
    )


def archive_path(export: ArchiveExport) -> Path | None:
    """Where a finished export's file is, or None if it is not ready or has gone."""
    if export.status != ArchiveExport.Status.DONE or not export.file_name:
        return None
    path = export_folder() / Path(export.file_name).name
    return path if path.is_file() else None


def delete_file(export: ArchiveExport) -> None:
    """Remove an export's file with its record."""
    path = archive_path(export)
    if path is not None:
        path.unlink(missing_ok=True)
