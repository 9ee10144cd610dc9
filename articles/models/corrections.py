"""Corrections and clarifications appended to published stories."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from newsroom.constraints import NotEmpty


class CorrectionQuerySet(models.QuerySet):
    def public(self, now: datetime | None = None) -> "CorrectionQuerySet":
        """Corrections readers can see: those on published stories."""
        from articles.models.stories import Story

        return self.filter(story__in=Story.objects.published(now))


class Correction(models.Model):
    """A correction or clarification appended to a published story; never edited away."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [NotEmpty(field="text", name="correction_text_not_empty")]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.story}"
