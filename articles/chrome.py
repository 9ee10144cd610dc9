"""What every public page needs besides its content, kept on the publication's row.

The sections menu, the social links, the breaking-news banner, the most-read list and the next moment
content changes by itself (a scheduled story going up, a banner coming down) change only when an
editor changes something, when readers' counts are written, or when such a moment comes. The first
request after a change works them out (one query, ``Publication.site_rows``) and keeps them on the
publication's row; every later request reads them with the row, whether or not any cache holds
them. Within a request the row is read once: the page cache asks for the next moment, the page for
the chrome and the most-read list.

``forget`` runs on every retirement (``newsroom.cachetags.on_retire``), inside the transaction making
the change. It empties what is kept, and moves its version on, when something every page shows
changed (``SITE``), a schedule changed (``SCHEDULE``), the most-read ranking changed (``MOST_READ``),
or a story the banner or the most-read list shows changed, or the logo did. What is kept is stored
only if that version has not moved since the row was read, so nothing worked out from rows older than a
committed change is kept (the same rule as a story's markup, ``articles.rendering``). What is kept also holds
when it must be worked out again by itself (``until``): the next scheduled moment, or the end of the
current counting period, when the most-read list's window moves on.
"""

from datetime import UTC, datetime

from asgiref.local import Local
from django.core.signals import request_finished, request_started
from django.db.models import Case, F, Q, Value, When
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.dependencies import MOST_READ
from articles.models import Publication, Story
from articles.models.readership import MOST_READ_LIMIT, PERIOD, most_read_since, period_start
from newsroom.cachetags import SCHEDULE, SITE, depends_on, tag_for
from newsroom.jsonrows import json_datetime, json_instance
from newsroom.prepared import Prepared

BREAKING_LIMIT = 3
# Kept rows in an older shape (or none at all) are worked out again.
SHAPE = 4
# Markup every page shows, rendered once with the chrome and kept with it (templates/includes/site_<name>.html).
PIECES = ("head", "feeds", "footer")

# The row, read by a statement compiled once (newsroom.prepared); the logo comes with what it keeps.
_PUBLICATION = Prepared(lambda: Publication.objects.filter(pk=1)[:1])

_request = Local()  # the publication row as this request read it (only while a request runs)


@receiver(request_started, dispatch_uid="articles-chrome-request-started")
@receiver(request_finished, dispatch_uid="articles-chrome-request-finished")
def _new_request(*, signal, **kwargs) -> None:
    _request.active = signal is request_started
    _request.row = None


def _row(now: datetime) -> Publication:
    """The publication row with what it keeps: read once per request, worked out and kept if emptied or due."""
    row = getattr(_request, "row", None)
    if row is not None:
        return row
    found = _PUBLICATION.rows()
    row = found[0] if found else Publication.load()
    kept = row.kept_chrome
    if kept is None or kept.get("shape") != SHAPE or kept["until"] <= now.timestamp():
        kept = work_out(row, now)
        Publication.objects.filter(pk=1, kept_chrome_version=row.kept_chrome_version).update(kept_chrome=kept)
        row.kept_chrome = kept
    logo = kept["logo"]
    if logo is not None and logo["id"] == row.logo_id:
        row.logo = json_instance(Publication.logo.field.related_model, logo, row._state.db)
    if getattr(_request, "active", False):
        _request.row = row
    return row


