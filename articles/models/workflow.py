"""What the editorial workflow keeps beside a story: unsaved work and preview links."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class StoryAutosave(models.Model):
    """A writer's unsaved form data for one story (or a story not yet created), kept until they save."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey(
        "articles.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="autosaves"
    )
    data = models.JSONField(default=dict, help_text="Form field name to the list of values posted.")
    base_version = models.PositiveIntegerField(null=True, blank=True, help_text="Story version the form was based on.")
    saved_at = models.DateTimeField(default=timezone.now)

    staff_only = True  # saving one changes nothing readers see (articles.signals)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="autosave_once_per_user_and_story"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(story__isnull=True), name="autosave_once_per_user_for_new_story"
            ),
        ]

    def __str__(self):
        return f"Unsaved changes by {self.user} to {self.story or 'a new story'}"


def new_preview_key() -> str:
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self, now: datetime | None = None) -> "PreviewLinkQuerySet":
        """Links that still open their story: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class PreviewLink(models.Model):
    """A share link that shows one unpublished story to someone without a login, until it expires or is revoked."""

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="preview_links")
    key = models.CharField(max_length=64, unique=True, default=new_preview_key, editable=False)
    note = models.CharField(max_length=200, blank=True, help_text='Who it is for, e.g. "legal check".')
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    staff_only = True  # saving one changes nothing readers see (articles.signals)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Preview of {self.story} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active(self, now: datetime | None = None) -> bool:
        """Row-level twin of ``PreviewLinkQuerySet.active``."""
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
