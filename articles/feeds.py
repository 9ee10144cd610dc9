"""RSS and Atom feeds: the latest stories, and the stories of each section, tag, author and series.

Every feed lists ``Story.objects.published()`` only. Addresses are absolute, built from
``Publication.base_url`` like the canonical links of the pages, the links in each story's body included.
Each entry carries the story's whole body (with its parts' marking, ``articles.parts``) and its language;
a live blog's entry carries its live entries after the body.
"""

import io
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from articles import dependencies, rendering
from articles.models import Author, LiveEntry, Publication, Section, Series, Story, StoryQuerySet
from articles.models.stories import public_tags
from articles.rendering import Markup
from articles.richtext import absolute_links
from embeds.rendering import embeds_as_links, embeds_of
from media.figures import figure_ids, picture_html, plain_figures
from media.models import Image
from newsroom import cachetags

FEED_LENGTH = 30
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
CONTENT_MODULE = "http://purl.org/rss/1.0/modules/content/"


class KeptEntries:
    """A feed generator whose entries are written as the XML kept on their stories (``entry_xml``)."""

    entry_element: str

    def entry_xml(self, item: dict) -> str:
        """One entry of this feed as XML, to be kept on its story."""
        output = io.StringIO()
        handler = SimplerXMLGenerator(output, "utf-8")
        handler.startElement(self.entry_element, self.item_attributes(item))
        self.add_item_elements(handler, item)
        handler.endElement(self.entry_element)
        return output.getvalue()

    def write_items(self, handler):
        for item in self.items:
            # Written as it is: the kept XML was made by ``entry_xml``, which escaped everything in it.
            handler.ignorableWhitespace(item["kept_xml"])


class NewsRssFeed(KeptEntries, Rss201rev2Feed):
    """RSS 2.0 with one ``dc:creator`` per author (RSS's own ``author`` wants an e-mail address), the
    story's language as ``dc:language`` and its body as ``content:encoded``."""

    entry_element, kept_as = "item", "rss"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:content": CONTENT_MODULE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("dc:language", item["language"])
        handler.addQuickElement("content:encoded", item["body"])


class NewsAtomFeed(KeptEntries, Atom1Feed):
    """Atom with one ``author`` element per author, each with a link to their page, the story's body as
    ``content`` and its language as the entry's ``xml:lang``."""

    entry_element, kept_as = "entry", "atom"

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


def latest_subject(request: HttpRequest) -> FeedSubject:
    publication = Publication.load()
    description = publication.description or publication.tagline or f"The latest stories from {publication.name}"
    dependencies.shows_list(latest=True)
    return FeedSubject(
        publication, publication.name, description, reverse("articles:home"), request.path, Story.objects.published()
    )


def section_subject(request: HttpRequest, slug: str, *, full_text: bool = False) -> FeedSubject:
    """A section's stories; ``full_text``: only for a section whose editor switched its full-text feed on."""
    section = get_object_or_404(Section.objects.filter(full_text_feed=True) if full_text else Section, slug=slug)
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

    def items(self, obj):
        return []  # the entries are added by ``get_feed``, from the XML kept on each story

    def entries(self, obj) -> list[tuple[Story, Markup]]:
        return kept_entries(obj.stories, obj.publication)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.publication.language  # the publication's, not the interface's
        for story, xml in self.entries(obj):
            # The dates make the feed's own "last updated"; the entry itself is the kept XML.
            feed.add_item(
                title=story.headline,
                link="",
                description="",
                pubdate=story.published_at,
                updateddate=story.last_public_change,
                kept_xml=xml[feed.kept_as],
            )
        return feed


ENTRY_FIELDS = ("headline", "published_at", "modified_at", "rendered_version", "live")


def kept_entries(stories: StoryQuerySet, publication: Publication) -> list[tuple[Story, Markup]]:
    """The newest ``FEED_LENGTH`` of ``stories`` with their RSS and Atom entries: kept, or made and kept now."""
    rows = list(stories.order_by("-published_at", "-pk").only(*ENTRY_FIELDS, *FEED_FIELDS)[:FEED_LENGTH])
    found = {row.pk: rendering.kept(row, rendering.FEED, "feed") for row in rows}
    missing = {row.pk: row.rendered_version for row in rows if found[row.pk] is None}
    if missing:
        stories = list(Story.objects.for_feed().filter(pk__in=missing))
        live_entries = LiveEntry.objects.by_story(stories)  # a query only if one of them is a live blog
        made = {story.pk: entry_markup(story, publication, live_entries.get(story.pk, ())) for story in stories}
        rendering.keep("feed", rendering.FEED, {pk: (missing[pk], markup) for pk, markup in made.items()})
        found |= made
    for markup in found.values():
        cachetags.depends_on(*markup.tags)
    return [(row, found[row.pk]) for row in rows]


FEED_FIELDS = ("rendered_rss", "rendered_atom", "rendered_feed_tags")


def entry_markup(story: Story, publication: Publication, live_entries=()) -> Markup:
    """The story's RSS and Atom entries (``story`` read with ``Story.objects.for_feed()``); a live blog's
    body is followed by its ``live_entries``, pinned first then newest first, and its summary once ended."""
    item = _item(story, publication, live_entries)
    entries = {}
    for generator in (NewsRssFeed, NewsAtomFeed):
        feed = generator(title="", link="", description="")
        feed.add_item(**item)
        entries[generator.kept_as] = feed.entry_xml(feed.items[0])
    tags = dependencies.teaser_tags([story]) | {cachetags.tag_for(tag) for tag in story.feed_tags}
    if story.live:
        tags |= {dependencies.live_tag(story.pk), *dependencies.live_entry_tags(live_entries)}
    return Markup(entries, tags | ({f"section-{story.section_id}"} if story.section_id else set()))


