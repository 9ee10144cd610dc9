"""What the editorial workflow keeps beside a story: unsaved work and preview links."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles import roles


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
        """Links neither revoked nor expired (``PreviewLink.opens_story`` has the rest of the rule)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def live(self, now: datetime | None = None) -> "PreviewLinkQuerySet":
        """Active links of a story not retracted, made by an account still active.

        Whether the maker may still see the story depends on their roles: ``opens_story`` checks it.
        """
        retracted = "retracted"  # Story.Status.RETRACTED; the story model is named by string in this module
        return self.active(now).exclude(story__status=retracted).filter(created_by__is_active=True)


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
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    revoked_reason = models.CharField(max_length=200, blank=True, editable=False)

    objects = PreviewLinkQuerySet.as_manager()

    staff_only = True  # saving one changes nothing readers see (articles.signals)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Preview of {self.story} until {self.expires_at:%Y-%m-%d %H:%M}"

    def is_active(self, now: datetime | None = None) -> bool:
        """Row-level twin of ``PreviewLinkQuerySet.active``."""
        return self.revoked_at is None and self.expires_at > (now or timezone.now())

    def why_closed(self, now: datetime | None = None) -> str:
        """Why the link no longer opens its story, or "" when it does.

        Checked at every use: a link lasts only as long as its reason, so it closes when the story is
        retracted, when its maker is deactivated, deleted or can no longer see the story (lost the role).
        """
        if self.revoked_at is not None:
            return f"Revoked: {self.revoked_reason}" if self.revoked_reason else "Revoked"
        if self.expires_at <= (now or timezone.now()):
            return "Expired"
        if self.story.status == self.story.Status.RETRACTED:
            return "The story was retracted"
        maker = self.created_by
        if maker is None or not maker.is_active:
            return "Its maker's account is closed"
        if not roles.can_view_story(maker, self.story):
            return "Its maker can no longer see the story"
        return ""

    def opens_story(self, now: datetime | None = None) -> bool:
        return not self.why_closed(now)
