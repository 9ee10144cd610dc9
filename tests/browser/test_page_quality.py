"""How the story page prints and how much it weighs: measured in Chromium, written to test-artifacts/."""

import gzip
import json

from playwright.sync_api import expect

from articles.models import Story
from tests.browser.waiting import wait_until

NIGHT_BUSES = "Night buses to link Soweto and Sandton from next month after council vote"
TEXT_TYPES = {"document", "stylesheet", "script", "xhr", "fetch", "manifest"}
# Budget for one story page with its hero picture, on a first visit with an empty cache.
MAX_BYTES = 350_000
MAX_REQUESTS = 12


def test_printed_story_keeps_the_words_and_picture_without_the_site_around_them(page, artifacts, screenshot):
    page.goto(Story.objects.get(headline=NIGHT_BUSES).get_absolute_url())
    page.emulate_media(media="print")

    expect(page.get_by_role("heading", name=NIGHT_BUSES)).to_be_visible()
    for kept in [".story__hero img", ".story__body", ".byline"]:
        expect(page.locator(kept)).to_be_visible()
    for chrome in [".site-nav", ".site-search", ".skip-link", ".site-footer", ".related", ".tags", ".follow-us"]:
        expect(page.locator(chrome).first).to_be_hidden()
    screenshot(page, "story-print")
    page.pdf(path=artifacts / "story-print.pdf", format="A4")


LAYOUT_SHIFT_OBSERVER = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__layoutShift += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


def test_story_page_is_light_with_no_web_fonts_blocking_scripts_or_layout_shift(reader_page, viewport, artifacts):
    page, device = reader_page, viewport[0]
    page.add_init_script(LAYOUT_SHIFT_OBSERVER)
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))

    page.goto(Story.objects.get(headline=NIGHT_BUSES).get_absolute_url(), wait_until="load")
    wait_until(page, "[...document.images].every((img) => img.complete)")
    weight = _weigh(requests)
    _record(artifacts, device, weight)

    assert weight["requests"] <= MAX_REQUESTS, weight
    assert weight["bytes"] <= MAX_BYTES, weight
    assert weight["by_type"].get("font", {"requests": 0})["requests"] == 0
    assert all(item["url"].startswith(page.url.split("/story/")[0]) for item in weight["items"])
    blocking_scripts = "script:not([async]):not([defer]):not([type=module]):not([type='application/ld+json'])"
    assert page.locator(blocking_scripts).count() == 0
    unsized = page.evaluate(
        "[...document.images].filter((img) => !(img.getAttribute('width') > 0 && img.getAttribute('height') > 0))"
        ".map((img) => img.outerHTML)"
    )
    assert unsized == []
    assert page.evaluate("window.__layoutShift") < 0.01


def _weigh(requests) -> dict:
    items = []
    for request in requests:
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        gzipped = body
        if request.resource_type in TEXT_TYPES and body:
            gzipped = len(gzip.compress(request.response().body(), compresslevel=6))
        items.append(
            {
                "url": request.url,
                "type": request.resource_type,
                "bytes": body + sizes["responseHeadersSize"],
                "body_bytes": body,
                "gzip_body_bytes": gzipped,
            }
        )
    by_type: dict[str, dict] = {}
    for item in items:
        totals = by_type.setdefault(item["type"], {"requests": 0, "bytes": 0})
        totals["requests"] += 1
        totals["bytes"] += item["bytes"]
    return {
        "requests": len(items),
        "bytes": sum(item["bytes"] for item in items),
        "bytes_with_gzip_text": sum(item["gzip_body_bytes"] + item["bytes"] - item["body_bytes"] for item in items),
        "by_type": by_type,
        "items": items,
    }


def _record(artifacts, device: str, weight: dict) -> None:
    path = artifacts / "page-weight.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report[f"story-{device}"] = weight
    path.write_text(json.dumps(report, indent=2) + "\n")
    summary = f"story page on {device}: {weight['requests']} requests, {weight['bytes']:,} bytes"
    print(f"{summary} ({weight['bytes_with_gzip_text']:,} with text compressed)")  # noqa: T201
