"""IPTC ninjs 2.x (News in JSON): stories out for the API and exports, and items in for imports."""

import json
import re
from functools import cache
from pathlib import Path

import jsonschema
from django.urls import reverse

from articles.models import Story
from articles.richtext import absolute_links
from embeds.rendering import embeds_of, ninjs_associations
from interchange.draft import ImportFailed, PictureDraft, StoryDraft
from interchange.ninjs_items import SECTION_REL, modernised, read_item, refuse_other_versions

SCHEMA_PATH = Path(__file__).parent / "schemas" / "ninjs-2.1.schema.json"
STANDARD = {"name": "ninjs", "version": "2.1", "schema": "https://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"}
MAX_ITEMS = 500
# Real items nest a handful of levels; parsers and the schema check recurse once per level.
MAX_DEPTH = 32
_STRINGS_AND_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def story_uri(story: Story, base_url: str) -> str:
    """The item's identifier: stable across slug changes, and it resolves to the item in the API."""
    return base_url + reverse("interchange:ninjs_story", kwargs={"key": str(story.pk)})


def story_to_ninjs(story: Story, *, base_url: str, embeds: dict | None = None) -> dict:
    """A published story as one ninjs 2.1 item (uses the relations ``for_detail`` prefetches).

    ``base_url`` is the publication's public address: every address in the item, the body's links
    included, is absolute and the same whichever host name the item was asked for under. The body
    keeps its parts' marking (``articles.parts``); ``language`` is the story's own. Embeds are
    associations (``embeds``: the stories' fetched embeds by link, read once for a list of items)."""
    authors = story.byline_authors
    page_url = base_url + story.get_absolute_url()
    item = {
        "uri": story_uri(story, base_url),
        "standard": STANDARD,
        "type": "text",
        "representationtype": "full",
        "profile": "newsroom-story",
        "version": str(int((story.modified_at or story.published_at or story.updated_at).timestamp())),
        "firstcreated": _iso(story.published_at or story.created_at),
        "versioncreated": _iso(story.modified_at or story.published_at or story.updated_at),
        "pubstatus": "usable",
        "language": story.language,
        "slugline": story.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": story.headline}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": absolute_links(story.body, page_url),
                "wordcount": story.word_count,
            }
        ],
        "genres": [{"name": story.get_kind_display(), "literal": story.kind}],
        "renditions": [{"name": "web", "href": page_url, "contenttype": "text/html"}],
    }
    descriptions = [{"role": "summary", "contenttype": "text/plain", "value": story.standfirst}] * bool(
        story.standfirst
    )
    descriptions += [
        {"role": correction.kind, "contenttype": "text/plain", "value": correction.text}
        for correction in story.corrections.all()
    ]
    if descriptions:
        item["descriptions"] = descriptions
    if authors:
        item["by"] = " and ".join(filter(None, [", ".join(a.name for a in authors[:-1]), authors[-1].name]))
    elif story.source_byline:
        item["by"] = story.source_byline
    people = [{"name": a.name, "rel": "author", "uri": base_url + a.get_absolute_url()} for a in authors]
    for quote in story.quotes.all():
        person = {"name": quote.person.name, "rel": "quoted"}
        if quote.person.has_profile:
            person["uri"] = base_url + quote.person.get_absolute_url()
        if person not in people:
            people.append(person)
    if people:
        item["people"] = people
    subjects = []
    if story.section:
        subjects.append(
            {
                "name": story.section.name,
                "rel": SECTION_REL,
                "literal": story.section.slug,
                "uri": base_url + story.section.get_absolute_url(),
            }
        )
    subjects += [
        {
            "name": tag.name,
            "rel": "tag",
            "literal": tag.slug,
            "uri": base_url + reverse("articles:tag_detail", kwargs={"slug": tag.slug}),
        }
        for tag in story.tags.all()
    ]
    if subjects:
        item["subjects"] = subjects
    if story.source:
        source = {"name": story.source.name, "role": "originalsource"}
        if story.source.url:
            source["uri"] = story.source.url
        item["infosources"] = [source]
        item["copyrightholder"] = story.source.name
    if story.original_url:
        item["renditions"].append({"name": "original", "href": story.original_url, "contenttype": "text/html"})
    associations = [_picture(story, base_url)] if story.hero_image and story.hero_image.file else []
    if story.live:
        associations += _live_updates(story, page_url)
        if story.live_summary:
            item.setdefault("descriptions", []).append(
                {"role": "liveblogsummary", "contenttype": "text/plain", "value": story.live_summary}
            )
    if embeds is None:
        embeds = embeds_of([story.body])
    associations += ninjs_associations(story.body, embeds, base_url)
    if associations:
        item["associations"] = associations
    return item


