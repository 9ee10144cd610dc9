"""Sitemaps for search engines: stories, sections, tags, authors, series, and a Google News sitemap.

Everything listed comes from ``Story.objects.published()``; sections, tags, authors and series appear
once they have a published story, with the time of that story's last public change.
Addresses are built from ``Publication.base_url``, like the pages' canonical links.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import dependencies
from articles.models import Publication, Story
from articles.models.story_queries import last_change_expression

SITEMAP_PAGE_SIZE = 10_000
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most this many entries per sitemap


class PublicSitemap(Sitemap):
    """A sitemap whose addresses use the publication's public address, not the request's host."""

    limit = SITEMAP_PAGE_SIZE

    def get_urls(self, page=1, site=None, protocol=None):
        dependencies.shows_any_story()
        base = urlsplit(Publication.load().base_url)
        return self._urls(page, base.scheme, base.netloc)

    def stories(self):
        return Story.objects.published()

    def get_latest_lastmod(self):
        return self.stories().aggregate(latest=Max(last_change_expression()))["latest"]


class StorySitemap(PublicSitemap):
    def items(self):
        # Oldest first, so that a new story lands on the last page and earlier pages stay put.
        return self.stories().only("slug", "published_at", "modified_at").order_by("published_at", "pk")

    def lastmod(self, story):
        return story.last_public_change


class GroupedSitemap(PublicSitemap):
    """Pages that list stories (a section, a tag, an author), dated by their latest story."""

    slug_field = ""
    route = ""

    def stories(self):
        return Story.objects.published().filter(**{f"{self.slug_field}__isnull": False})

    def items(self):
        return (
            self.stories()
            .values(self.slug_field)
            .annotate(lastmod=Max(last_change_expression()))
            .order_by(self.slug_field)
        )

    def location(self, item):
        return reverse(self.route, kwargs={"slug": item[self.slug_field]})

    def lastmod(self, item):
        return item["lastmod"]


class SectionSitemap(GroupedSitemap):
    slug_field = "section__slug"
    route = "articles:section_detail"


class TagSitemap(GroupedSitemap):
    slug_field = "tags__slug"
    route = "articles:tag_detail"


class AuthorSitemap(GroupedSitemap):
    slug_field = "bylines__author__slug"
    route = "articles:author_detail"


class SeriesSitemap(GroupedSitemap):
    slug_field = "series_memberships__series__slug"
    route = "articles:series_detail"


class NewsSitemap(PublicSitemap):
    """Stories published in the last 48 hours, for Google News (rendered by ``sitemaps/news.xml``)."""

    limit = NEWS_LIMIT

    def stories(self):
        return Story.objects.published().filter(published_at__gte=timezone.now() - NEWS_WINDOW)

    def items(self):
        shown = self.stories().only("slug", "headline", "published_at", "modified_at", "language")
        return shown.order_by("-published_at", "-pk")[:NEWS_LIMIT]

    def lastmod(self, story):
        return story.last_public_change


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "series": SeriesSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}


@x_robots_tag
def sitemap_index(request):
    """The sitemap index: every page of every sitemap, and the news sitemap."""
    publication = Publication.load()
    dependencies.shows_any_story()
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = publication.absolute_url(reverse("articles:sitemap", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [SitemapIndexItem(f"{location}?p={n}", lastmod) for n in range(2, sitemap.paginator.num_pages + 1)]
    news = NewsSitemap()
    entries.append(
        SitemapIndexItem(publication.absolute_url(reverse("articles:news_sitemap")), news.get_latest_lastmod())
    )
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
