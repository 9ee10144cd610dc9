"""The publication itself and its social accounts."""

import functools
from datetime import datetime
from urllib.parse import urlsplit

from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum

from articles.fields import WebAddressField
from articles.validators import https_url
from newsroom.jsonrows import json_datetime, json_instance, json_rows


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", "WhatsApp"
    LINKEDIN = "linkedin", "LinkedIn"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    TELEGRAM = "telegram", "Telegram"
    WEBSITE = "website", "Website"


# How each platform is named in running text ("Follow us on Facebook, Twitter and TikTok").
PLATFORM_SHORT_NAMES = {Platform.X: "X"}


def https_only(field_name: str = "url") -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field_name}__startswith": "https://"}), name="%(class)s_url_https")


class Publication(models.Model):
    """The one publication this installation runs (row id 1)."""

    name = models.CharField(max_length=100, default="Newsroom")
    tagline = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True, help_text="Used for the home page description and feeds.")
    base_url = WebAddressField(
        default="http://127.0.0.1:8000",
        help_text="The public address of the site, used in feeds, sitemaps and share links.",
    )
    language = models.CharField(max_length=10, default="en")
    logo = models.ForeignKey("media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    postal_address = models.TextField(
        blank=True, help_text="The publisher's postal address, printed at the foot of every newsletter."
    )
    list_full_text_feeds = models.BooleanField(
        "list the full-text feeds",
        default=True,
        help_text="Untick to keep the sections' full-text feeds for aggregators off the public pages: no link "
        "to them in the pages' heads, and search engines are asked not to index them. Their addresses still "
        "work for the aggregators they are given to.",
    )
    # What every public page shows around its content, as ``articles.chrome`` worked it out after the
    # last change; null once a change empties it. Written by ``articles.chrome`` only, never by ``save()``.
    kept_chrome = models.JSONField(null=True, blank=True, editable=False)
    kept_chrome_version = models.PositiveBigIntegerField(default=0, editable=False)
    # The templates the kept markup (the chrome's and the stories') was rendered from (``articles.releases``).
    kept_templates = models.CharField(max_length=64, blank=True, editable=False)

    KEPT_FIELDS = ("kept_chrome", "kept_chrome_version", "kept_templates")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="publication_single_row")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        if not self._state.adding and kwargs.get("update_fields") is None:
            # An editor's save leaves the kept chrome alone: the change empties it (``articles.chrome.forget``).
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.KEPT_FIELDS
            ]
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "Publication":
        """The publication row, created with defaults the first time it is asked for."""
        publication, _ = cls.objects.get_or_create(pk=1)
        return publication

    @classmethod
    def site_rows(cls, now: datetime, *, breaking_limit: int, most_read_since: datetime) -> dict:
        """What every public page needs besides its content, in one query: the sections (``nav_sections``),
        the active social links (``social_links``), the newest ``breaking_limit`` stories with a
        breaking-news banner up (``breaking_news``), the stories most read since ``most_read_since``
        (as many as a list shows, with their ``reads``, in no order) and the next moment published content
        changes by itself (``next_change``: a scheduled story going up or a banner coming down; None if
        nothing is due). Each moment is found through its own index."""
        from articles.models.readership import MOST_READ_LIMIT, StoryReadCount
        from articles.models.stories import Story

        published = Story.objects.published(now)
        breaking = Story.objects.filter(pk__in=published.breaking(now).values("pk")[:breaking_limit])
        top = published.most_read(most_read_since).values("pk")[:MOST_READ_LIMIT]
        reads = StoryReadCount.objects.filter(story=OuterRef("pk"), period_start__gte=most_read_since)
        reads = reads.values("story").annotate(total=Sum("count")).values("total")
        most_read = Story.objects.filter(pk__in=top).annotate(reads=Subquery(reads))
        going_up = Story.objects.scheduled(now).order_by("published_at").values("published_at")[:1]
        coming_down = published.filter(breaking_until__gt=now).order_by("breaking_until").values("breaking_until")[:1]
        row = (
            _with_sections_and_social_links()
            .annotate(
                breaking_rows=json_rows(
                    breaking, id="id", headline="headline", slug="slug", at="published_at", until="breaking_until"
                ),
                most_read_rows=json_rows(
                    most_read, id="id", headline="headline", slug="slug", at="published_at", reads="reads"
                ),
                going_up=Subquery(going_up),
                coming_down=Subquery(coming_down),
            )
            .values("section_rows", "social_link_rows", "breaking_rows", "most_read_rows", "going_up", "coming_down")
            .get(pk=1)
        )
        moments = [moment for moment in (row["going_up"], row["coming_down"]) if moment is not None]
        return {
            "section_rows": row["section_rows"] or [],
            "social_link_rows": row["social_link_rows"] or [],
            "breaking_rows": row["breaking_rows"] or [],
            "most_read_rows": row["most_read_rows"] or [],
            "next_change": min(moments, default=None),
        }

    @property
    def nav_sections(self) -> list:
        """The sections in their order (position, then name), as ``load_with_site_chrome`` read them."""
        from articles.models.sections import Section

        rows = sorted(self.section_rows or [], key=lambda row: (row["position"], row["name"].casefold(), row["id"]))
        return [json_instance(Section, row, self._state.db) for row in rows]

    @property
    def social_links(self) -> list["SocialLink"]:
        """The active social links in their order, as ``load_with_site_chrome`` read them."""
        rows = sorted(self.social_link_rows or [], key=lambda row: (row["position"], row["id"]))
        return [json_instance(SocialLink, row, self._state.db) for row in rows]

    @property
    def breaking_news(self) -> list:
        """Stories with a breaking-news banner up, newest first, headline and slug only (``load_with_site_chrome``)."""
        from articles.models.stories import Story

        rows = sorted(self.breaking_rows or [], key=lambda row: (json_datetime(row["at"]), row["id"]), reverse=True)
        return [
            json_instance(Story, {key: row[key] for key in ("id", "headline", "slug")}, self._state.db) for row in rows
        ]

    def absolute_url(self, path: str) -> str:
        """``path`` on the public site at ``base_url``; an address that is already absolute is kept."""
        if path.startswith("//"):
            return f"{urlsplit(self.base_url).scheme}:{path}"
        if urlsplit(path).scheme:
            return path
        return self.base_url.rstrip("/") + path


