"""How often stories are read: counts per story per period, written in batches by ``articles.readership``."""

from datetime import UTC, datetime, timedelta

from django.db import models

PERIOD = timedelta(minutes=15)  # reads are counted per story per period
WINDOW = timedelta(hours=24)  # "most read" means most read in this long
MOST_READ_LIMIT = 5  # stories in the most-read list


def period_start(moment: datetime) -> datetime:
    """The start of the counting period ``moment`` falls in."""
    seconds = int(PERIOD.total_seconds())
    return datetime.fromtimestamp(int(moment.timestamp()) // seconds * seconds, tz=UTC)


def most_read_since(now: datetime) -> datetime:
    """Where the reads the most-read list counts at ``now`` begin: the closed and current periods of ``WINDOW``."""
    return period_start(now) - WINDOW


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
