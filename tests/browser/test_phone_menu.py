"""The public section menu on a 360-pixel phone: one line that scrolls sideways, every section reachable."""

from playwright.sync_api import expect

from articles.models import Section
from tests.browser.accessibility import audit, describe

PHONE = {"width": 360, "height": 740}


def test_the_section_menu_is_one_line_on_a_360_pixel_phone_and_reaches_every_section(new_context, screenshot):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto("/")
    links = page.locator(".site-nav a")
    expect(links).to_have_count(Section.objects.count())

    rows = links.evaluate_all("links => new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size")
    assert rows == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # only the menu scrolls
    assert page.locator(".site-nav").evaluate("nav => nav.scrollWidth > nav.clientWidth")
    assert not (violations := audit(page)), describe(violations)
    screenshot(page, "phone-360-home-menu")

    last = Section.objects.order_by("-position", "-name").first()
    link = page.locator(".site-nav").get_by_role("link", name=last.name, exact=True)
    link.scroll_into_view_if_needed()
    expect(link).to_be_in_viewport()
    link.tap()
    expect(page).to_have_url(last.get_absolute_url())
    expect(page.locator(".site-nav [aria-current=page]")).to_have_text(last.name)
    screenshot(page, "phone-360-section")
