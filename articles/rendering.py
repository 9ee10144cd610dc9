"""A story's public markup, rendered once after each change that shows on it and kept on its row.

The page head (canonical link, social tags, JSON-LD), the article, the teaser (headline and byline)
other stories' pages show and the card (the teaser with its picture) of list pages change only
when the story or something it shows changes: its text, an author's or a quoted
person's name, a tag, its section, a picture, the publication. The first request after such a change
renders them and stores them on the story with the cache tags they show (``Story.rendered_*``);
every later request reads them with the row it reads anyway, whether or not any cache holds them.

``forget`` runs on every retirement (``newsroom.cachetags.on_retire``), inside the transaction that
makes the change: it empties the markup of the stories showing a retired tag and moves their
``rendered_version`` on. Markup is kept only if the version it was rendered from is still the
current one (the conditional update waits for a changing transaction's row lock, then sees its new
version), so markup built from rows older than a committed change is never kept.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, F, JSONField, Q, TextField, Value, When
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from taggit.models import TaggedItem

from articles import dependencies
from articles.models import Publication, Story
from newsroom import cachetags

# The groups of markup, each rendered and kept as a whole with the cache tags of what it shows: the
# story's own page (head and article), how other pages show it (teaser and card), and its entry in
# feeds (RSS and Atom, kept by ``articles.feeds``).
PAGE, TEASER, FEED = ("head", "article"), ("teaser", "card", "result", "grid"), ("rss", "atom")
# The entry of the full-text feeds for aggregators: kept apart, since few stories are in such a feed.
FULL = ("full",)
# The columns a page reads for each group's markup.
PAGE_FIELDS = ("rendered_head", "rendered_article", "rendered_page_tags", "rendered_version")
TEASER_FIELDS = ("rendered_teaser", "rendered_teaser_tags", "rendered_version")
CARD_FIELDS = ("rendered_card", "rendered_teaser_tags", "rendered_version")
RESULT_FIELDS = ("rendered_result", "rendered_teaser_tags", "rendered_version", "standfirst")
# Where a search result's snippet goes: the matches differ with every query, so they are added per request.
SNIPPET_SLOT = "<!-- snippet -->"
# Where a grid teaser's image sizes go: each slot of the home page's grids gives its own.
SIZES_SLOT = "grid-sizes-slot"
# Tags whose change shows on every story's markup (the publication's name, address and logo in the
# head, its social links in the social tags).
EVERY_STORY = frozenset({"publication", "sociallink"})


class Markup(dict):
    """One group of a story's markup by name, with the cache tags of what it shows."""

    def __init__(self, markup: dict[str, str], tags: Iterable[str]):
        super().__init__({name: mark_safe(html) for name, html in markup.items()})  # noqa: S308 (rendered here)
        self.tags = set(tags)


def render_page(story: Story, chrome: dict, *, request=None, head: bool = True, **extra) -> Markup:
    """The head and article of ``story``, read with ``Story.objects.for_detail()``.

    ``chrome`` gives the publication and its social links. A preview, whose markup is kept nowhere,
    passes its ``request`` and what else its templates need in ``extra``, and has no ``head`` (no
    social tags or structured data for a page search engines must not see).
    """
    context = {"story": story, "publication": chrome["publication"], "social_links": chrome["social_links"], **extra}
    live_entries = list(story.live_entries.shown()) if story.live else []
    if story.live:  # a live blog's entries are part of its page (one query, however many)
        context |= {"live_entries": live_entries, "live_latest": max((e.pk for e in live_entries), default=0)}
    with cachetags.collecting() as collector:  # pictures in the body declare their own tags
        markup = {
            "head": render_to_string("articles/includes/story_head.html", context, request) if head else "",
            "article": render_to_string("articles/includes/story_article.html", context, request),
        }
    live_tags = dependencies.live_entry_tags(live_entries) | {dependencies.live_tag(story.pk)} if story.live else set()
    return Markup(markup, dependencies.story_tags(story) | collector.tags | _section_tag(story) | live_tags)


