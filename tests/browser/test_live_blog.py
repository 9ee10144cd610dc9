"""A reader with a live blog open: a new entry is announced, and shown with a click, without a reload."""

from playwright.sync_api import expect

from articles import live
from articles.models import Story
from tests.browser.conftest import VIEWPORTS


def test_reader_is_told_of_a_new_entry_and_sees_it_after_clicking_the_notice(new_context, settings, page_cache):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 1
    story = Story.objects.get(live=True)
    page = new_context(viewport=VIEWPORTS["desktop"]).new_page()
    page.goto(story.get_absolute_url())
    blog = page.get_by_role("region", name="Latest updates")
    entries = blog.locator(".live-entry")
    expect(entries.first).to_contain_text("What you need to know tonight")  # the pinned entry, on top
    shown = entries.count()
    page.reload()  # the second reader of the page gets it from the page cache
    expect(entries).to_have_count(shown)

    live.post_entry(story=story, by=None, body="The M1 south has reopened in both directions.")

    notice = blog.get_by_role("button", name="1 new update")
    expect(notice).to_be_visible()
    expect(entries).to_have_count(shown)  # nothing moves until the reader asks
    notice.click()
    expect(entries).to_have_count(shown + 1)
    expect(entries.first).to_contain_text("What you need to know tonight")
    expect(entries.nth(1)).to_contain_text("The M1 south has reopened in both directions.")
    expect(notice).to_have_count(0)
