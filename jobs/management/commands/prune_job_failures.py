"""Delete job failure records past their retention period (the scheduler also does this daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.tasks import prune_failures


class Command(BaseCommand):
    help = "Delete job failure records older than NEWSROOM_JOB_FAILURE_RETENTION_DAYS."

    def handle(self, *args, **options):
        deleted = prune_failures()
        days = settings.NEWSROOM_JOB_FAILURE_RETENTION_DAYS
        self.stdout.write(f"Deleted {deleted} job failure records older than {days} days.")