class SocialLinkBase(models.Model):
    platform = models.CharField(max_length=20, choices=Platform.choices)
    url = WebAddressField("link", validators=[https_url])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.url}"

    @property
    def platform_name(self) -> str:
        return PLATFORM_SHORT_NAMES.get(self.platform, self.get_platform_display())


class SocialLinkQuerySet(models.QuerySet):
    def active(self) -> "SocialLinkQuerySet":
        """Links shown to readers: the active ones, in the admin's order."""
        return self.filter(is_active=True).order_by("position", "pk")


class SocialLink(SocialLinkBase):
    """One of the publication's social accounts, shown in "Follow us" lines."""

    is_active = models.BooleanField("active", default=True)

    objects = SocialLinkQuerySet.as_manager()

    class Meta(SocialLinkBase.Meta):
        constraints = [https_only()]


@functools.cache
def _with_sections_and_social_links() -> models.QuerySet:
    """The publication row with its sections and social links as JSON rows.

    Built once per process and only ever copied (a new filter or annotation copies it): making its
    subqueries costs more than running them, and nothing in them depends on the time of the request.
    """
    from articles.models.sections import Section

    return Publication.objects.annotate(
        section_rows=json_rows(Section.objects.all(), **_all_fields(Section)),
        social_link_rows=json_rows(SocialLink.objects.active(), **_all_fields(SocialLink)),
    )


def _all_fields(model) -> dict[str, str]:
    """Every column of ``model``, named by attribute, for ``json_rows``."""
    return {field.attname: field.attname for field in model._meta.concrete_fields}
