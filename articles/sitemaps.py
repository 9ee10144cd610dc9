"""Sitemaps for search engines: stories, sections, tags, authors, series, and a Google News sitemap.

Everything listed comes from ``Story.objects.published()``; sections, tags, authors and series appear
once they have a published story, with the time of that story's last public change.
Addresses are built from ``Publication.base_url``, like the pages' canonical links.

The story and news sitemaps list thousands of stories and are retired by any public change to any
story, so the next crawler's request renders them again: they are written out from plain rows with
one address prefix, not through Django's sitemap templates and a ``reverse()`` per story, which cost
a second and more for a page of 10,000 stories.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, sitemap, x_robots_tag
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles import dependencies
from articles.languages import primary_subtag
from articles.models import Publication, Story
from articles.models.story_queries import last_change_expression
from articles.pagination import OpenEndedPaginator

# Small enough that a page retired by a story's change is rendered again in a few milliseconds.
SITEMAP_PAGE_SIZE = 2_000
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

    def page_count(self) -> int:
        """How many pages the sitemap has (at least one, as its first page answers even when empty)."""
        return max(1, self.paginator.num_pages)


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

    @property
    def paginator(self):
        # Each group's date is an aggregate over its stories: a page reads its groups without counting them.
        return GroupPaginator(self._items(), self.limit)

    def page_count(self) -> int:
        """One page, unless the table of what is listed holds more rows than a page (then counted)."""
        if self.listed_model().objects.count() <= self.limit:
            return 1
        return super().page_count()

    def listed_model(self):
        field = self.stories().model._meta.get_field(self.slug_field.split("__")[0])
        for part in self.slug_field.split("__")[1:-1]:
            field = field.related_model._meta.get_field(part)
        return field.related_model

    def lastmod(self, item):
        return item["lastmod"]


class GroupPaginator(OpenEndedPaginator):
    """Pages of groups, read without counting; counted, when asked, as groups rather than their stories."""

    @cached_property
    def count(self) -> int:
        return self.object_list.count()


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
    """Stories published in the last 48 hours, for Google News (written out by ``news_sitemap``)."""

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


@x_robots_tag
def sitemap_index(request):
    """The sitemap index: every page of every sitemap, and the news sitemap.

    Each sitemap is dated by the last public change to any story (one aggregate; a page of it may have
    changed later than its own stories did: a story left it). A list of sections, topics, authors or
    series fits on one page unless its table holds more rows than a page does; only then is it counted.
    """
    publication = Publication.load()
    dependencies.shows_any_story()
    published = Story.objects.published()
    latest = published.aggregate(latest=Max(last_change_expression()))["latest"]
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = publication.absolute_url(reverse("articles:sitemap", kwargs={"section": name}))
        pages = sitemap.page_count()
        entries += [SitemapIndexItem(location + (f"?p={n}" if n > 1 else ""), latest) for n in range(1, pages + 1)]
    news = NewsSitemap()
    entries.append(
        SitemapIndexItem(publication.absolute_url(reverse("articles:news_sitemap")), news.get_latest_lastmod())
    )
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")


# --- the story and news sitemaps, written out from rows -----------------------------------------------

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _story_address(publication: Publication):
    """``address(slug)``: a story's public address, from one ``reverse()`` (as ``Story.get_absolute_url``)."""
    prefix, suffix = reverse("articles:story_detail", kwargs={"slug": "SLUG"}).split("SLUG")
    base, suffix = escape(publication.absolute_url(prefix)), escape(suffix)
    # A slug is letters, digits, hyphens and underscores: only letters beyond ASCII need encoding.
    return lambda slug: f"{base}{slug if slug.isascii() else quote(slug)}{suffix}"


def _moment(value: datetime) -> str:
    """A time as sitemaps give it: ISO 8601 (W3C Datetime), as the database gives it (UTC)."""
    return value.isoformat()


def _urlset(entries: Iterable[str], *, news: bool = False) -> HttpResponse:
    namespaces = f' xmlns="{SITEMAP_NS}"' + (f' xmlns:news="{NEWS_NS}"' if news else "")
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset{namespaces}>\n{"".join(entries)}</urlset>\n'
    return HttpResponse(body, content_type="application/xml")


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("p", 1))
    except ValueError:
        raise Http404("No such page of this sitemap.") from None
    if number < 1:
        raise Http404("No such page of this sitemap.")
    return number


@x_robots_tag
def sitemap_section(request, section: str):
    """One page of one sitemap (``?p=`` past the first): the stories' written out here, the others by Django."""
    if section != "stories":
        return sitemap(request, sitemaps=SITEMAPS, section=section, template_name="sitemaps/sitemap.xml")
    dependencies.shows_any_story()
    number = _page_number(request)
    size = StorySitemap.limit
    start = (number - 1) * size
    stories = StorySitemap().items().annotate(lastmod=last_change_expression()).values_list("slug", "lastmod")
    rows = list(stories[start : start + size])
    if not rows and number > 1:
        raise Http404("No such page of this sitemap.")
    address = _story_address(Publication.load())
    return _urlset(
        f"<url><loc>{address(slug)}</loc><lastmod>{_moment(lastmod)}</lastmod></url>\n" for slug, lastmod in rows
    )


@x_robots_tag
def news_sitemap(request):
    """The Google News sitemap: stories of the last 48 hours with their titles, languages and publish times."""
    dependencies.shows_any_story()
    publication = Publication.load()
    address, name = _story_address(publication), escape(publication.name)
    rows = NewsSitemap().items().values_list("slug", "headline", "published_at", "language")
    entries = (
        (
            f"<url>\n<loc>{address(slug)}</loc>\n<news:news>\n<news:publication><news:name>{name}</news:name>"
            f"<news:language>{escape(primary_subtag(language))}</news:language></news:publication>\n"
            f"<news:publication_date>{_moment(published)}</news:publication_date>\n"
            f"<news:title>{escape(headline)}</news:title>\n</news:news>\n</url>\n"
        )
        for slug, headline, published, language in rows
    )
    return _urlset(entries, news=True)
