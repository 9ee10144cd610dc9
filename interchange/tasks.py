"""The interchange app's jobs: archive exports (and large imports) run by the worker."""

from celery import shared_task

from interchange import batches, exports
from newsroom.celery import RETRYING


@shared_task(bind=True, **RETRYING)
def write_export(self, export_id: int) -> bool:
    """Write a queued archive export; its row says failed once the last try has failed."""
    try:
        return exports.write_export(export_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            exports.mark_failed(export_id, error)
        raise


@shared_task(bind=True, **RETRYING)
def import_batch(self, batch_id: int) -> bool:
    """Import an uploaded batch of copy; it says failed once the last try has failed."""
    try:
        return batches.run_import(batch_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            batches.mark_failed(batch_id, error)
        raise
