"""Pagination for public story lists, capped in depth so every page costs about the same.

A page deep in a list is an OFFSET scan over every story before it, and an exact count reads the
whole list. Readers page back a few screens, not thousands: lists stop at ``MAX_PAGES`` (older
stories stay reachable by search, their sections' feeds and the sitemaps), and the count stops there too.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
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