def render_teaser(story: Story) -> Markup:
    """The teaser (other stories' pages), card (list pages), search result and grid teaser (the home
    page's section blocks) of ``story``, read with
    ``for_listing()``."""
    markup = {
        "teaser": render_to_string("articles/includes/story_teaser.html", {"story": story, "level": 3}),
        "card": render_to_string("articles/includes/story_card.html", {"story": story}),
        "result": render_to_string(
            "articles/includes/search_result.html", {"story": story, "snippet": mark_safe(SNIPPET_SLOT)}
        ),
        "grid": render_to_string(
            "articles/includes/story_teaser.html",
            {"story": story, "show_image": True, "lazy": True, "level": 3, "sizes": SIZES_SLOT},
        ),
    }
    return Markup(markup, dependencies.teaser_tags([story]) | _section_tag(story))


def _section_tag(story: Story) -> set[str]:
    return {f"section-{story.section_id}"} if story.section_id else set()


def kept(row: Story, names: tuple[str, ...], group: str) -> Markup | None:
    markup = {name: getattr(row, f"rendered_{name}") for name in names}
    if not all(markup.values()):
        return None
    return Markup(markup, getattr(row, f"rendered_{group}_tags"))


def keep(group: str, names: tuple[str, ...], rendered: dict[int, tuple[int, Markup]]) -> None:
    """Store each story's ``rendered`` markup (``{pk: (version read, markup)}``) in one update, on the
    stories whose markup no change has emptied since that version was read."""
    if not rendered:
        return

    def each(value_of, output_field) -> Case:
        return Case(*(When(pk=pk, then=Value(value_of(markup), output_field)) for pk, (_v, markup) in rendered.items()))

    columns = {f"rendered_{name}": each(lambda markup, name=name: str(markup[name]), TextField()) for name in names}
    columns[f"rendered_{group}_tags"] = each(lambda markup: sorted(markup.tags), JSONField())
    current = Q()
    for pk, (version, _markup) in rendered.items():
        current |= Q(pk=pk, rendered_version=version)
    Story.objects.filter(current).update(**columns)


def story_pieces(summary: Story, chrome: dict) -> Markup:
    """The head and article of a published story read with ``PAGE_FIELDS``: kept, or rendered and kept now."""
    markup = kept(summary, PAGE, "page")
    if markup is None:
        markup = render_page(Story.objects.for_detail().get(pk=summary.pk), chrome)
        keep("page", PAGE, {summary.pk: (summary.rendered_version, markup)})
    cachetags.depends_on(*markup.tags)
    return markup


def teasers(stories, ids: list[int], limit: int | None = None) -> list[SafeString]:
    """The teasers of the stories ``ids`` among ``stories`` (a queryset), in that order: kept or rendered now."""
    rows = {row.pk: row for row in stories.filter(pk__in=ids).only(*TEASER_FIELDS)} if ids else {}
    shown = [rows[pk] for pk in ids if pk in rows][:limit]
    # The block changes with the stories chosen, shown or not (one retracted may be published again).
    cachetags.depends_on(*(f"story-{pk}" for pk in ids))
    return _teasers(shown, "teaser")


def in_grid(grid_teaser: str, sizes: str) -> SafeString:
    """A grid teaser (``TEASER``'s "grid") for a slot whose image takes ``sizes`` (an ``<img sizes>`` value)."""
    return mark_safe(grid_teaser.replace(f'sizes="{SIZES_SLOT}"', format_html('sizes="{}"', sizes)))  # noqa: S308 (escaped)


def cards(rows: Iterable[Story]) -> list[SafeString]:
    """The cards of list pages for ``rows`` (read with ``CARD_FIELDS``), in their order: kept or rendered now."""
    return _teasers(list(rows), "card")


