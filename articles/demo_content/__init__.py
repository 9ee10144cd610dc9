"""Invented demo content for a fresh installation: a week of news from the Highveld Herald.

The words live in ``stories.py`` and ``cast.py``, the pictures are painted by ``pictures.py``;
``load_demo_content`` puts them in the database.
"""

import re
from datetime import datetime, timedelta
from itertools import count

from django.core.files.base import ContentFile
from django.db import transaction

from articles import live, publishing, readership
from articles.demo_content.cast import AUTHORS, PEOPLE, PUBLICATION, SECTIONS, SOCIAL_LINKS, SOURCES
from articles.demo_content.live_blog import LIVE_ENTRIES, LIVE_STORY
from articles.demo_content.pictures import PICTURES, paint
from articles.demo_content.stories import EMBEDS, SERIES, STORIES
from articles.models import (
    Author,
    AuthorLink,
    Byline,
    Person,
    Publication,
    Quote,
    Section,
    Series,
    SeriesStory,
    SocialLink,
    Source,
    Story,
    StoryReadCount,
)
from embeds.models import Embed
from embeds.providers import player_url, recognise
from media.models import Image

__all__ = ["load_demo_content"]

_LINK = re.compile(r"\{(story|section):([\w-]+)\}")
_DEFAULT_PUBLICATION_NAME = Publication._meta.get_field("name").default


@transaction.atomic
def load_demo_content(*, now: datetime) -> dict[str, int]:
    """Fill a database that has no stories with the demo publication; returns what it created.

    A database with any story is left alone and the result is empty, so running it again is safe.
    Publish times are placed relative to ``now``.
    """
    if Story.objects.exists():
        return {}
    now = now.replace(second=0, microsecond=0)  # publish times to the minute, as editors enter them
    _set_up_publication()
    sections = _sections()
    # News offers its stories in full to aggregators (README, "Full-text feeds for aggregators").
    Section.objects.filter(pk=sections["news"].pk).update(full_text_feed=True)
    cast = {"sources": _sources(), "authors": _authors(), "people": _people(), "images": _images()}
    specs = [*STORIES, LIVE_STORY]
    stories = {spec["key"]: _story(spec, n, now=now, sections=sections, **cast) for n, spec in enumerate(specs)}
    embeds = _embeds(now)  # before the bodies: a link already fetched is not fetched again
    for spec in specs:
        story = stories[spec["key"]]
        story.body = _resolve_links(" ".join(spec["body"].split()), stories=stories, sections=sections)
        story.save(update_fields=["body"])
    publishing.choose_all_related()  # as publishing each story would have
    series = _series(stories, cast["images"])
    entries = _live_blog(stories[LIVE_STORY["key"]], now=now, **cast)
    reads = _read_counts(now)
    published = Story.objects.published(now).count()
    return {
        "sections": len(sections),
        "authors": len(cast["authors"]),
        "people": len(cast["people"]),
        "images": len(cast["images"]),
        "social links": SocialLink.objects.count(),
        "series": len(series),
        "live entries": entries,
        "embeds": len(embeds),
        "read counts": reads,
        "published stories": published,
        "unpublished stories": len(stories) - published,
    }


def _set_up_publication() -> None:
    publication = Publication.load()
    if publication.name == _DEFAULT_PUBLICATION_NAME:  # never overwrite a publication someone has named
        for field, value in PUBLICATION.items():
            setattr(publication, field, value)
        publication.save()
    for position, (platform, url) in enumerate(SOCIAL_LINKS):
        SocialLink.objects.get_or_create(platform=platform, url=url, defaults={"position": position})


def _sections() -> dict[str, Section]:
    return {
        key: Section.objects.get_or_create(
            name=name, defaults={"description": about, "more_label": label, "more_url": url, "position": n}
        )[0]
        for n, (key, (name, about, label, url)) in enumerate(SECTIONS.items())
    }


def _sources() -> dict[str, Source]:
    return {
        key: Source.objects.get_or_create(name=name, defaults={"url": url, "canonical_to_original": canonical})[0]
        for key, (name, url, canonical) in SOURCES.items()
    }


def _authors() -> dict[str, Author]:
    authors = {}
    for key, spec in AUTHORS.items():
        author = Author.objects.create(name=spec["name"], role=spec["role"], bio=spec["bio"])
        for position, (platform, url) in enumerate(spec["links"]):
            AuthorLink.objects.create(author=author, platform=platform, url=url, position=position)
        authors[key] = author
    return authors


def _people() -> dict[str, Person]:
    return {
        key: Person.objects.create(name=name, description=description, has_profile=has_profile)
        for key, (name, description, has_profile) in PEOPLE.items()
    }


def _images() -> dict[str, Image]:
    return {
        picture.key: Image.objects.create(
            file=ContentFile(paint(picture), name=f"{picture.key}.jpg"),
            original_filename=f"{picture.key}.jpg",
            title=picture.title,
            alt_text=picture.alt_text,
            caption=picture.caption,
            credit=picture.credit,
        )
        for picture in PICTURES
    }


