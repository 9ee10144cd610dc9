"""How often stories are read: counts per story per period, written in batches by ``articles.readership``."""

from django.db import models


class StoryReadCount(models.Model):
    """Reads of one story in one short period, counted without cookies or third-party analytics."""

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="read_counts")
    period_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "period_start"], name="storyreadcount_once_per_period")]
        indexes = [models.Index(fields=["period_start"], name="storyreadcount_period")]

    def __str__(self):
        return f"{self.story_id} at {self.period_start:%Y-%m-%d %H:%M}: {self.count}"
