"""Pagination for public story lists, capped in depth so every page costs about the same.

A page deep in a list is an OFFSET scan over every story before it, and an exact count reads the
whole list. Readers page back a few screens, not thousands: lists stop at ``MAX_PAGES`` (older
stories stay reachable by search, their sections' feeds and the sitemaps), and the count stops there too.
Story lists (sections, topics, authors, series) count nothing at all (``OpenEndedPaginator``); search
results, whose number readers are told, are counted up to the cap with the page's own rows
(``CountingPaginator``).
"""

from collections.abc import Callable

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import IntegerField, QuerySet, Subquery
from django.utils.functional import cached_property

MAX_PAGES = 50


class CappedPaginator(Paginator):
    """A paginator that shows at most ``MAX_PAGES`` pages and never counts further than that."""

    @cached_property
    def count(self) -> int:
        """The number of items, up to the last one a reader can page to (a bounded COUNT)."""
        limit = MAX_PAGES * self.per_page
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list[:limit])
        # Only the keys, in no order: the count leaves out what the page shows (bylines, snippets, ranks).
        return self.object_list.order_by().values("pk")[:limit].count()


class OpenEndedPage(Page):
    """A page that knows whether another follows from the one extra row read with it, not from a count."""

    def __init__(self, object_list, number: int, paginator: "OpenEndedPaginator", *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        if not self.more:
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise EmptyPage("That page number is less than 1")
        return self.number - 1

    def start_index(self) -> int:
        return self.paginator.per_page * (self.number - 1) + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class OpenEndedPaginator(CappedPaginator):
    """Pages of a story list read without counting it: each page reads one row more than it shows, to
    know whether an older page follows. Story lists offer "Newer" and "Older" and say which page this
    is, not how many there are; a page past the end, or past ``MAX_PAGES``, is not found."""

    open_ended = True

    def page(self, number) -> OpenEndedPage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= MAX_PAGES:
            raise EmptyPage("That page is not offered")
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        more = len(rows) > self.per_page and number < MAX_PAGES
        return OpenEndedPage(rows[: self.per_page], number, self, more=more)


class CountOf(Subquery):
    """How many rows a queryset gives, as a subquery the outer query reads once."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


class CountingPaginator(CappedPaginator):
    """Pages of search results whose rows carry the number of all matches (as ``matches``, capped at
    ``MAX_PAGES`` pages as ``CappedPaginator``'s count): one query per page. ``read(bottom=, size=)`` reads
    the rows. A page past the end shows the last page, found from the count its first row carries."""

    def __init__(self, read: Callable[..., list], per_page: int):
        super().__init__([], per_page)
        self.read = read

    def get_page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        rows = self.read(bottom=(number - 1) * self.per_page, size=self.per_page) if 1 <= number <= MAX_PAGES else []
        if not rows and number != 1:
            first = self.read(bottom=0, size=1)
            self.__dict__["count"] = first[0].matches if first else 0
            number = self.num_pages
            rows = self.read(bottom=(number - 1) * self.per_page, size=self.per_page) if first else []
        self.__dict__["count"] = rows[0].matches if rows else 0
        return self._get_page(rows, number, self)