def _live_updates(story: Story, page_url: str) -> list[dict]:
    """A live blog's entries, pinned first then newest first, each a text item named ``liveupdate<n>``
    (``story.shown_live_entries`` when the caller read them for several stories at once)."""
    entries = getattr(story, "shown_live_entries", None)
    if entries is None:
        entries = list(story.live_entries.shown())
    updates = []
    for number, entry in enumerate(entries, start=1):
        update = {
            "name": f"liveupdate{number}",
            "uri": f"{page_url}#{entry.anchor}",
            "type": "text",
            "firstcreated": _iso(entry.posted_at),
            "versioncreated": _iso(entry.corrected_at or entry.posted_at),
            "bodies": [{"role": "main", "contenttype": "text/html", "value": absolute_links(entry.body, page_url)}],
        }
        if entry.author:
            update["by"] = entry.author.name
        if entry.correction_note:
            note = {"role": "correction", "contenttype": "text/plain", "value": entry.correction_note}
            update["descriptions"] = [note]
        updates.append(update)
    return updates


def _picture(story: Story, base_url: str) -> dict:
    image = story.hero_image
    href = image.file.url if image.file.url.startswith("http") else base_url + image.file.url
    picture = {
        "name": "featureimage",
        "uri": href,
        "type": "picture",
        "by": image.credit,
        "descriptions": [{"role": "alt", "contenttype": "text/plain", "value": image.alt_text}],
        "renditions": [{"name": "original", "href": href, "width": image.width, "height": image.height}],
    }
    if story.caption:
        picture["descriptions"].append({"role": "caption", "contenttype": "text/plain", "value": story.caption})
    return picture


def _describe(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "the item"
    return f"{where}: {error.message}"


def _nesting_depth(text: str) -> int:
    """How deeply the JSON's arrays and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    for match in _STRINGS_AND_BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def parse_ninjs(text: str) -> list[StoryDraft | PictureDraft]:
    """Items from a ninjs document: one item, a list of items, or an API page (``{"items": [...]}``).

    Each is checked against the 2.x schema, after 1.x carriers a 2.x item may still hold are moved to
    their 2.x places; items of ninjs 1.x or 3.x are refused naming the version seen."""
    if _nesting_depth(text) > MAX_DEPTH:
        raise ImportFailed(f"The JSON nests more than {MAX_DEPTH} levels deep; no ninjs item does.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from exc
    except ValueError as exc:  # e.g. a number with more digits than Python converts
        raise ImportFailed(f"Not valid JSON: {exc}.") from exc
    if isinstance(data, dict) and isinstance(data.get("items"), list) and "uri" not in data:
        data = data["items"]
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ImportFailed("The file holds no ninjs items.")
    if len(items) > MAX_ITEMS:
        raise ImportFailed(f"The file holds {len(items)} items; import at most {MAX_ITEMS} at a time.")
    check = validator()
    drafts = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            refuse_other_versions(item, number=number, total=len(items))
            item = modernised(item)
        errors = sorted(check.iter_errors(item), key=lambda e: list(e.absolute_path))
        if errors:
            label = f"Item {number}" if len(items) > 1 else "The item"
            raise ImportFailed(f"{label} is not valid ninjs 2.x: " + "; ".join(_describe(e) for e in errors[:5]))
        drafts.append(read_item(item))
    return drafts
