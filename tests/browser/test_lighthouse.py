"""Lighthouse on the pages readers land on, the home page and a story page, as bench/lighthouse.py runs it
(a phone on a slow network, in the system's Chromium).

Accessibility, best practices and SEO must score at least 95. The performance score and the largest
contentful paint are written to test-artifacts/lighthouse.json and reported, not asserted: timings
belong to `make bench`, which reports them too.
"""

import json
from pathlib import Path

import pytest

from articles.models import Story
from bench import lighthouse

ARTIFACT = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "lighthouse.json"
FLOOR = 95
ASSERTED = ("accessibility", "best-practices", "seo")


def _story_with_picture() -> Story:
    return Story.objects.published().exclude(hero_image=None).order_by("-published_at").first()


@pytest.mark.parametrize("page", ["home", "story"])
def test_lighthouse_scores_the_reader_pages_at_95_or_more(page, live_server):
    path = "/" if page == "home" else _story_with_picture().get_absolute_url()
    measured = lighthouse.summary(lighthouse.report(live_server.url + path))

    ARTIFACT.parent.mkdir(exist_ok=True)
    kept = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
    ARTIFACT.write_text(json.dumps(kept | {page: {"path": path, **measured}}, indent=2) + "\n")
    below = {name: measured["scores"][name] for name in ASSERTED if measured["scores"][name] < FLOOR}
    assert below == {}, measured["flagged"]
