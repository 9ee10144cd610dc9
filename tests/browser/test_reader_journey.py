"""Readers on a phone and on a desktop: the public pages in Chromium."""

from playwright.sync_api import expect

from tests.factories import make_section, make_story


def test_home_page_shows_the_latest_story(page):
    make_story("Water returns to Soweto after three days", section=make_section("News"))

    page.goto("/")

    lead = page.get_by_role("region", name="Top stories")
    expect(lead.get_by_role("link", name="Water returns to Soweto after three days")).to_be_visible()
