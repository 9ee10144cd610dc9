"""Data every public page shows: the publication, its sections, its social links and any breaking news."""

from articles.models import Publication, Section, SocialLink, Story
from newsroom import cachetags

BREAKING_LIMIT = 3


def _load_chrome() -> dict:
    return {
        "publication": Publication.objects.select_related("logo").filter(pk=1).first() or Publication.load(),
        "nav_sections": list(Section.objects.all()),
        "social_links": list(SocialLink.objects.active()),
        # A banner coming down or a breaking story going up retires SITE (articles.dependencies).
        "breaking_news": list(Story.objects.published().breaking().only("headline", "slug")[:BREAKING_LIMIT]),
    }


def site_chrome(request) -> dict:
    """The site chrome, built once until something every page shows changes, and shared through the cache."""
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        chrome = request._site_chrome = cachetags.remember("chrome", _load_chrome)
    return chrome


def publication(request):
    return site_chrome(request)
