"""Public pages. Every story query starts from ``Story.objects.published()``."""

from typing import NamedTuple

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from articles import dependencies, previews, readership, rendering
from articles.context_processors import site_chrome
from articles.models import (
    Author,
    Correction,
    LiveEntry,
    Person,
    Publication,
    Section,
    Series,
    SeriesStory,
    Story,
)
from articles.models.stories import RELATED_SHOWN, public_tags
from articles.models.story_queries import SEARCH_MAX_LENGTH
from articles.pagination import OpenEndedPaginator
from articles.search import SearchForm, snippet
from embeds.rendering import allow_players, players_in
from newsroom import cachetags
from newsroom.client_ip import client_ip
from newsroom.prepared import Prepared

PAGE_SIZE = 20
HOME_SECTION_BLOCK = 4
# The width of the pictures in a home page section block (site.css: .wrap, .teaser-grid); on phones the
# first shows wide and the others as 6.5rem thumbnails.
_BLOCK_WIDE = (
    "(min-width: 72rem) 16.5rem, (min-width: 60em) calc(33vw - 1.5rem), (min-width: 40em) calc(50vw - 1.75rem)"
)
BLOCK_LEAD_SIZES, BLOCK_SIZES = f"{_BLOCK_WIDE}, calc(100vw - 2rem)", f"{_BLOCK_WIDE}, 6.5rem"
# Paths crawlers should leave alone: staff pages, previews and endless search-result pages.
ROBOTS_DISALLOW = ["/admin/", "/preview/", "/search/"]


def home(request):
    """Lead and top stories picked by editors, the latest stories, and a block per section."""
    published = Story.objects.published()
    teasers = published.for_listing()
    picked = list(teasers.filter(home_position__isnull=False).order_by("home_position"))
    latest = list(teasers.filter(home_position__isnull=True)[:9])
    if not picked:  # no editor's choice: the newest story leads
        picked, latest = latest[:1], latest[1:]
    lead, top, latest = (picked[0] if picked else None), picked[1:], latest[:8]
    sections = site_chrome(request)["nav_sections"]
    ranked = list(teasers.latest_in_each_section([section.pk for section in sections], HOME_SECTION_BLOCK))
    # The latest and the section blocks are teasers kept on their stories; the editors' picks are few.
    kept = rendering.teaser_markup([*latest, *ranked], ("teaser", "grid"))
    firsts = {story.section_id: story.pk for story in reversed(ranked)}  # ranked newest first in each section
    by_section: dict[int, list] = {}
    for story in ranked:
        sizes = BLOCK_LEAD_SIZES if firsts[story.section_id] == story.pk else BLOCK_SIZES
        by_section.setdefault(story.section_id, []).append(rendering.in_grid(kept[story.pk]["grid"], sizes))
    blocks = [(section, by_section[section.pk]) for section in sections if section.pk in by_section]
    dependencies.shows_teasers([*picked, *latest, *ranked])
    dependencies.shows_list(latest=True)
    cachetags.depends_on(dependencies.HOME)
    context = {
        "lead": lead,
        "top_stories": top,
        "latest": [kept[story.pk]["teaser"] for story in latest],
        "blocks": blocks,
    }
    return render(request, "articles/home.html", context)


def story_detail(request, slug):
    """One story; drafts, scheduled and retracted stories are the same 404 as a missing slug.

    One query reads the story's summary with its markup, rendered once after each change and kept on
    the row (``articles.rendering``) and the series it is in, one more the teasers of the related
    stories chosen when it was published, and two the other stories of its series, if it is in one;
    a story whose markup a change emptied is rendered again here, once.
    """
    published = Story.objects.published()
    fields = ("slug", "headline", "standfirst", "section_id", "related_ids", "live", *rendering.PAGE_FIELDS)
    in_series = Subquery(SeriesStory.objects.filter(story=OuterRef("pk")).values("series_id")[:1])
    summary = get_object_or_404(published.only(*fields).annotate(in_series=in_series), slug=slug)
    cachetags.depends_on_objects(summary)
    chrome = site_chrome(request)

    def related_teasers():
        cachetags.depends_on_objects(summary)  # the story's choice: publishing.choose_related retires the story
        return rendering.teasers(published, summary.related_ids, limit=RELATED_SHOWN)

    pieces = rendering.story_pieces(summary, chrome)
    players = players_in(pieces["article"])
    context = {
        "embed_players": players,  # the page loads the embeds' script only if it has some
        "story_summary": summary,
        "story_pieces": pieces,
        "related_teasers": related_teasers,  # called only if the shared piece showing them is not cached
        "series_block": lambda: series_block(published, summary),  # likewise
        "live_poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
        "current_section": next(
            (section for section in chrome["nav_sections"] if section.pk == summary.section_id), None
        ),
    }
    return allow_players(render(request, "articles/story_detail.html", context), players)


