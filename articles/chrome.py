"""The site chrome: what every public page shows around its content, kept on the publication's row.

The sections menu, the social links and the breaking-news banner change only when an editor changes
them or when a banner's time comes. The first request after such a change works them out (one query,
``Publication.site_chrome_rows``) and keeps them on the publication's row; every later request reads
them with the row, whether or not any cache holds them.

``forget`` runs on every retirement (``newsroom.cachetags.on_retire``), inside the transaction making
the change: a retirement of ``SITE`` empties the kept chrome and moves its version on. The chrome is
kept only if that version has not moved since the row was read, so chrome worked out from rows older
than a committed change is never kept (the same rule as a story's markup, ``articles.rendering``). A
banner's own time is kept with it (``until``): once it has come, the chrome is worked out again.
"""

from django.db.models import F
from django.utils import timezone

from articles.models import Publication
from newsroom.cachetags import SITE

BREAKING_LIMIT = 3


def load(now=None) -> dict:
    """The publication, its sections, its active social links and any breaking news: kept, or worked out now."""
    now = now or timezone.now()
    publication = Publication.objects.select_related("logo").filter(pk=1).first()
    if publication is None:
        Publication.load()
        publication = Publication.objects.select_related("logo").get(pk=1)
    kept = publication.kept_chrome
    if kept is None or (kept["until"] is not None and kept["until"] <= now.timestamp()):
        kept = Publication.site_chrome_rows(BREAKING_LIMIT, now)
        Publication.objects.filter(pk=1, kept_chrome_version=publication.kept_chrome_version).update(kept_chrome=kept)
    publication.section_rows = kept["section_rows"]
    publication.social_link_rows = kept["social_link_rows"]
    publication.breaking_rows = kept["breaking_rows"]
    return {
        "publication": publication,
        "nav_sections": publication.nav_sections,
        "social_links": publication.social_links,
        # A banner coming down or a breaking story going up retires SITE (articles.dependencies).
        "breaking_news": publication.breaking_news,
    }


def forget(tags: set[str]) -> None:
    """Empty the kept chrome when something every page shows changed (``SITE`` retired)."""
    if SITE in tags:
        Publication.objects.filter(pk=1).update(kept_chrome=None, kept_chrome_version=F("kept_chrome_version") + 1)
