"""What reader pages show and what each change retires: this app's declarations to ``newsroom.cachetags``.

Tags name what a page shows:

- ``story-<id>``, ``author-<id>``, ``person-<id>``, ``tag-<id>``, ``source-<id>``: one object, on
  every page that shows it (its own page, and teasers, bylines, quotes elsewhere);
- ``live-<id>``: the entries of story ``<id>``'s live blog, on its page, its live updates (JSON) and its
  entry in feeds, and nowhere else (teasers and lists do not show them);
- ``series-<id>``: a series' name, description and picture, on its page and feeds and in the "More in
  this series" block of its stories' pages;
- ``section-<id>-stories``, ``tag-<id>-stories``, ``author-<id>-stories``, ``person-<id>-stories``,
  ``series-<id>-stories``: which stories a list holds and in which order, on that list's pages and feeds;
- ``stories-new``: a story joined the public site or moved up in it, on pages of the latest stories
  (home, the main feeds), which show the stories they hold by their own tags;
- ``stories``: any public change to any story, on pages that may show any of them (search, sitemaps);
- ``home``: the editors' choice for the home page; ``corrections``: the list of corrections;
- ``most-read``: the most-read list (a late piece, see ``newsroom.pagecache.late_piece``);
- ``SITE``: what every page shows (publication, sections, social links, breaking-news banner).

Saving what readers cannot see (a draft, a submitted or scheduled story, an autosave, a preview
link, a revision, a read count) retires nothing.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import (
    Author,
    AuthorLink,
    Byline,
    Correction,
    LiveEntry,
    Person,
    PreviewLink,
    Publication,
    Quote,
    Section,
    Series,
    SeriesStory,
    SocialLink,
    Source,
    Story,
    StoryAutosave,
    StoryReadCount,
)
from newsroom import cachetags
from newsroom.cachetags import SCHEDULE, SITE, depends_on, tag_for

STORIES, STORIES_NEW, HOME, CORRECTIONS, MOST_READ = "stories", "stories-new", "home", "corrections", "most-read"


def list_tag(obj) -> str:
    """The tag of the list of stories filed under ``obj`` (a section, tag, author or person)."""
    return f"{tag_for(obj)}-stories"


# --- what pages show ------------------------------------------------------------------------------


def teaser_tags(stories: Iterable[Story]) -> set[str]:
    """What teasers of these stories show: headline, standfirst, picture and byline."""
    tags = set()
    for story in stories:
        tags.add(f"story-{story.pk}")
        if story.hero_image_id:
            tags.add(f"image-{story.hero_image_id}")
        tags.update(f"author-{byline.author_id}" for byline in getattr(story, "byline_list", ()))
    return tags


def story_tags(story: Story) -> set[str]:
    """What a story's own page shows of it: its text, bylines, picture, tags, quotes and source."""
    tags = teaser_tags([story])
    tags.update(tag_for(tag) for tag in story.tags.all())
    tags.update(f"person-{quote.person_id}" for quote in story.quotes.all())
    if story.source_id:
        tags.add(f"source-{story.source_id}")
    return tags


def shows_teasers(stories: Iterable[Story]) -> None:
    """The page shows these stories as teasers."""
    depends_on(*teaser_tags(stories))


def shows_list(*objects, latest: bool = False) -> None:
    """The page lists the stories filed under ``objects``; ``latest``: or the newest of all stories."""
    depends_on(*(list_tag(obj) for obj in objects), *([STORIES_NEW] if latest else []))


def shows_any_story() -> None:
    """The page may show any published story (search results, sitemaps)."""
    depends_on(STORIES)


# --- what changes retire --------------------------------------------------------------------------


class PublicState(NamedTuple):
    """What decides where a story appears on the public site."""

    status: str
    published_at: datetime | None
    section_id: int | None
    home_position: int | None
    breaking_until: datetime | None

    def is_public(self, now: datetime) -> bool:
        return self.status == Story.Status.PUBLISHED and self.published_at is not None and self.published_at <= now

    def is_scheduled(self, now: datetime) -> bool:
        return self.status == Story.Status.PUBLISHED and self.published_at is not None and self.published_at > now

    def schedule(self, now: datetime) -> tuple:
        """The moments this story changes the site by itself: going up, and its banner coming down."""
        going_up = self.published_at if self.is_scheduled(now) else None
        banner = self.breaking_until if self.status == Story.Status.PUBLISHED else None
        return going_up, banner

    def shows_banner(self, now: datetime) -> bool:
        return self.is_public(now) and self.breaking_until is not None and self.breaking_until > now


def _state(story: Story) -> PublicState:
    return PublicState(*(getattr(story, field) for field in PublicState._fields))


def _stored_state(story: Story) -> PublicState | None:
    if story.pk is None:
        return None
    row = Story.objects.filter(pk=story.pk).values_list(*PublicState._fields).first()
    return None if row is None else PublicState(*row)