def _item(story: Story, publication: Publication, live_entries=()) -> dict:
    """What a feed entry of ``story`` says, its body as it is kept (links made absolute)."""
    link = publication.absolute_url(story.get_absolute_url())
    body = story.body
    if story.live:
        body += render_to_string("articles/includes/live_feed.html", {"story": story, "entries": live_entries})
    host = urlsplit(publication.base_url).hostname or "localhost"
    return {
        "title": story.headline,
        "link": link,
        # Readers treat descriptions as HTML: escape the plain-text standfirst so it stays text.
        "description": escape(story.standfirst),
        "unique_id": f"tag:{host},{story.created_at:%Y-%m-%d}:story:{story.pk}",  # survives a change of slug
        "unique_id_is_permalink": False,
        "pubdate": story.published_at,
        "updateddate": story.last_public_change,
        "categories": ([story.section.name] if story.section else []) + [tag.name for tag in story.feed_tags],
        "enclosures": _enclosures(story, publication),
        "authors": [(a.name, publication.absolute_url(a.get_absolute_url())) for a in story.byline_authors],
        "language": story.language,
        "body": absolute_links(body, link),
    }


def _enclosures(story: Story, publication: Publication) -> list[Enclosure]:
    image = story.hero_image
    if not image:
        return []
    mime_type = mimetypes.guess_type(image.file.name)[0] or "image/jpeg"
    # The size recorded with the picture (asking the storage is a request per item on S3); 0 means unknown.
    return [Enclosure(publication.absolute_url(image.file.url), str(image.file_size), mime_type)]


# --- full-text feeds for aggregators -------------------------------------------------------------


class FullTextRssFeed(NewsRssFeed):
    """RSS for aggregators (Google News, Apple News): each entry's ``content:encoded`` is the whole story as
    readers see it, the main picture first, every picture a plain ``img`` at an absolute address with its
    caption and credit, and embeds as links to their originals."""

    kept_as = "full"


def full_text_subject(request: HttpRequest, slug: str) -> FeedSubject:
    """A section's stories in full, when an editor has switched its full-text feed on (else 404)."""
    subject = section_subject(request, slug, full_text=True)
    request.full_text_unlisted = not subject.publication.list_full_text_feeds
    return subject


class FullTextFeed(StoryFeed):
    """A section's full-text feed. A publication that keeps these feeds off its pages asks search engines
    not to index them either (``Publication.list_full_text_feeds``)."""

    def __init__(self):
        super().__init__(full_text_subject)
        self.feed_type = FullTextRssFeed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if getattr(request, "full_text_unlisted", False):
            response["X-Robots-Tag"] = "noindex"
        return response

    def entries(self, obj):
        return full_entries(obj.stories, obj.publication)


FULL_FIELDS = ("rendered_full", "rendered_full_tags")


def full_entries(stories: StoryQuerySet, publication: Publication) -> list[tuple[Story, Markup]]:
    """The newest ``FEED_LENGTH`` of ``stories`` with their full-text entries: kept, or made and kept now."""
    rows = list(stories.order_by("-published_at", "-pk").only(*ENTRY_FIELDS, *FULL_FIELDS)[:FEED_LENGTH])
    found = {row.pk: rendering.kept(row, rendering.FULL, "full") for row in rows}
    missing = {row.pk: row.rendered_version for row in rows if found[row.pk] is None}
    if missing:
        made = full_entry_markup(list(Story.objects.for_feed().filter(pk__in=missing)), publication)
        rendering.keep("full", rendering.FULL, {pk: (missing[pk], markup) for pk, markup in made.items()})
        found |= made
    for markup in found.values():
        cachetags.depends_on(*markup.tags)
    return [(row, found[row.pk]) for row in rows]


def full_entry_markup(stories: list[Story], publication: Publication) -> dict[int, Markup]:
    """The full-text entries of ``stories`` (read with ``for_feed()``): one query for all their pictures,
    one for all their embeds."""
    images = Image.objects.in_bulk({pk for story in stories for pk in figure_ids(story.body)})
    embeds = embeds_of(story.body for story in stories)
    made = {}
    for story in stories:
        item = _item(story, publication)
        item["body"] = full_text(story, item["link"], images, embeds, publication)
        feed = FullTextRssFeed(title="", link="", description="")
        feed.add_item(**item)
        shown = {f"image-{pk}" for pk in figure_ids(story.body) if pk in images}
        tags = dependencies.teaser_tags([story]) | {cachetags.tag_for(tag) for tag in story.feed_tags} | shown
        made[story.pk] = Markup({"full": feed.entry_xml(feed.items[0])}, tags | {f"section-{story.section_id}"})
    return made


def full_text(story: Story, page_url: str, images: dict, embeds: dict, publication: Publication) -> str:
    """The whole story for an aggregator: its main picture, then its body with plain pictures and embeds as links."""
    hero = ""
    if story.hero_image:
        hero = picture_html(story.hero_image, publication.absolute_url, caption=escape(story.caption))
    body = embeds_as_links(plain_figures(story.body, images, publication.absolute_url), embeds)
    return hero + absolute_links(body, page_url)
