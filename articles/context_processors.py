"""Data every public page shows: the publication, its sections, its social links and any breaking news."""

from articles import generation
from articles.models import Publication, Section, SocialLink, Story

BREAKING_LIMIT = 3


def _load_chrome() -> dict:
    return {
        "publication": Publication.objects.select_related("logo").filter(pk=1).first() or Publication.load(),
        "nav_sections": list(Section.objects.all()),
        "social_links": list(SocialLink.objects.active()),
        # The generation ends when a banner expires or a scheduled story goes up, so this stays right.
        "breaking_news": list(Story.objects.published().breaking().only("headline", "slug")[:BREAKING_LIMIT]),
    }


def site_chrome(request) -> dict:
    """The site chrome, built once per content generation and shared through the cache."""
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        chrome = request._site_chrome = generation.remember(request, "chrome", _load_chrome)
    return chrome


def publication(request):
    return site_chrome(request)