def _story(spec: dict, n: int, *, now: datetime, sections, sources, authors, people, images) -> Story:
    """One story with its bylines, quotes and tags; the body is filled in once every story has a URL."""
    status = spec.get("status", Story.Status.PUBLISHED)
    published_at = None
    if status == Story.Status.PUBLISHED:
        published_at = now - timedelta(hours=spec["hours_ago"], minutes=(n * 17) % 60)
    updated_after = spec.get("updated_hours_later")
    story = Story.objects.create(
        headline=spec["headline"],
        standfirst=spec["standfirst"],
        section=sections[spec["section"]],
        kind=spec.get("kind", Story.Kind.NEWS),
        source=sources.get(spec.get("source")),
        original_url=spec.get("original_url", ""),
        hero_image=images.get(spec.get("image")),
        hero_caption=spec.get("caption", ""),
        status=status,
        published_at=published_at,
        modified_at=published_at + timedelta(hours=updated_after) if updated_after else None,
        home_position=spec.get("home_position"),
    )
    for position, key in enumerate(spec["authors"]):
        Byline.objects.create(story=story, author=authors[key], position=position)
    for position, (who, text, introduction, context) in enumerate(spec["quotes"]):
        Quote.objects.create(
            story=story, person=people[who], text=text, introduction=introduction, context=context, position=position
        )
    story.tags.add(*spec["tags"])
    return story


def _embeds(now: datetime) -> list[Embed]:
    """The embeds of the demo stories, as if fetched from their providers: no network needed."""
    pictures = {picture.key: picture for picture in PICTURES}
    made = []
    for spec in EMBEDS:
        embed = Embed(
            url=spec["url"],
            provider=recognise(spec["url"])[0].key,
            title=spec["title"],
            author_name=spec["author_name"],
            player_url=player_url(spec["url"]),
            width=spec["size"][0],
            height=spec["size"][1],
            fetched_at=now,
        )
        if spec["thumbnail"]:
            embed.thumbnail.save(f"{embed.provider}.jpg", ContentFile(paint(pictures[spec["thumbnail"]])), save=False)
        embed.save()
        made.append(embed)
    return made


def _series(stories: dict[str, Story], images: dict[str, Image]) -> list[Series]:
    made = []
    for spec in SERIES:
        series = Series.objects.create(
            name=spec["name"], description=spec["description"], picture=images.get(spec.get("image"))
        )
        for position, key in enumerate(spec["stories"]):
            SeriesStory.objects.create(series=series, story=stories[key], position=position)
        made.append(series)
    return made


def _live_blog(story: Story, *, now: datetime, authors, people, images, **_cast) -> int:
    """The live blog's entries, posted in order, one pinned and one corrected after it was posted."""
    live.start_coverage(story=story, by=None, now=story.published_at)
    for minutes_ago, author, text, extras in LIVE_ENTRIES:
        posted_at = now - timedelta(minutes=minutes_ago)
        who, quote = extras.get("quote", (None, ""))
        entry = live.post_entry(
            story=story,
            by=None,
            body=text,
            author=authors[author],
            picture=images.get(extras.get("picture")),
            quote_text=quote,
            person=people.get(who),
            pinned=extras.get("pinned", False),
            now=posted_at,
        )
        if "correction" in extras:
            corrected, note = extras["correction"]
            live.correct_entry(entry=entry, by=None, body=corrected, note=note, now=posted_at + timedelta(minutes=12))
    return len(LIVE_ENTRIES)


def _read_counts(now: datetime) -> int:
    """Invented read counts for every published story, hour by hour since it went up (at most a week): many
    reads at first, fewer as the story ages, so the admin's analytics have something to show."""
    rows = []
    published = Story.objects.published(now).order_by("published_at", "pk").values_list("pk", "published_at")
    for n, (pk, published_at) in enumerate(published):
        base = 30 + (n * 37) % 90  # some stories are read more than others
        start = readership.period_start(published_at) + readership.PERIOD
        for hour in count():
            period = start + timedelta(hours=hour)
            if period >= readership.period_start(now) or hour >= 24 * 7:
                break
            reads = int(base * 0.93**hour) + (hour * 7 + n) % 5
            if reads:
                rows.append(StoryReadCount(story_id=pk, period_start=period, count=reads))
    StoryReadCount.objects.bulk_create(rows)
    return len(rows)


def _resolve_links(html: str, *, stories: dict[str, Story], sections: dict[str, Section]) -> str:
    """Turn ``{story:key}`` and ``{section:key}`` into the pages' addresses."""
    targets = {"story": stories, "section": sections}
    return _LINK.sub(lambda match: targets[match[1]][match[2]].get_absolute_url(), html)
