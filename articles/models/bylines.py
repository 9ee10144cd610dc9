"""Who wrote a story: its bylines, in order."""

from django.db import models
from simple_history.models import HistoricalRecords


class Byline(models.Model):
    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("articles.Author", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["story", "author"], name="byline_author_once_per_story")]

    def __str__(self):
        return str(self.author)
