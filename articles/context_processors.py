"""Data every public page shows: the publication, its sections, its social links and any breaking news."""

from articles import chrome
from newsroom import cachetags


def site_chrome(request) -> dict:
    """The site chrome (``articles.chrome``), shared through the cache until something every page shows changes."""
    site = getattr(request, "_site_chrome", None)
    if site is None:
        site = request._site_chrome = cachetags.remember("chrome", chrome.load)
    return site


def publication(request):
    return site_chrome(request)
