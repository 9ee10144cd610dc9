"""Delete audit log entries older than the retention period: the only way entries are ever removed."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit import record
from audit.models import Action, AuditEntry

BATCH = 1000


class Command(BaseCommand):
    help = "Delete audit log entries older than NEWSROOM_AUDIT_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):
        days = settings.NEWSROOM_AUDIT_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        old = AuditEntry.objects.older_than(cutoff)
        deleted = 0
        while batch := list(old.values_list("pk", flat=True)[:BATCH]):
            # A queryset delete: the model's own delete() refuses, so no other path removes entries.
            deleted += AuditEntry.objects.filter(pk__in=batch).delete()[0]
        if deleted:
            record(action=Action.PRUNED, details={"deleted": deleted, "before": cutoff, "retention_days": days})
        self.stdout.write(f"Deleted {deleted} audit log entries older than {days} days.")