def work_out(publication: Publication, now: datetime) -> dict:
    """What the row keeps, worked out from the rows as they are now, and the markup of ``PIECES``."""
    rows = Publication.site_rows(now, breaking_limit=BREAKING_LIMIT, most_read_since=most_read_since(now))
    # Most reads first, then the newest (the order of ``StoryQuerySet.most_read``).
    ranked = sorted(rows["most_read_rows"], key=lambda row: (row["reads"], json_datetime(row["at"]), row["id"]))
    most_read = ranked[::-1][:MOST_READ_LIMIT]
    next_change = rows["next_change"].timestamp() if rows["next_change"] else None
    # Worked out again when the banner or the schedule changes by itself, and when the reading window moves.
    moments = [json_datetime(story["until"]).timestamp() for story in rows["breaking_rows"]]
    moments += [next_change] if next_change else []
    moments.append((period_start(now) + PERIOD).timestamp())
    shown = {f"story-{story['id']}" for story in rows["breaking_rows"] + most_read}
    logo = publication.logo
    if logo is not None:
        shown.add(tag_for(logo))
    _show(publication, rows)
    return {
        "shape": SHAPE,
        "pieces": _render_pieces(publication),
        # What structured data and sharing tags show of the logo (its address and size).
        "logo": None
        if logo is None
        else {"id": logo.pk, "file": logo.file.name, "width": logo.width, "height": logo.height},
        "section_rows": rows["section_rows"],
        "social_link_rows": rows["social_link_rows"],
        "breaking_rows": rows["breaking_rows"],
        "most_read_rows": most_read,
        "next_change": next_change,
        "until": min(moments),
        # The stories and the logo shown, as keys: ``forget`` finds them with a lookup both databases have.
        "shows": dict.fromkeys(shown, 1),
    }


def _show(publication: Publication, rows: dict) -> None:
    """Give ``publication`` the sections, social links and banner of ``rows`` (read by its properties)."""
    publication.section_rows = rows["section_rows"]
    publication.social_link_rows = rows["social_link_rows"]
    publication.breaking_rows = rows["breaking_rows"]


def _render_pieces(publication: Publication) -> dict:
    """The markup every page shows around its content: the header (one for each section a page may be
    in, and one for pages in none), the footer, and the style sheets and main feeds of the head."""
    sections = publication.nav_sections
    around = {"publication": publication, "nav_sections": sections, "social_links": publication.social_links}
    header = {
        str(pk): render_to_string("includes/site_header.html", around | {"current_section_pk": pk})
        for pk in ["", *(section.pk for section in sections)]
    }
    return {name: render_to_string(f"includes/site_{name}.html", around) for name in PIECES} | {"header": header}


def piece(publication: Publication, name: str, section=None) -> SafeString:
    """The kept markup ``name`` (one of ``PIECES`` or "header", for pages in ``section``)."""
    markup = publication.kept_chrome["pieces"][name]
    if name == "header":
        markup = markup.get(str(section.pk) if section else "", markup[""])
    return mark_safe(markup)  # noqa: S308 (rendered from our templates by _render_pieces)


def load(now: datetime | None = None) -> dict:
    """The publication, its sections, its active social links and any breaking news."""
    publication = _row(now or timezone.now())
    _show(publication, publication.kept_chrome)
    breaking_news = publication.breaking_news
    # A banner going up or coming down retires SITE (articles.dependencies); a change to a story in it, the story.
    depends_on(*(tag_for(story) for story in breaking_news))
    return {
        "publication": publication,
        "nav_sections": publication.nav_sections,
        "social_links": publication.social_links,
        "breaking_news": breaking_news,
    }


def next_change(now: datetime) -> datetime | None:
    """When published content next changes by itself: a scheduled story going up or a banner coming down."""
    moment = _row(now).kept_chrome["next_change"]
    return None if moment is None else datetime.fromtimestamp(moment, tz=UTC)


def most_read(now: datetime | None = None) -> list[Story]:
    """The most-read published stories (headline and address), most read first."""
    rows = _row(now or timezone.now()).kept_chrome["most_read_rows"]
    return [json_instance(Story, {key: row[key] for key in ("id", "headline", "slug")}) for row in rows]


def forget(tags: set[str]) -> None:
    """Empty what is kept when something it shows changed; move its version on whenever a reader may be
    working it out, so that what they work out from rows older than this change is not kept."""
    _request.row = None
    version = F("kept_chrome_version") + 1
    publication = Publication.objects.filter(pk=1)
    if tags & {SITE, SCHEDULE, MOST_READ}:
        publication.update(kept_chrome=None, kept_chrome_version=version)
        return
    shown = [tag for tag in tags if tag.startswith(("story-", "image-"))]
    if not shown:
        return
    shows = Q(kept_chrome__shows__has_any_keys=shown)
    being_worked_out = Q(kept_chrome__isnull=True) | Q(kept_chrome__until__lte=timezone.now().timestamp())
    publication.filter(shows | being_worked_out).update(
        kept_chrome=Case(When(shows, then=Value(None)), default=F("kept_chrome")), kept_chrome_version=version
    )