def results(rows: Iterable[Story], snippets: list[str]) -> list[SafeString]:
    """Search results for ``rows`` (read with ``RESULT_FIELDS``), each with its ``snippet`` (safe HTML)."""
    found = _teasers(list(rows), "result")
    return [
        mark_safe(result.replace(SNIPPET_SLOT, format_html('<p class="search-result__snippet">{}</p>', snippet)))  # noqa: S308 (both escaped)
        if snippet
        else mark_safe(result.replace(SNIPPET_SLOT, ""))  # noqa: S308 (rendered here)
        for result, snippet in zip(found, snippets, strict=True)
    ]


def _teasers(rows: list[Story], name: str) -> list[SafeString]:
    """The ``name`` markup of ``rows`` (teaser, card or result) in their order."""
    found = teaser_markup(rows, (name,))
    return [found[row.pk][name] for row in rows]


def teaser_markup(rows: list[Story], names: tuple[str, ...]) -> dict[int, Markup]:
    """The ``TEASER`` markup of ``rows`` by primary key, for pages showing ``names`` of it (each row read
    with those columns): kept, or rendered (one query) and kept (one) for the rows whose markup is not."""
    found = {}
    for row in rows:
        found[row.pk] = kept(row, names, "teaser")
    versions = {row.pk: row.rendered_version for row in rows if found[row.pk] is None}
    if versions:
        rendered = {story.pk: render_teaser(story) for story in Story.objects.for_listing().filter(pk__in=versions)}
        keep("teaser", TEASER, {pk: (versions[pk], markup) for pk, markup in rendered.items()})
        found |= rendered
    for markup in found.values():
        cachetags.depends_on(*markup.tags)
    return found


def forget(tags: set[str]) -> None:
    """Empty the markup of the published stories that show any of ``tags``, and move their version on."""
    showing = _showing(tags)
    if showing is None:
        return
    published = Story.objects.filter(status=Story.Status.PUBLISHED)
    stories = published if showing is True else published.filter(pk__in=published.filter(showing).values("pk"))
    stories.update(
        rendered_head="",
        rendered_article="",
        rendered_teaser="",
        rendered_card="",
        rendered_grid="",
        rendered_result="",
        rendered_rss="",
        rendered_atom="",
        rendered_page_tags=[],
        rendered_teaser_tags=[],
        rendered_feed_tags=[],
        rendered_full="",
        rendered_full_tags=[],
        rendered_version=F("rendered_version") + 1,
    )


def _showing(tags: set[str]) -> Q | bool | None:
    """Which stories' markup shows something ``tags`` name: a filter, True for all of them, None for none."""
    ids = defaultdict(set)
    for tag in tags:
        kind, _, pk = tag.rpartition("-")
        if pk.isdigit():
            ids[kind].add(int(pk))
    if ids.keys() & EVERY_STORY:
        return True
    if ids["image"] and Publication.objects.filter(logo_id__in=ids["image"]).exists():
        return True  # the publication's logo, in every story's structured data
    showing = Q()
    if ids["story"] or ids["live"]:  # a story's live entries show on its own markup alone
        showing |= Q(pk__in=ids["story"] | ids["live"])
    if ids["author"]:
        showing |= Q(bylines__author_id__in=ids["author"]) | Q(live_entries__author_id__in=ids["author"])
    if ids["person"]:
        showing |= Q(quotes__person_id__in=ids["person"]) | Q(live_entries__person_id__in=ids["person"])
    if ids["source"]:
        showing |= Q(source_id__in=ids["source"])
    if ids["section"]:
        showing |= Q(section_id__in=ids["section"])
    if ids["tag"]:
        tagged = TaggedItem.objects.filter(
            content_type__app_label="articles", content_type__model="story", tag_id__in=ids["tag"]
        )
        showing |= Q(pk__in=tagged.values("object_id"))
    for image in ids["image"]:
        showing |= Q(hero_image_id=image) | Q(body__contains=f'data-file="{image}"') | Q(live_entries__picture_id=image)
    return showing or None
