"""Build a newsroom's worth of content fast, for the benchmark and for query plans at volume.

    python -m bench.content --stories 20000

Stories, bylines, quotes, tags, corrections and related stories go in with ``bulk_create`` in large
batches (no ``save()``: bodies are written already clean, with their word counts); a dozen real
pictures go through the normal upload path so their renditions exist. The text is generated from a
fixed seed, so two runs build the same site. One story, ``bench-story``, is the page the benchmark
measures: a hero picture, three authors, four quotes, six tags, a correction and hand-picked
related stories, like a well-worked news story.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import timedelta

BENCH_SLUG = "bench-story"
SEARCH_WORD = "drought"  # planted in about 2% of headlines: what the benchmark searches for
SECTIONS = ["News", "Business", "Politics", "Sport", "Opinion", "Lifestyle", "Entertainment", "Technology"]
WORDS = [
    "council",
    "water",
    "budget",
    "minister",
    "residents",
    "police",
    "court",
    "school",
    "hospital",
    "road",
    "taxi",
    "power",
    "station",
    "mayor",
    "province",
    "community",
    "protest",
    "strike",
    "union",
    "wage",
    "price",
    "fuel",
    "rain",
    "storm",
    "flood",
    "harvest",
    "farmer",
    "market",
    "trade",
    "export",
    "mine",
    "rail",
    "port",
    "airport",
    "tourism",
    "festival",
    "music",
    "film",
    "team",
    "coach",
    "match",
    "league",
    "final",
    "goal",
    "season",
    "player",
    "election",
    "vote",
    "party",
    "parliament",
    "debate",
    "report",
    "audit",
    "contract",
    "tender",
    "service",
    "clinic",
    "nurse",
    "doctor",
    "teacher",
    "learner",
    "exam",
    "result",
    "township",
    "city",
    "village",
    "river",
    "dam",
    "bridge",
    "housing",
    "land",
    "rent",
    "loan",
    "bank",
    "rate",
    "inflation",
    "growth",
    "jobs",
    "youth",
    "women",
    "children",
    "elders",
    "church",
    "family",
    "neighbour",
    "street",
    "corner",
    "shop",
    "vendor",
    "morning",
    "evening",
    "week",
    "month",
    "year",
    "today",
    "yesterday",
    "officials",
    "spokesperson",
    "statement",
    "plan",
    "project",
    "delay",
    "cost",
    "million",
    "billion",
    "rand",
    "percent",
    "increase",
    "decrease",
    "record",
    "new",
    "old",
    "local",
    "national",
    "regional",
    "said",
    "told",
    "confirmed",
    "announced",
    "warned",
    "promised",
    "denied",
    "explained",
    "added",
    "noted",
    "expects",
    "hopes",
    "plans",
    "wants",
]
PEOPLE = [
    "Thandi",
    "Sipho",
    "Lindiwe",
    "Pieter",
    "Anele",
    "Johan",
    "Naledi",
    "Themba",
    "Karabo",
    "Ayanda",
    "Zanele",
    "Ruan",
    "Nomsa",
    "Bongani",
]
SURNAMES = [
    "Mokoena",
    "Nkosi",
    "Dube",
    "van",
    "der",
    "Merwe",
    "Khumalo",
    "Botha",
    "Ndlovu",
    "Naidoo",
    "Pillay",
    "Mahlangu",
    "Smith",
    "Mthembu",
]


def sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


class Writer:
    """Sentences drawn from a large fixed pool: varied enough for search, quick enough for 100,000 stories."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.sentences = [sentence(rng) for _ in range(20000)]
        self.headings = [sentence(rng, 3, 6).rstrip(".") for _ in range(2000)]

    def paragraph(self) -> str:
        return " ".join(self.rng.choices(self.sentences, k=self.rng.randint(2, 4)))

    def body_html(self) -> tuple[str, int]:
        """A story body of about 600 words in the HTML the editor produces, and its word count."""
        blocks = []
        for index in range(self.rng.randint(9, 13)):
            if index in (4, 9):
                blocks.append(("h2", self.rng.choice(self.headings)))
            blocks.append(("p", self.paragraph()))
        body = "".join(f"<{tag}>{text}</{tag}>" for tag, text in blocks)
        return body, sum(len(text.split()) for _, text in blocks)


