"""The jobs app's own scheduled job: old failure records go."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from jobs.models import JobFailure
from newsroom.celery import RETRYING


@shared_task(**RETRYING)
def prune_failures() -> int:
    """Delete failure records older than NEWSROOM_JOB_FAILURE_RETENTION_DAYS; the number deleted."""
    cutoff = timezone.now() - timedelta(days=settings.NEWSROOM_JOB_FAILURE_RETENTION_DAYS)
    return JobFailure.objects.older_than(cutoff).delete()[0]
