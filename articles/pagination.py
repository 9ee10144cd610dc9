"""Pagination for public story lists, capped in depth so every page costs about the same.

A page deep in a list is an OFFSET scan over every story before it, and an exact count reads the
whole list. Readers page back a few screens, not thousands: lists stop at ``MAX_PAGES`` (older
stories stay reachable by search, their sections' feeds and the sitemaps), and the count stops there too.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

MAX_PAGES = 50


class CappedPaginator(Paginator):
    """A paginator that shows at most ``MAX_PAGES`` pages and never counts further than that."""

    @cached_property
    def count(self) -> int:
        """The number of items, up to the last one a reader can page to (a bounded COUNT)."""
        limit = MAX_PAGES * self.per_page
        return self.object_list[:limit].count() if hasattr(self.object_list, "count") else len(self.object_list[:limit])
