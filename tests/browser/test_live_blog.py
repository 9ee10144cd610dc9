"""Live blogs in a browser: a reporter posts from the story's Live coverage page, and a reader with the live
blog open is told of the new entry and shows it with a click, without a reload."""

from playwright.sync_api import expect

from articles import live
from articles.models import Byline, Story
from tests.browser.accessibility import audit, describe
from tests.browser.conftest import VIEWPORTS
from tests.browser.signing_in import sign_in
from tests.factories import make_author, make_staff


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
    violations = audit(page)
    assert not violations, describe(violations)


def test_reporter_posts_an_entry_from_the_story_form_in_two_clicks(page):
    story = Story.objects.get(live=True)
    reporter = make_staff("rita", roles=["Reporter"])
    Byline.objects.create(story=story, author=make_author("Rita Dube", user=reporter), position=5)
    sign_in(page, reporter)
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    page.get_by_role("link", name="Live coverage (running)").click()
    expect(page.get_by_label("Byline:")).to_have_value(str(reporter.author.pk))
    page.get_by_label("Text:").fill("Rescue teams have reached the cars stuck at the low bridge.")
    page.get_by_role("button", name="Post the entry").click()

    expect(page.get_by_text("The entry is on the page.")).to_be_visible()
    expect(page.locator("#live-entries tbody tr").first).to_contain_text("What you need to know tonight")
    expect(page.locator("#live-entries")).to_contain_text("Rescue teams have reached the cars stuck at the low bridge.")
    violations = audit(page)
    assert not violations, describe(violations)