def _lists_of(story_id: int, section_id: int | None) -> set[str]:
    """The lists a story is on: its section, tags, authors and the people it quotes."""
    tags = {f"section-{section_id}-stories"} if section_id else set()
    tag_ids = TaggedItem.objects.filter(
        content_type__app_label="articles", content_type__model="story", object_id=story_id
    ).values_list("tag_id", flat=True)
    tags.update(f"tag-{pk}-stories" for pk in tag_ids)
    tags.update(
        f"author-{pk}-stories" for pk in Byline.objects.filter(story_id=story_id).values_list("author_id", flat=True)
    )
    tags.update(
        f"person-{pk}-stories" for pk in Quote.objects.filter(story_id=story_id).values_list("person_id", flat=True)
    )
    tags.update(
        f"series-{pk}-stories"
        for pk in SeriesStory.objects.filter(story_id=story_id).values_list("series_id", flat=True)
    )
    return tags


def story_retires(story: Story, *, before: PublicState | None, deleted: bool, related=None) -> set[str]:
    """A story's save or delete: nothing unless readers could see it before or can now."""
    now = timezone.now()
    after = None if deleted else _state(story)
    tags = set()
    if (before.schedule(now) if before else (None, None)) != (after.schedule(now) if after else (None, None)):
        tags.add(SCHEDULE)
    was, is_ = bool(before and before.is_public(now)), bool(after and after.is_public(now))
    if not (was or is_):
        return tags
    tags |= {tag_for(story), STORIES}
    banner_before = bool(before and before.shows_banner(now))
    banner_after = bool(after and after.shows_banner(now))
    if banner_before != banner_after or (banner_before and before.breaking_until != after.breaking_until):
        tags.add(SITE)
    if was != is_ or (before.section_id, before.published_at, before.home_position) != (
        after.section_id,
        after.published_at,
        after.home_position,
    ):
        tags |= _lists_of(story.pk, after.section_id if after else None)
        if before and before.section_id:
            tags.add(f"section-{before.section_id}-stories")
        if is_:
            tags.add(STORIES_NEW)
        if (before and before.home_position) != (after and after.home_position):
            tags.add(HOME)
    return tags


def _story_is_public(story_id: int) -> bool:
    return Story.objects.published().filter(pk=story_id).exists()


def _part_of_story(list_name: str, other_field: str):
    """A row that belongs to a story (byline, quote, tag) and puts it on a list (author's, person's, tag's)."""

    def retires(row, *, before, deleted, related=None) -> set[str]:
        if not _story_is_public(row.story_id):
            return set()
        return {f"story-{row.story_id}", STORIES, f"{list_name}-{getattr(row, other_field)}-stories"}

    return retires


def tagged_item_retires(row, *, before, deleted, related=None) -> set[str]:
    """A tag put on or taken off an object: only stories' tags, and only on public stories, show.

    Also called for the relation change that taggit announces around the rows: the rows say it all.
    """
    if not isinstance(row, TaggedItem):
        return set()
    if row.content_type.app_label != "articles" or row.content_type.model != "story":
        return set()
    if not _story_is_public(row.object_id):
        return set()
    return {f"story-{row.object_id}", STORIES, f"tag-{row.tag_id}-stories"}


def correction_retires(correction, *, before, deleted, related=None) -> set[str]:
    if not _story_is_public(correction.story_id):
        return set()
    return {f"story-{correction.story_id}", STORIES, CORRECTIONS}


def live_tag(story_id: int) -> str:
    """The tag of a story's live entries."""
    return f"live-{story_id}"


def live_entry_tags(entries: Iterable[LiveEntry]) -> set[str]:
    """What live entries show besides themselves: their authors, quoted people and pictures."""
    tags = set()
    for entry in entries:
        tags.add(live_tag(entry.story_id))
        if entry.author_id:
            tags.add(f"author-{entry.author_id}")
        if entry.person_id:
            tags.add(f"person-{entry.person_id}")
        if entry.picture_id:
            tags.add(f"image-{entry.picture_id}")
    return tags


def live_entry_retires(entry, *, before, deleted, related=None) -> set[str]:
    """An entry posted, pinned, corrected or deleted: that story's page, live updates and feed entry only.
    A story readers cannot see (a draft being prepared as a live blog) retires nothing."""
    return {live_tag(entry.story_id)} if _story_is_public(entry.story_id) else set()


def _published_members(series_ids: Iterable[int]) -> set[int]:
    published = Story.objects.published().values("pk")
    members = SeriesStory.objects.filter(series_id__in=series_ids, story__in=published)
    return set(members.values_list("story_id", flat=True))


