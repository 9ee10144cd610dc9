"""Which stories a page reads and how: the story QuerySet, search, and what lists leave unread."""

import functools
import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
)
from django.db import connections, models
from django.db.models import (
    Case,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.query import ModelIterable
from django.utils import timezone
from taggit.models import TaggedItem

from articles import roles
from articles.models.bylines import Byline
from articles.models.corrections import Correction
from articles.models.quotes import Quote
from newsroom.jsonrows import json_rows

if TYPE_CHECKING:
    from articles.models.stories import Story

# Full-text search (PostgreSQL). The GIN index on ``search_document`` is made by a migration.
SEARCH_CONFIG = "english"
SEARCH_MAX_LENGTH = 200  # characters of a reader's query that are used; the rest is dropped
SEARCH_MAX_TERMS = 8  # words the simple (non-PostgreSQL) search looks for
# Columns no teaser shows, left in the database when lists are read: the body alone is most of a row.
TEASER_SKIPS = (
    *("body", "search_document", "review_note", "editor_note"),
    *("rendered_head", "rendered_article", "rendered_result", "rendered_rss", "rendered_atom", "rendered_full"),
)
# Kept by ``articles.rendering`` alone: an ordinary save writes none of them (see ``Story.save``).
RENDERING_FIELDS = (
    "rendered_head",
    "rendered_article",
    "rendered_teaser",
    "rendered_card",
    "rendered_grid",
    "rendered_result",
    "rendered_page_tags",
    "rendered_teaser_tags",
    "rendered_rss",
    "rendered_atom",
    "rendered_feed_tags",
    "rendered_full",
    "rendered_full_tags",
    "rendered_version",
)
# The fields of each quote and correction read with the story (as JSON rows, see ``story_part_rows``).
QUOTE_FIELDS = ("id", "story_id", "text", "kind", "introduction", "context", "position")
CORRECTION_FIELDS = ("id", "story_id", "kind", "text", "created_at")
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"  # marks around matches in ``search_snippet``
_UNWANTED_IN_QUERY = re.compile(r"[\x00-\x1f\x7f\ufffd]+")


def clean_search_text(text: str) -> str:
    """A reader's query made safe to run: control characters and undecodable bytes removed, length capped."""
    text = " ".join(_UNWANTED_IN_QUERY.sub(" ", text or "").split())
    return text[:SEARCH_MAX_LENGTH].strip()


def search_document() -> SearchVector:
    """What search reads: the headline above the standfirst above the body (tags are skipped by the parser)."""
    return (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("standfirst", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )


def last_change_expression() -> Case:
    """The later of a story's publish time and its last public update, as a query expression."""
    return Case(When(modified_at__gt=F("published_at"), then=F("modified_at")), default=F("published_at"))


@functools.cache  # built once: making the subquery costs more than running it
def byline_rows() -> Subquery:
    """A story's bylines with their authors' names and slugs, as JSON rows (read by ``Story.byline_authors``).

    Read with the story itself: what every teaser and story page shows costs no query of its own.
    """
    bylines = Byline.objects.filter(story=OuterRef("pk"))
    author = {"id": "author_id", "name": "author__name", "slug": "author__slug"}
    return json_rows(bylines, at="position", byline="pk", **author)


@functools.cache
def story_part_rows() -> dict[str, Subquery]:
    """A story's tags, quotes (with who said them) and corrections, as JSON rows: what the story page shows."""
    tagged = TaggedItem.objects.filter(
        content_type__app_label="articles", content_type__model="story", object_id=OuterRef("pk")
    )
    quotes = Quote.objects.filter(story=OuterRef("pk"))
    person = {f"person_{name}": f"person__{name}" for name in ("id", "name", "slug", "description", "has_profile")}
    corrections = Correction.objects.filter(story=OuterRef("pk"))
    return {
        "tag_rows": json_rows(tagged, item="pk", id="tag_id", name="tag__name", slug="tag__slug"),
        "quote_rows": json_rows(quotes, **{name: name for name in QUOTE_FIELDS}, **person),
        "correction_rows": json_rows(corrections, **{name: name for name in CORRECTION_FIELDS}),
    }


class StoryWithPartsIterable(ModelIterable):
    """Stories read by ``for_detail``, with the relations their JSON rows hold cached as prefetched."""

    def __iter__(self):
        for story in super().__iter__():
            story._cache_relations_from_rows()
            yield story


class StoryQuerySet(models.QuerySet):
    def published(self, now: datetime | None = None) -> "StoryQuerySet":
        """Stories the public may see: status published and publish time reached.

        This is the only rule for public visibility; ``Story.is_published`` is its row-level
        twin. Embargoes are held by a constraint (a story cannot publish before its embargo).
        """
        return self.filter(status=self.model.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now: datetime | None = None) -> "StoryQuerySet":
        """Stories set to publish at a time still to come (``Story.is_scheduled`` is its row-level twin)."""
        return self.filter(status=self.model.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def for_listing(self) -> "StoryQuerySet":
        """Everything a story teaser shows, bylines included, in one query, newest first."""
        return (
            self.select_related("section", "hero_image")
            .annotate(byline_rows=byline_rows())
            .defer(*TEASER_SKIPS)
            .order_by("-published_at", "-pk")
        )

    def for_detail(self) -> "StoryQuerySet":
        """Everything the story page shows, in one query: the story, its bylines, tags, quotes and corrections.

        They are where prefetching would put them: ``story.tags.all()`` and the like make no query.
        """
        stories = (
            self.for_listing()
            .defer(None)
            .defer("search_document", *RENDERING_FIELDS)
            .select_related("source")
            .annotate(**story_part_rows())
        )
        stories._iterable_class = StoryWithPartsIterable
        return stories

    def teasers_in_order(self, ids: list[int], limit: int | None = None) -> list["Story"]:
        """Teasers of these stories, in the order of ``ids`` (those not among these stories left out)."""
        stories = {story.pk: story for story in self.for_listing().filter(pk__in=ids)} if ids else {}
        return [stories[pk] for pk in ids if pk in stories][:limit]

    def refresh_search_document(self) -> int:
        """Recompute the stored search document of these stories (PostgreSQL only; a no-op elsewhere)."""
        if connections[self.db].vendor != "postgresql":
            return 0
        return self.update(search_document=search_document())

    def for_feed(self) -> "StoryQuerySet":
        """Everything a feed entry shows (teaser data, the body, and tags as ``feed_tags``), in one query."""
        listing = self.for_listing().defer(None).defer(*(name for name in TEASER_SKIPS if name != "body"))
        return listing.annotate(tag_rows=story_part_rows()["tag_rows"])

    def search(self, query: str) -> "StoryQuerySet":
        """Stories matching a reader's query, best match first and newest first among equals.

        On PostgreSQL: ``websearch`` syntax (phrases in quotes, ``-word``), weighted ranking and a
        ``search_snippet`` of the body with matches between ``HIGHLIGHT_START`` and ``HIGHLIGHT_STOP``.
        Elsewhere: every word must appear in the headline, standfirst or body, newest first.
        """
        query = clean_search_text(query)
        if not query:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return self._full_text_search(query)
        return self._simple_search(query)

    def _full_text_search(self, query: str) -> "StoryQuerySet":
        tsquery = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        snippet = SearchHeadline(
            "body",
            tsquery,
            config=SEARCH_CONFIG,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        # Highlighting parses the whole body, so it is done only where the body itself matches (its
        # words carry weight C in the document); a match in the headline or standfirst shows the standfirst.
        body_words = Func(F("search_document"), function="ts_filter", template="%(function)s(%(expressions)s, '{c}')")
        in_body = SearchVectorExact(body_words, tsquery)
        snippet = Case(When(in_body, then=snippet), default=Value(""), output_field=models.TextField())
        return (
            self.filter(search_document=tsquery)
            .annotate(search_rank=SearchRank(F("search_document"), tsquery), search_snippet=snippet)
            .order_by("-search_rank", "-published_at", "-pk")
        )

    def _simple_search(self, query: str) -> "StoryQuerySet":
        words = re.findall(r"\w+", query)[:SEARCH_MAX_TERMS]
        if not words:
            return self.none()
        stories = self
        for word in words:
            stories = stories.filter(
                Q(headline__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
            )
        return stories.order_by("-published_at", "-pk")

    def most_read(self, since: datetime) -> "StoryQuerySet":
        """Stories read since ``since``, most reads first and newest first among equals (as ``reads``)."""
        return (
            self.filter(read_counts__period_start__gte=since)
            .annotate(reads=Sum("read_counts__count"))
            .order_by("-reads", "-published_at", "-pk")
        )

    def breaking(self, now: datetime | None = None) -> "StoryQuerySet":
        """Stories whose breaking-news banner is still up, newest first (combine with ``published()``)."""
        return self.filter(breaking_until__gt=now or timezone.now()).order_by("-published_at", "-pk")

    def published_between(self, start: datetime | None = None, end: datetime | None = None) -> "StoryQuerySet":
        """Stories published at or after ``start`` and before ``end`` (either may be left open)."""
        stories = self
        if start:
            stories = stories.filter(published_at__gte=start)
        if end:
            stories = stories.filter(published_at__lt=end)
        return stories

    def owned_by(self, user) -> "StoryQuerySet":
        """Stories ``user`` started or is bylined on: what a reporter may see in the admin."""
        return self.filter(Q(created_by=user) | Q(pk__in=Byline.objects.filter(author__user=user).values("story")))

    def visible_to(self, user) -> "StoryQuerySet":
        """Stories ``user`` may open in the admin (row twin: ``roles.can_view_story``)."""
        if not user.has_perm(roles.VIEW_STORY):
            return self.none()
        return self if roles.can_edit_any_story(user) else self.owned_by(user)

    def latest_in_each_section(self, section_ids: list[int], count: int) -> "StoryQuerySet":
        """The ``count`` newest of these stories in each section, each read from its section's index."""
        newest = self.order_by("-published_at", "-pk")
        if not section_ids:
            return self.none()
        if connections[self.db].features.supports_slicing_ordering_in_compound:  # PostgreSQL
            per_section = [newest.filter(section_id=pk).values("pk")[:count] for pk in section_ids]
            return newest.filter(pk__in=per_section[0].union(*per_section[1:], all=True))
        ranked = self.filter(section_id__in=section_ids).annotate(
            section_rank=Window(
                RowNumber(), partition_by=F("section_id"), order_by=[F("published_at").desc(), F("pk").desc()]
            )
        )
        return ranked.filter(section_rank__lte=count).order_by("-published_at", "-pk")

    def in_section(self, section) -> "StoryQuerySet":
        """Stories filed in ``section``."""
        return self.filter(section=section)

    def in_series(self, series) -> "StoryQuerySet":
        """Stories of ``series``, in the order its editor set."""
        return self.filter(series_memberships__series=series).order_by(
            "series_memberships__position", "series_memberships__pk"
        )

    def tagged(self, tag) -> "StoryQuerySet":
        """Stories carrying ``tag``."""
        return self.filter(tags=tag)

    def by_author(self, author) -> "StoryQuerySet":
        """Stories with ``author`` in the byline."""
        return self.filter(bylines__author=author)

    def quoting(self, person) -> "StoryQuerySet":
        """Stories in which ``person`` is quoted, each once."""
        return self.filter(pk__in=Quote.objects.filter(person=person).values("story"))
