"""Series: stories an editor groups under one running subject (load shedding, an election), in the editor's order."""

from django.db import models
from django.urls import reverse

from articles.slugs import unique_slug
from newsroom.constraints import NotEmpty


class SeriesQuerySet(models.QuerySet):
    def with_published_stories(self) -> "SeriesQuerySet":
        """Series holding at least one story the public can read; the others have no public page."""
        from articles.models.stories import Story

        published = Story.objects.published().values("pk")
        return self.filter(pk__in=SeriesStory.objects.filter(story__in=published).values("series"))


class Series(models.Model):
    """A running story told in several stories, with a page and a feed of its own."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True, blank=True)
    description = models.TextField(blank=True, help_text="One or two sentences shown at the top of the series page.")
    picture = models.ForeignKey("media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    stories = models.ManyToManyField("articles.Story", through="articles.SeriesStory", related_name="series")

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "series"
        ordering = ["name"]
        constraints = [NotEmpty(field="slug", name="series_slug_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="series")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:series_detail", kwargs={"slug": self.slug})

    def clean(self):
        # Derive the slug before validation, so its constraints check what save() will store.
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="series")


class SeriesStory(models.Model):
    """A story's place in its series. A story belongs to one series at most."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="memberships")
    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="series_memberships")
    position = models.PositiveSmallIntegerField(default=0, help_text="Stories are shown in this order.")

    class Meta:
        verbose_name = "story in a series"
        verbose_name_plural = "stories in the series"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story"],
                name="seriesstory_one_series_per_story",
                violation_error_message="This story is already in a series; take it out of that one first.",
            )
        ]

    def __str__(self):
        return f"{self.series_id}: {self.story_id} at {self.position}"
