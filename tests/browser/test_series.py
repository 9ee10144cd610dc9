"""A series in a browser: a reader of one story finds the rest of the running story in the editor's order,
follows the series' link to its page and reads the stories there in the same order."""

from playwright.sync_api import expect

from articles.models import SeriesStory, Story
from tests.browser.accessibility import audit, describe
from tests.browser.conftest import VIEWPORTS


def _members_in_order() -> tuple[str, list[Story]]:
    """The demo series' name and its published stories, as the editor ordered them."""
    memberships = SeriesStory.objects.select_related("series", "story").order_by("series__pk", "position", "pk")
    first = memberships.first()
    published = Story.objects.published().values_list("pk", flat=True)
    stories = [m.story for m in memberships.filter(series=first.series) if m.story_id in set(published)]
    return first.series.name, stories


def test_reader_goes_from_a_story_to_its_series_and_reads_it_in_order(new_context):
    name, stories = _members_in_order()
    assert len(stories) >= 3, "the demo series has at least three published stories"
    page = new_context(viewport=VIEWPORTS["phone"]).new_page()
    page.goto(stories[1].get_absolute_url())

    block = page.get_by_role("region", name=f"More in this series: {name}")
    expect(block).to_be_visible()
    others = [story.headline for story in stories if story.pk != stories[1].pk]
    teasers = block.locator(".teaser__headline")
    expect(teasers).to_have_text(others)  # the story itself is left out, the others keep their order
    violations = audit(page)
    assert not violations, describe(violations)

    block.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    listed = page.locator("main article.teaser .teaser__headline")
    expect(listed).to_have_text([story.headline for story in stories])
    violations = audit(page)
    assert not violations, describe(violations)

    listed.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(stories[0].headline)
