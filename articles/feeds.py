"""RSS and Atom feeds: the latest stories, and the stories of each section, tag, author and series.

Every feed lists ``Story.objects.published()`` only. Addresses are absolute, built from
``Publication.base_url`` like the canonical links of the pages, the links in each story's body included.
Each entry carries the story's whole body (with its parts' marking, ``articles.parts``) and its language.
"""

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles import dependencies
from articles.models import Author, Publication, Section, Series, Story, StoryQuerySet
from articles.models.stories import public_tags
from articles.richtext import absolute_links
from newsroom import cachetags

FEED_LENGTH = 30
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
CONTENT_MODULE = "http://purl.org/rss/1.0/modules/content/"


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with one ``dc:creator`` per author (RSS's own ``author`` wants an e-mail address), the
    story's language as ``dc:language`` and its body as ``content:encoded``."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:content": CONTENT_MODULE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("dc:language", item["language"])
        handler.addQuickElement("content:encoded", item["body"])


class NewsAtomFeed(Atom1Feed):
    """Atom with one ``author`` element per author, each with a link to their page, the story's body as
    ``content`` and its language as the entry's ``xml:lang``."""

    def item_attributes(self, item):
        return {**super().item_attributes(item), "xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", url)
            handler.endElement("author")
        handler.addQuickElement("content", item["body"], {"type": "html"})


@dataclass(frozen=True)
class FeedSubject:
    """What one feed is about: its title, its page on the site and its stories."""

    publication: Publication
    title: str
    description: str
    page_path: str
    feed_path: str
    stories: StoryQuerySet


class FeedItem(NamedTuple):
    story: Story
    publication: Publication


def latest_subject(request: HttpRequest) -> FeedSubject:
    publication = Publication.load()
    description = publication.description or publication.tagline or f"The latest stories from {publication.name}"
    dependencies.shows_list(latest=True)
    return FeedSubject(
        publication, publication.name, description, reverse("articles:home"), request.path, Story.objects.published()
    )


def section_subject(request: HttpRequest, slug: str) -> FeedSubject:
    section = get_object_or_404(Section, slug=slug)
    publication = Publication.load()
    dependencies.shows_list(section)
    return FeedSubject(
        publication,
        f"{publication.name}: {section.name}",
        section.description or f"The latest {section.name} stories from {publication.name}",
        section.get_absolute_url(),
        request.path,
        Story.objects.published().in_section(section),
    )


def tag_subject(request: HttpRequest, slug: str) -> FeedSubject:
    tag = get_object_or_404(public_tags(), slug=slug)
    publication = Publication.load()
    cachetags.depends_on_objects(tag)
    dependencies.shows_list(tag)
    return FeedSubject(
        publication,
        f"{publication.name}: {tag.name}",
        f"Stories about {tag.name} from {publication.name}",
        reverse("articles:tag_detail", kwargs={"slug": tag.slug}),
        request.path,
        Story.objects.published().tagged(tag),
    )


def author_subject(request: HttpRequest, slug: str) -> FeedSubject:
    author = get_object_or_404(Author.objects.with_published_stories(), slug=slug)
    publication = Publication.load()
    cachetags.depends_on_objects(author)
    dependencies.shows_list(author)
    return FeedSubject(
        publication,
        f"{publication.name}: {author.name}",
        f"Stories by {author.name} for {publication.name}",
        author.get_absolute_url(),
        request.path,
        Story.objects.published().by_author(author),
    )


def series_subject(request: HttpRequest, slug: str) -> FeedSubject:
    """A series' stories, newest first as feed readers expect (its page keeps the editor's order)."""
    series = get_object_or_404(Series.objects.with_published_stories(), slug=slug)
    publication = Publication.load()
    cachetags.depends_on_objects(series)
    dependencies.shows_list(series)
    return FeedSubject(
        publication,
        f"{publication.name}: {series.name}",
        series.description or f"The {series.name} series from {publication.name}",
        series.get_absolute_url(),
        request.path,
        Story.objects.published().filter(series_memberships__series=series),
    )


class StoryFeed(Feed):
    """One feed of published stories, RSS or Atom, about the subject its loader returns."""

    item_guid_is_permalink = False

    def __init__(self, subject: Callable[..., FeedSubject], *, atom: bool = False):
        super().__init__()
        self.subject = subject
        self.feed_type = NewsAtomFeed if atom else NewsRssFeed

    def get_object(self, request, **kwargs):
        return self.subject(request, **kwargs)

    def title(self, obj):
        return obj.title

    def description(self, obj):
        return obj.description

    def subtitle(self, obj):
        return obj.description

    def link(self, obj):
        return obj.publication.absolute_url(obj.page_path)

    def feed_url(self, obj):
        return obj.publication.absolute_url(obj.feed_path)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.publication.language  # the publication's, not the interface's
        return feed

    def items(self, obj):
        stories = list(obj.stories.for_feed()[:FEED_LENGTH])
        dependencies.shows_teasers(stories)
        return [FeedItem(story, obj.publication) for story in stories]

    def item_title(self, item):
        return item.story.headline

    def item_description(self, item):
        # Readers treat descriptions as HTML: escape the plain-text standfirst so it stays text.
        return escape(item.story.standfirst)

    def item_link(self, item):
        return item.publication.absolute_url(item.story.get_absolute_url())

    def item_guid(self, item):
        """A tag URI that survives a change of slug."""
        host = urlsplit(item.publication.base_url).hostname or "localhost"
        return f"tag:{host},{item.story.created_at:%Y-%m-%d}:story:{item.story.pk}"

    def item_pubdate(self, item):
        return item.story.published_at

    def item_updateddate(self, item):
        return item.story.last_public_change

    def item_categories(self, item):
        section = [item.story.section.name] if item.story.section else []
        return section + [tag.name for tag in item.story.feed_tags]

    def item_enclosures(self, item):
        image = item.story.hero_image
        if not image:
            return []
        mime_type = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
        # The size recorded with the picture (asking the storage is a request per item on S3); 0 means unknown.
        return [Enclosure(item.publication.absolute_url(image.file.url), str(image.file_size), mime_type)]

    def item_extra_kwargs(self, item):
        authors = [(a.name, item.publication.absolute_url(a.get_absolute_url())) for a in item.story.byline_authors]
        body = absolute_links(item.story.body, self.item_link(item))
        return {"authors": authors, "language": item.story.language, "body": body}