LIVE_UPDATES_SHOWN = 50  # entries one answer holds at most; a reader further behind reloads the page


def story_live(request, slug):
    """A live blog's entries newer than the entry ``since`` (the newest the reader's page shows), as JSON
    for the page's script: their markup, the newest entry's id and whether coverage still runs."""
    try:
        since = int(request.GET.get("since", "0"))
    except ValueError:
        return JsonResponse({"message": "since must be the id of an entry."}, status=400)
    if not 0 <= since < 2**63:
        return JsonResponse({"message": "since must be the id of an entry."}, status=400)
    fields = ("slug", "live", "live_started_at", "live_ended_at")
    story = get_object_or_404(Story.objects.published().filter(live=True).only(*fields), slug=slug)
    entries = list(LiveEntry.objects.shown().filter(story=story).newer_than(since)[:LIVE_UPDATES_SHOWN])
    cachetags.depends_on_objects(story)  # coverage ending
    cachetags.depends_on(dependencies.live_tag(story.pk), *dependencies.live_entry_tags(entries))
    updates = [
        {
            "id": entry.pk,
            "posted_at": entry.posted_at.isoformat(),
            "html": render_to_string("articles/includes/live_entry.html", {"entry": entry}),
        }
        for entry in entries
    ]
    latest = max((entry.pk for entry in entries), default=since)
    return JsonResponse({"entries": updates, "latest": latest, "running": story.coverage_running})


class SeriesBlock(NamedTuple):
    name: str
    url: str
    teasers: list


def series_block(published, story: Story) -> SeriesBlock | None:
    """The other published stories of the series ``story`` is in (``in_series``), in the editor's order."""
    if story.in_series is None:
        return None
    cachetags.depends_on(f"series-{story.in_series}")
    members = SeriesStory.objects.filter(series_id=story.in_series).order_by("position", "pk")
    rows = list(members.values_list("story_id", "series__name", "series__slug"))
    teasers = rendering.teasers(published, [pk for pk, _name, _slug in rows if pk != story.pk])
    if not teasers:
        return None
    _pk, name, slug = rows[0]
    return SeriesBlock(name, reverse("articles:series_detail", kwargs={"slug": slug}), teasers)


class StoryListView(ListView):
    """A paginated list of published stories belonging to one object (section, tag, author or series).

    A subclass names its object (``get_object``) and which stories are its (``filter_stories``, given the
    object's key). The list's statement is compiled once per page and reused with the object and the time.
    """

    paginate_by = PAGE_SIZE
    paginator_class = OpenEndedPaginator
    context_object_name = "stories"
    fields = rendering.CARD_FIELDS
    order = ("-published_at", "-pk")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.listing = Prepared(cls.list_rows, shape=("bottom", "size"))

    def get_object(self):
        raise NotImplementedError

    @classmethod
    def filter_stories(cls, stories, key: int):
        raise NotImplementedError

    @classmethod
    def list_rows(cls, *, key: int, now, bottom: int, size: int):
        """``size`` of the object's stories published at ``now``, from ``bottom`` on."""
        stories = cls.filter_stories(Story.objects.published(now), key).only(*cls.fields)
        return (stories.order_by(*cls.order) if cls.order else stories)[bottom : bottom + size]

    def get_queryset(self):
        self.object = self.get_object()
        return self.listing.slices(key=self.object.pk, now=timezone.now())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(object=self.object, **kwargs)
        cachetags.depends_on_objects(self.object, getattr(self.object, "photo", None))
        dependencies.shows_list(self.object)
        # Each story's card is kept on it (articles.rendering) and declares what it shows.
        context["cards"] = rendering.cards(context["object_list"])
        return context


