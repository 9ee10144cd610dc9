"""The readers' search: the form that reads a query and its filters, and safe highlighting of matches.

The matching and ranking rule itself is ``StoryQuerySet.search``.
"""

import functools
import html
import re
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.paginator import Page
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Section, Story, StoryQuerySet
from articles.models.story_queries import HIGHLIGHT_START, HIGHLIGHT_STOP, SEARCH_MAX_LENGTH, clean_search_text
from articles.pagination import MAX_PAGES, CountingPaginator, CountOf
from articles.rendering import RESULT_FIELDS
from newsroom.prepared import Prepared
from newsroom.textsafety import ControlCharactersRefused

_MARKERS = re.compile(f"([{HIGHLIGHT_START}{HIGHLIGHT_STOP}])")


class SearchForm(ControlCharactersRefused, forms.Form):
    q = forms.CharField(label="Search for", required=False)
    section = forms.ModelChoiceField(
        Section.objects.all(), to_field_name="slug", required=False, empty_label="All sections"
    )
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    sort = forms.ChoiceField(
        choices=[("relevance", "Best match"), ("newest", "Newest first")], required=False, initial="relevance"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # Any text is accepted: control characters are dropped and long queries cut, never refused,
            # and the form shows back the query that was actually run.
            self.data = self.data.copy()
            self.data["q"] = clean_search_text(self.data.get("q", ""))
        self.fields["q"].widget.attrs.update({"maxlength": SEARCH_MAX_LENGTH, "type": "search"})

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
            cleaned.pop("end", None)
        return cleaned

    @property
    def query(self) -> str:
        """The query that is run (cleaned); empty for a form not sent."""
        if not self.is_bound:
            return ""
        self.is_valid()  # cleans once; the query runs even beside an invalid filter
        return self.cleaned_data.get("q", "")

    def filters(self) -> dict:
        """The valid filters as ``matching`` takes them (an invalid one is left out and its error shown)."""
        self.is_valid()  # runs the cleaning; errors are shown, valid fields still apply
        data = self.cleaned_data
        return {
            "section": data["section"].pk if data.get("section") else None,
            "start": _day_start(data.get("start")),
            "end": _day_start(data.get("end"), days=1),
            "newest": data.get("sort") == "newest",
        }

    def page(self, number, per_page: int, *, now: datetime | None = None) -> Page:
        """Page ``number`` of what the query finds, with the number of all matches (``CountingPaginator``)."""
        filters = {"query": self.query, "now": now or timezone.now()} | self.filters()
        read = functools.partial(_COUNTED_ROWS.rows, counted=MAX_PAGES * per_page, **filters)
        return CountingPaginator(read, per_page).get_page(number)


def matching(
    *,
    query: str,
    now: datetime,
    section: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    newest: bool = False,
) -> StoryQuerySet:
    """Stories published at ``now`` that match ``query`` (best match first, or ``newest``) within the
    filters: ``section`` (its key) and the moments ``start`` and ``end``, either left open by None."""
    stories = Story.objects.published(now).only(*RESULT_FIELDS).search(query)
    if section is not None:
        stories = stories.in_section(section)
    stories = stories.published_between(start, end)
    if newest:
        stories = stories.order_by("-published_at", "-pk")
    return stories


def _counted_rows(*, bottom: int, size: int, counted: int, **filters) -> StoryQuerySet:
    """``size`` of the stories ``matching`` the filters from ``bottom`` on, each with the number of all
    matches (up to ``counted``) as ``matches``: a subquery the database runs once."""
    stories = matching(**filters)
    return stories.annotate(matches=CountOf(stories.order_by().values("pk")[:counted]))[bottom : bottom + size]


# A page of results costs about as much Python to build and compile as to find in the database: the
# statement of each shape (page, order, which filters) is compiled once and reused with the reader's values.
_COUNTED_ROWS = Prepared(_counted_rows, shape=("bottom", "size", "counted", "newest"))


def _day_start(day: date | None, days: int = 0) -> datetime | None:
    """Midnight in the newsroom's time zone at the start of ``day`` (plus ``days``).

    None, an open end, for a day at the edge of the calendar: no story lies beyond it, and the
    moment itself cannot be written in UTC.
    """
    if day is None:
        return None
    try:
        moment = timezone.make_aware(datetime.combine(day + timedelta(days=days), time.min))
        moment.astimezone(UTC)
    except OverflowError:
        return None
    return moment


def marked_html(text: str, *, from_html: bool = False) -> SafeString:
    """``text`` escaped, with highlight markers turned into balanced ``<mark>`` elements.

    ``from_html``: the text is a fragment of stored HTML whose tags the database already dropped;
    its character references are decoded first so that they are escaped once, not twice.
    """
    parts, is_open = [], False
    for part in _MARKERS.split(" ".join(text.split())):
        if part == HIGHLIGHT_START and not is_open:
            parts.append("<mark>")
            is_open = True
        elif part == HIGHLIGHT_STOP and is_open:
            parts.append("</mark>")
            is_open = False
        elif part not in (HIGHLIGHT_START, HIGHLIGHT_STOP):
            parts.append(escape(html.unescape(part) if from_html else part))
    if is_open:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # every piece of text above was escaped


def mark_words(text: str, query: str) -> str:
    """``text`` with the query's words (case-insensitive, whole or prefix) between highlight markers."""
    words = [re.escape(word) for word in re.findall(r"\w+", query)]
    if not words:
        return text
    pattern = re.compile(rf"\b({'|'.join(words)})", re.IGNORECASE)
    return pattern.sub(rf"{HIGHLIGHT_START}\1{HIGHLIGHT_STOP}", text)


def snippet(story: Story, query: str) -> SafeString:
    """What a search result shows under its headline: matches in the body, or else the standfirst."""
    found = getattr(story, "search_snippet", "")
    if HIGHLIGHT_START in found:
        return marked_html(found, from_html=True)
    return marked_html(mark_words(story.standfirst, query))
