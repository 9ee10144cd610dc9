"""Readers on a phone (390x844) and a desktop (1366x768): home, section, story, topic, person, search."""

import re

from playwright.sync_api import expect

from articles.models import Person, Story

NIGHT_BUSES = "Night buses to link Soweto and Sandton from next month after council vote"


def test_reader_goes_from_the_home_page_to_a_story_and_follows_its_topic_person_and_search(
    reader_page, viewport, screenshot
):
    page, device = reader_page, viewport[0]
    page.goto("/")
    expect(page.get_by_role("region", name="Top stories").get_by_role("link", name=NIGHT_BUSES)).to_be_visible()
    screenshot(page, f"home-{device}")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="News").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("News")
    expect(page.get_by_role("navigation", name="Sections").get_by_role("link", name="News")).to_have_attribute(
        "aria-current", "page"
    )
    screenshot(page, f"section-{device}")

    page.get_by_role("main").get_by_role("link", name=NIGHT_BUSES).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NIGHT_BUSES)
    expect(page.get_by_role("img", name=Story.objects.get(headline=NIGHT_BUSES).hero_image.alt_text)).to_be_visible()
    screenshot(page, f"story-{device}")

    page.get_by_role("navigation", name="Topics").get_by_role("link", name="Soweto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soweto")
    page.get_by_role("main").get_by_role("link", name=NIGHT_BUSES).click()

    quote = "Shift workers have been paying for private transport at night"
    person = Person.objects.get(quotes__text__startswith=quote)
    page.get_by_role("complementary", name="Who said what").get_by_role("link", name=person.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person.name)
    expect(page.get_by_role("main").get_by_text(quote)).to_be_visible()
    screenshot(page, f"person-{device}")

    search = page.get_by_role("search").first
    search.get_by_role("searchbox", name="Search stories").fill("night buses")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=night\+buses"))
    expect(page.get_by_role("status")).to_contain_text("for “night buses”")
    screenshot(page, f"search-{device}")
    page.get_by_role("main").get_by_role("link", name=NIGHT_BUSES).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NIGHT_BUSES)


def test_keyboard_reader_skips_to_the_content_and_opens_the_lead_story(reader_page):
    page = reader_page
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    lead = page.get_by_role("region", name="Top stories").get_by_role("link", name=NIGHT_BUSES)
    expect(lead).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(NIGHT_BUSES)


PASTED_LINK = "https://maps.example/place/OrangeFarmClinic/data=4m6z3m5z1s0x1e950b7c3a1d2f45x0y9f8e7d6c5b4a3210"


def test_long_unbroken_words_wrap_instead_of_pushing_the_page_sideways(reader_page, viewport, screenshot):
    page, device = reader_page, viewport[0]
    story = Story.objects.get(headline=NIGHT_BUSES)
    story.body += f"<p>The council's notice is at {PASTED_LINK}</p>"
    story.save()

    page.goto(story.get_absolute_url())
    expect(page.get_by_text(PASTED_LINK)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("search").first.get_by_role("searchbox", name="Search stories").fill(PASTED_LINK * 2)
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text(f"for “{PASTED_LINK}")
    screenshot(page, f"search-long-query-{device}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
