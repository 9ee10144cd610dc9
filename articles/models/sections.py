"""Sections of the site and the sources of syndicated copy."""

from django.db import models
from django.urls import reverse

from articles.fields import WebAddressField
from articles.slugs import unique_slug
from newsroom.constraints import NotEmpty


class Section(models.Model):
    """A section front such as News, Business or Sport."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Sections are listed in this order.")
    more_label = models.CharField(
        "more-from line",
        max_length=200,
        blank=True,
        help_text='Shown after each story, for example "For more News in Johannesburg, visit".',
    )
    more_url = WebAddressField("more-from link", blank=True)
    full_text_feed = models.BooleanField(
        "full-text feed for aggregators",
        default=False,
        help_text="Offer an RSS feed of this section's whole stories, pictures included, for Google News, Apple "
        "News and other aggregators, at the section's address followed by feed/full/.",
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [NotEmpty(field="slug", name="section_slug_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="section")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:section_detail", kwargs={"slug": self.slug})

    def clean(self):
        # Derive the slug before validation, so its constraints check what save() will store.
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="section")


class Source(models.Model):
    """Where syndicated copy comes from ("Source: The Citizen").

    A story with no staff byline goes out under its source's name, as the source's ``byline_style`` words it.
    """

    class BylineStyle(models.TextChoices):
        BY = "by", "By The Citizen"
        STAFF_WRITER = "staff_writer", "Staff writer, The Citizen"

    name = models.CharField(max_length=120, unique=True)
    url = WebAddressField(blank=True, help_text="The source's home page.")
    canonical_to_original = models.BooleanField(
        "point search engines at the original",
        default=False,
        help_text="Tick when the licence asks that the canonical URL of copied stories is the original article.",
    )
    byline_style = models.CharField(
        max_length=20,
        choices=BylineStyle,
        default=BylineStyle.BY,
        help_text="How the byline reads on stories from this source that carry no staff byline (shown with "
        "The Citizen as the example name).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def byline_prefix(self) -> str:
        """The words before the source's name in its byline ("By ", "Staff writer, ")."""
        return "Staff writer, " if self.byline_style == self.BylineStyle.STAFF_WRITER else "By "

    @property
    def byline(self) -> str:
        """The byline a story from this source carries when no one on the staff is bylined on it."""
        return self.byline_prefix + self.name