class SectionDetailView(StoryListView):
    template_name = "articles/section_detail.html"

    def get_object(self):
        return get_object_or_404(Section, slug=self.kwargs["slug"])

    @classmethod
    def filter_stories(cls, stories, key):
        return stories.in_section(key)

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.object, **kwargs)


class TagDetailView(StoryListView):
    template_name = "articles/tag_detail.html"

    def get_object(self):
        return get_object_or_404(public_tags(), slug=self.kwargs["slug"])

    @classmethod
    def filter_stories(cls, stories, key):
        return stories.tagged(key)


class AuthorDetailView(StoryListView):
    template_name = "articles/author_detail.html"

    def get_object(self):
        # A byline with nothing published yet is not public: no page that lists staff by guessing.
        authors = Author.objects.with_published_stories().with_links().select_related("photo")
        return get_object_or_404(authors, slug=self.kwargs["slug"])

    @classmethod
    def filter_stories(cls, stories, key):
        return stories.by_author(key)


class SeriesDetailView(StoryListView):
    """A series' published stories in the editor's order; a series with none published is a 404."""

    template_name = "articles/series_detail.html"
    # The headline and address too, for the list in the page's structured data.
    fields = (*rendering.CARD_FIELDS, "slug", "headline")
    order = ()  # the editor's, as ``in_series`` gives it

    def get_object(self):
        return get_object_or_404(
            Series.objects.with_published_stories().select_related("picture"), slug=self.kwargs["slug"]
        )

    @classmethod
    def filter_stories(cls, stories, key):
        return stories.in_series(key)

    def get_context_data(self, **kwargs):
        cachetags.depends_on_objects(self.object.picture)
        return super().get_context_data(**kwargs)


def person_detail(request, slug):
    """A public figure's page: everything they said in published stories."""
    person = get_object_or_404(Person.objects.public().select_related("photo"), slug=slug)
    stories = Story.objects.published().quoting(person).for_listing().prefetch_related("quotes")
    quotes = [(story, [q for q in story.quotes.all() if q.person_id == person.pk]) for story in stories[:50]]
    cachetags.depends_on_objects(person, person.photo)
    dependencies.shows_list(person)
    dependencies.shows_teasers(story for story, _quotes in quotes)
    return render(request, "articles/person_detail.html", {"person": person, "quoted_in": quotes})


def story_search(request):
    """Search published stories. Any query gives a page; an invalid filter is reported and left out."""
    form = SearchForm(request.GET or None)
    page, results = None, []
    dependencies.shows_any_story()
    if form.is_bound and form.query:
        page = form.page(request.GET.get("page"), PAGE_SIZE)
        results = rendering.results(page, [snippet(story, form.query) for story in page])
    context = {
        "form": form,
        "query": form.query,
        "query_max_length": SEARCH_MAX_LENGTH,
        "page_obj": page,
        "results": results,
    }
    return render(request, "articles/story_search.html", context)


@csrf_exempt  # it changes nothing but a counter, and cached pages carry no token to send
@require_POST
def story_read(request, pk):
    """A reader's browser reports one view of a story; nothing is stored about the reader."""
    if "bot" not in request.headers.get("User-Agent", "bot").lower():
        readership.record_read(pk, client=client_ip(request))
    return HttpResponse(status=204)


def robots_txt(request):
    """Crawler rules: keep out of staff pages and previews, and read the sitemaps."""
    publication = Publication.load()
    sitemaps = [publication.absolute_url(reverse(name)) for name in ("articles:sitemap_index", "articles:news_sitemap")]
    context = {"disallow": ROBOTS_DISALLOW, "sitemaps": sitemaps}
    return render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")


def story_preview(request, token):
    """A share link's preview of an unpublished story; a tampered, expired or revoked link is a 404."""
    story = previews.story_for_token(token)
    if story is None:
        raise Http404("No such preview.")
    return previews.render_preview(request, story, staff=False)


class CorrectionListView(ListView):
    """Recent corrections and clarifications to published stories, newest first."""

    template_name = "articles/correction_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "corrections"

    def get_queryset(self):
        cachetags.depends_on(dependencies.CORRECTIONS)
        dependencies.shows_any_story()  # the headlines of the stories corrected
        return Correction.objects.public().select_related("story", "story__section").order_by("-created_at", "-pk")
