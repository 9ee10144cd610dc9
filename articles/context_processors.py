"""Data every public page shows: the publication, its sections, its social links and any breaking news."""

from articles.models import Publication
from newsroom import cachetags

BREAKING_LIMIT = 3


def _load_chrome() -> dict:
    publication = Publication.load_with_site_chrome(BREAKING_LIMIT)  # one query
    return {
        "publication": publication,
        "nav_sections": publication.nav_sections,
        "social_links": publication.social_links,
        # A banner coming down or a breaking story going up retires SITE (articles.dependencies).
        "breaking_news": publication.breaking_news,
    }


def site_chrome(request) -> dict:
    """The site chrome, built once until something every page shows changes, and shared through the cache."""
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        chrome = request._site_chrome = cachetags.remember("chrome", _load_chrome)
    return chrome


def publication(request):
    return site_chrome(request)