def series_retires(series, *, before, deleted, related=None) -> set[str]:
    """A series renamed, described, pictured or deleted: its page and feeds, and the "More in this series"
    block on the pages of its published stories (through their story tags). A series with no published
    story has no page and shows nowhere: nothing. ``before``: its published stories before the change."""
    members = before or set()
    if not members:
        return set()
    return {tag_for(series), f"series-{series.pk}-stories", STORIES, *(f"story-{pk}" for pk in members)}


def _series_before(series) -> set[int]:
    return _published_members([series.pk]) if series.pk else set()


def series_story_retires(row, *, before, deleted, related=None) -> set[str]:
    """A story put in a series, moved in it or taken out: the series' page and feeds, and the block on the
    pages of every published story of the series (a draft in a series shows nowhere and retires nothing).

    Also called for ``series.stories.add()`` and the like, with the series or the story and ``related``.
    """
    if isinstance(row, Series):
        series_ids, story_ids = {row.pk}, set(related or ())
    elif isinstance(row, Story):
        story_ids = {row.pk}
        series_ids = set(related or ()) | set(SeriesStory.objects.filter(story=row).values_list("series_id", flat=True))
    else:
        series_ids = {row.series_id} | ({before[0]} if before else set())
        story_ids = {row.story_id} | ({before[1]} if before else set())
    cleared = related is None and not isinstance(row, SeriesStory)  # which stories left is not known
    if not cleared and not Story.objects.published().filter(pk__in=story_ids).exists():
        return set()
    tags = {STORIES, *(f"story-{pk}" for pk in story_ids | _published_members(series_ids))}
    for pk in series_ids:
        tags |= {f"series-{pk}", f"series-{pk}-stories"}
    return tags


def _series_story_before(row) -> tuple[int, int] | None:
    if row.pk is None:
        return None
    return SeriesStory.objects.filter(pk=row.pk).values_list("series_id", "story_id").first()


def related_retires(story, *, before, deleted, related=None) -> set[str]:
    """Hand-picked related stories changed: the story's page shows them."""
    return {tag_for(story)} if isinstance(story, Story) and story.is_published() else set()


def object_retires(obj, *, before, deleted, related=None) -> set[str]:
    """An object shown by name on pages (author, person, tag, source): the pages showing it, and the sitemaps."""
    return {tag_for(obj), STORIES}


def author_link_retires(link, *, before, deleted, related=None) -> set[str]:
    return {f"author-{link.author_id}"}


def site_retires(obj, *, before, deleted, related=None) -> set[str]:
    """Something every page shows (publication, sections, social links): every page, and the object's own
    tag for the markup kept on stories (``articles.rendering``), unless it is a section just made, which no
    story is in yet."""
    return {SITE} if isinstance(obj, Section) and not before else {SITE, tag_for(obj)}


def _existed(obj) -> bool:
    return not obj._state.adding


# --- scheduled changes (the next moment is kept with the site chrome: ``articles.chrome.next_change``) --


def changed_between(start: datetime, end: datetime) -> set[str]:
    """What went up or came down between two moments: each story that went up, as if just published."""
    tags = set()
    published = Story.objects.published(end)
    for story in published.filter(published_at__gte=start).only("pk", "section_id", "breaking_until"):
        tags |= {tag_for(story), STORIES, STORIES_NEW, *_lists_of(story.pk, story.section_id)}
        if story.breaking_until and story.breaking_until > end:
            tags.add(SITE)
    if published.filter(Q(breaking_until__gte=start) & Q(breaking_until__lte=end)).exists():
        tags.add(SITE)
    return tags


def declare() -> None:
    """Tell ``newsroom.cachetags`` what every model of this app (and the tags it uses) retires."""
    cachetags.on_change(Story, story_retires, before=_stored_state)
    cachetags.on_change(Story.related.through, related_retires)
    cachetags.on_change(Byline, _part_of_story("author", "author_id"))
    cachetags.on_change(Quote, _part_of_story("person", "person_id"))
    cachetags.on_change(Correction, correction_retires)
    cachetags.on_change(LiveEntry, live_entry_retires)
    cachetags.on_change(TaggedItem, tagged_item_retires)
    for model in (Author, Person, Source, Tag):
        cachetags.on_change(model, object_retires)
    cachetags.on_change(AuthorLink, author_link_retires)
    cachetags.on_change(Series, series_retires, before=_series_before)
    cachetags.on_change(SeriesStory, series_story_retires, before=_series_story_before)
    for model in (Publication, Section, SocialLink):
        cachetags.on_change(model, site_retires, before=_existed)
    cachetags.private(StoryAutosave, PreviewLink, StoryReadCount)
    # Derived from the body on save: the body's own change retires what readers see of it.
    cachetags.private(Story.body_pictures.through)
    # Revisions (django-simple-history) of every app's models.
    cachetags.private(*(model for model in apps.get_models() if model.__name__.startswith("Historical")))
