from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Jobs of the queue (newsroom/celery.py) that failed for good, kept for admins to read."""

    name = "jobs"
    verbose_name = "Jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from jobs import signals
        from jobs.models import JobFailure
        from newsroom import cachetags

        cachetags.private(JobFailure)  # readers never see it: recording one retires no page
        signals.connect()