def picture(rng: random.Random) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (1280, 720), tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(canvas)
    for _ in range(12):
        x, y = rng.randrange(1280), rng.randrange(720)
        box = (x, y, x + rng.randrange(40, 300), y + rng.randrange(40, 300))
        draw.ellipse(box, fill=tuple(rng.choices(range(256), k=3)))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _chrome_and_pictures(rng: random.Random) -> tuple[list, list]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Publication, Section, SocialLink
    from media.models import Image

    publication = Publication.load()
    publication.name, publication.tagline = "The Benchmark Bulletin", "News from everywhere, fast"
    publication.save()
    for position, platform in enumerate(["facebook", "x", "tiktok", "instagram"]):
        SocialLink.objects.create(platform=platform, url=f"https://{platform}.example.org/bulletin", position=position)
    sections = [Section.objects.create(name=name, position=n) for n, name in enumerate(SECTIONS)]
    images = [
        Image.objects.create(
            file=SimpleUploadedFile(f"photo{n}.jpg", picture(rng), content_type="image/jpeg"),
            alt_text=f"A scene from the story, picture {n}",
            credit="Bulletin staff",
            caption=sentence(rng, 6, 10),
        )
        for n in range(12)
    ]
    return sections, images


def _story(n: int, writer: Writer, sections: list, images: list, now):
    from django.utils.text import slugify

    from articles.models import Story

    body, words = writer.body_html()
    headline = sentence(writer.rng, 6, 10).rstrip(".")
    if n % 50 == 7:
        headline = f"{headline} as {SEARCH_WORD} bites"
    published = now - timedelta(minutes=30 + n * 3 + writer.rng.randrange(3))  # newest first, ~3 minutes apart
    status = Story.Status.DRAFT if n % 100 == 99 else Story.Status.PUBLISHED
    return Story(
        headline=headline if n else "Council unveils a plan to keep the taps running all summer",
        slug=BENCH_SLUG if n == 0 else f"{slugify(headline)[:180]}-{n}",
        standfirst=writer.paragraph(),
        body=body,
        word_count=words,
        section=sections[n % len(sections)],
        kind=Story.Kind.COMMENTARY if n % len(sections) == 4 else Story.Kind.NEWS,
        status=status,
        published_at=published if status == Story.Status.PUBLISHED else None,
        modified_at=published,
        hero_image=images[n % len(images)] if n % 10 < 7 else None,
        home_position=n + 1 if n < 4 else None,
    )


def _scheduled(n: int, section, now):
    """A story due in the future, as a real newsroom always has: the next one is an hour away."""
    from articles.models import Story

    return Story(
        headline=f"Scheduled story {n}",
        slug=f"scheduled-story-{n}",
        body="<p>Not yet.</p>",
        word_count=2,
        section=section,
        status=Story.Status.PUBLISHED,
        published_at=now + timedelta(hours=1 + n),
    )


