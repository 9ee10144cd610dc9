"""The audit log: one row per thing done that a security review may need to trace, never changed after."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    SIGNED_IN = "signed-in", "Signed in with password"
    SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
    SIGNED_OUT = "signed-out", "Signed out"
    LOCKED_OUT = "locked-out", "Sign-in locked after repeated failures"
    THROTTLED = "throttled", "Requests throttled"
    SECOND_FACTOR_PASSED = "second-factor-passed", "Second factor confirmed"
    SECOND_FACTOR_FAILED = "second-factor-failed", "Second factor refused"
    BACKUP_CODE_USED = "backup-code-used", "Backup code used"
    SECOND_FACTOR_ENROLLED = "second-factor-enrolled", "Second factor enrolled"
    BACKUP_CODES_ISSUED = "backup-codes-issued", "Backup codes issued"
    SECOND_FACTOR_RESET = "second-factor-reset", "Second factor reset"
    USER_CREATED = "user-created", "Account created"
    USER_DEACTIVATED = "user-deactivated", "Account deactivated"
    USER_REACTIVATED = "user-reactivated", "Account reactivated"
    ROLES_CHANGED = "roles-changed", "Roles changed"
    PERMISSIONS_CHANGED = "permissions-changed", "Permissions changed"
    PUBLISHED = "published", "Story published"
    SCHEDULED = "scheduled", "Story scheduled"
    UNSCHEDULED = "unscheduled", "Story taken off the schedule"
    RETRACTED = "retracted", "Story retracted"
    CORRECTED = "corrected", "Correction added"
    LIVE_STARTED = "live-started", "Live coverage started"
    LIVE_ENTRY_POSTED = "live-entry-posted", "Live entry posted"
    LIVE_ENTRY_PINNED = "live-entry-pinned", "Live entry pinned"
    LIVE_ENTRY_UNPINNED = "live-entry-unpinned", "Live entry unpinned"
    LIVE_ENTRY_CORRECTED = "live-entry-corrected", "Live entry corrected"
    LIVE_ENTRY_DELETED = "live-entry-deleted", "Live entry deleted"
    LIVE_ENDED = "live-ended", "Live coverage ended"
    PREVIEW_LINK_CREATED = "preview-link-created", "Preview link made"
    PREVIEW_LINK_REVOKED = "preview-link-revoked", "Preview link revoked"
    IMPORTED = "imported", "Copy imported"
    IMPORT_FAILED = "import-failed", "Import refused"
    EXPORTED = "exported", "Archive exported"
    ARCHIVE_LOADED = "archive-loaded", "Archive loaded"
    PRUNED = "pruned", "Old audit entries deleted"


class AuditEntryQuerySet(models.QuerySet):
    def older_than(self, cutoff) -> "AuditEntryQuerySet":
        """Entries recorded before ``cutoff``: past the retention period, the only ones ever deleted."""
        return self.filter(at__lt=cutoff)


class AuditEntry(models.Model):
    """Who did what, to what, from where and when. Rows are only ever added (and pruned when old)."""

    at = models.DateTimeField("time", default=timezone.now, db_index=True)
    action = models.CharField(max_length=40, choices=Action.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The user name as it was (or as typed, for a failed sign-in): it stays when the account is renamed or deleted.
    actor_name = models.CharField("user name", max_length=150, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    object_type = models.ForeignKey(
        ContentType, verbose_name="object type", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField("object", max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # Viewing is the only permission there is: nobody adds, changes or deletes entries by hand.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_entry_object")]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self):
        who = self.actor_name or "system"
        return f"{self.get_action_display()} by {who}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit log entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit log entries are only removed by prune_audit_log once past the retention period.")
