"""A job that failed for good: every retry used up, or an error no retry can mend."""

from datetime import datetime

from django.db import models
from django.utils import timezone

# How much of a failure is kept: enough to recognise it and find the line that raised.
ARGS_CHARS, ERROR_CHARS, TRACEBACK_CHARS = 300, 1000, 4000


class JobFailureQuerySet(models.QuerySet):
    def older_than(self, cutoff: datetime) -> "JobFailureQuerySet":
        """Failures recorded before ``cutoff``: past NEWSROOM_JOB_FAILURE_RETENTION_DAYS, deleted by the prune."""
        return self.filter(at__lt=cutoff)


class JobFailure(models.Model):
    at = models.DateTimeField("time", default=timezone.now, db_index=True)
    task = models.CharField("job", max_length=200, db_index=True)
    task_id = models.CharField("job id", max_length=64, blank=True)
    arguments = models.CharField(max_length=ARGS_CHARS, blank=True)
    retries = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=ERROR_CHARS)
    traceback = models.TextField("traceback (last lines)", blank=True)

    objects = JobFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)  # read only: the daily prune is what removes them

    def __str__(self):
        return f"{self.task} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, *, task: str, task_id: str = "", args=(), kwargs=None, retries: int = 0, error, traceback=""):
        """Keep one failure: ``error`` is the exception; arguments, message and traceback are cut to size."""
        arguments = ", ".join([*(repr(arg) for arg in args or ()), *(f"{k}={v!r}" for k, v in (kwargs or {}).items())])
        return cls.objects.create(
            task=task[:200],
            task_id=(task_id or "")[:64],
            arguments=_shortened(arguments, ARGS_CHARS),
            retries=retries,
            error=_shortened(f"{type(error).__name__}: {error}", ERROR_CHARS),
            traceback=str(traceback or "")[-TRACEBACK_CHARS:],
        )


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