def _relations(rng: random.Random, stories: list, authors: list, people: list, tags: list, now) -> dict:
    """Bylines, quotes, tags, corrections and hand-picked related stories for every story."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    from articles.models import Byline, Correction, Quote, Story

    rows = {Byline: [], Quote: [], Correction: [], TaggedItem: [], Story.related.through: []}
    story_type = ContentType.objects.get_for_model(Story)
    for n, story in enumerate(stories):
        for position, author in enumerate(rng.sample(authors, 3 if n == 0 else rng.choice([1, 1, 1, 2, 2, 3]))):
            rows[Byline].append(Byline(story=story, author=author, position=position))
        for position in range(4 if n == 0 else rng.choice([0, 1, 2, 2, 3, 4])):
            introduction = rng.choice(["", "a local resident", "speaking to reporters"])
            text = sentence(rng, 10, 24)
            rows[Quote].append(
                Quote(story=story, person=rng.choice(people), text=text, introduction=introduction, position=position)
            )
        for tag in rng.sample(tags, 6 if n == 0 else rng.randint(2, 6)):
            rows[TaggedItem].append(TaggedItem(content_type=story_type, object_id=story.pk, tag=tag))
        if n == 0 or n % 50 == 3:
            text = "An earlier version gave the wrong date."
            rows[Correction].append(Correction(story=story, text=text, created_at=now))
        if n == 0 or n % 10 == 5:
            for step in (11, 23):
                rows[Story.related.through].append(
                    Story.related.through(from_story=story, to_story=stories[(n + step) % len(stories)])
                )
    return rows


def _choose_related(stories: list) -> None:
    """Related stories kept on every published story, as publishing keeps them.

    The bench story gets the real choice (``Story.related_story_ids``); the rest a quick stand-in made
    from the rows just written (hand-picked, then the newest sharing a tag, then the newest in the
    section), since a page costs the same whichever stories it offers.
    """
    from taggit.models import TaggedItem

    from articles.models import Story
    from articles.models.stories import RELATED_KEPT

    published = {story.pk: story for story in stories if story.status == Story.Status.PUBLISHED}
    newest_first = sorted(published.values(), key=lambda story: story.published_at, reverse=True)
    by_tag, by_section, picks, tags_of = {}, {}, {}, {}
    for story in newest_first:
        by_section.setdefault(story.section_id, []).append(story.pk)
    for item in TaggedItem.objects.filter(object_id__in=published).order_by("pk").values_list("object_id", "tag_id"):
        tags_of.setdefault(item[0], []).append(item[1])
    for story in newest_first:
        for tag in tags_of.get(story.pk, ()):
            by_tag.setdefault(tag, []).append(story.pk)
    for from_id, to_id in Story.related.through.objects.values_list("from_story_id", "to_story_id"):
        picks.setdefault(from_id, []).append(to_id)
    for story in published.values():
        chosen = [pk for pk in picks.get(story.pk, ()) if pk in published]
        for pool in [*(by_tag[tag][:RELATED_KEPT] for tag in tags_of.get(story.pk, ())), by_section[story.section_id]]:
            chosen += [pk for pk in pool[: RELATED_KEPT + 1] if pk != story.pk and pk not in chosen]
        story.related_ids = chosen[:RELATED_KEPT]
    Story.objects.bulk_update(published.values(), ["related_ids"], batch_size=1000)
    bench_story = Story.objects.get(slug=BENCH_SLUG)
    Story.objects.filter(pk=bench_story.pk).update(related_ids=bench_story.related_story_ids(RELATED_KEPT))


def _search_documents() -> None:
    """Fill the stored search documents in two halves at once (PostgreSQL does one per core)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections
    from django.db.models import Max

    from articles.models import Story

    highest = Story.objects.aggregate(Max("pk"))["pk__max"] or 0

    def refresh(bounds):
        try:
            Story.objects.filter(pk__gt=bounds[0], pk__lte=bounds[1]).refresh_search_document()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(refresh, [(0, highest // 2), (highest // 2, highest)]))


def build(stories: int, *, seed: int = 20261127, log=print) -> None:
    """Fill an empty database with ``stories`` stories and everything around them."""
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Author, Person, Story
    from newsroom import cachetags

    if Story.objects.exists():
        raise SystemExit("The database already has stories; the benchmark builds its own into an empty one.")
    rng, started, now = random.Random(seed), time.monotonic(), timezone.now()
    sections, images = _chrome_and_pictures(rng)
    log(f"  publication, sections and {len(images)} pictures with renditions: {time.monotonic() - started:.0f}s")
    with transaction.atomic():
        names = [f"{rng.choice(PEOPLE)} {rng.choice(SURNAMES)}" for _ in range(460)]
        authors = Author.objects.bulk_create(
            Author(name=f"{names[n]} {n}", slug=f"author-{n}", role="Reporter") for n in range(60)
        )
        people = Person.objects.bulk_create(
            Person(name=f"{names[60 + n]} {n}", slug=f"person-{n}", description="Spokesperson", has_profile=n % 5 != 0)
            for n in range(400)
        )
        tags = Tag.objects.bulk_create(Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(300))
        writer = Writer(rng)
        rows = [_story(n, writer, sections, images, now) for n in range(stories)]
        created = Story.objects.bulk_create(rows + [_scheduled(n, sections[0], now) for n in range(3)], 2000)
        log(f"  {len(created)} stories: {time.monotonic() - started:.0f}s")
        for model, related_rows in _relations(rng, created[:stories], authors, people, tags, now).items():
            model.objects.bulk_create(related_rows, batch_size=5000)
            log(f"  {len(related_rows)} {model._meta.verbose_name_plural}: {time.monotonic() - started:.0f}s")
        _choose_related(created[:stories])
        log(f"  related stories: {time.monotonic() - started:.0f}s")
    if connection.vendor == "postgresql":
        if connection.in_atomic_block:  # inside a test's transaction other connections cannot see the rows
            Story.objects.refresh_search_document()
        else:
            _search_documents()
        log(f"  search documents: {time.monotonic() - started:.0f}s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    cachetags.retire(cachetags.SITE)  # bulk_create sends no signals
    log(f"  done in {time.monotonic() - started:.0f}s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=int(os.environ.get("BENCH_STORIES", 20000)))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    sys.stderr.write(f"Building {args.stories} stories\n")
    build(args.stories, log=lambda line: sys.stderr.write(line + "\n"))


if __name__ == "__main__":
    main()
