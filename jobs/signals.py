"""Jobs that fail for good are recorded: Celery's ``task_failure`` comes only once retries are used up."""

import logging

from celery.signals import task_failure

logger = logging.getLogger(__name__)


def record_failure(sender=None, task_id=None, exception=None, args=None, kwargs=None, einfo=None, **extra):
    from jobs.models import JobFailure

    request = getattr(sender, "request", None)
    try:
        JobFailure.record(
            task=getattr(sender, "name", "") or "unknown",
            task_id=task_id or "",
            args=args or (),
            kwargs=kwargs or {},
            retries=getattr(request, "retries", 0) or 0,
            error=exception,
            traceback=getattr(einfo, "traceback", "") if einfo else "",
        )
    except Exception:  # the database may be what failed: the worker's log still has the job's error
        logger.exception("Could not record the failure of job %s", getattr(sender, "name", task_id))


def connect() -> None:
    task_failure.connect(record_failure, dispatch_uid="jobs-record-failure", weak=False)
