"""Working the admin's widgets the way staff do: autocomplete selects, popups, the rich-text editor."""

from playwright.sync_api import Locator, Page, expect


def choose(page: Page, field: Locator, text: str) -> None:
    """Open the autocomplete select in ``field`` (its form row), search for ``text`` and pick it."""
    field.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-container--open .select2-results").get_by_role("option", name=text, exact=True).click()
    expect(field.locator(".select2-selection__rendered")).to_contain_text(text)


def add_in_popup(page: Page, link: Locator, fill) -> None:
    """Click an "Add another ..." link, fill the popup with ``fill(popup)``, save it and wait for it to close."""
    with page.expect_popup() as opened:
        link.click()
    popup = opened.value
    popup.wait_for_load_state()  # the admin's scripts bind their fields on load; typing earlier can race them
    fill(popup)
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Save", exact=True).click()


def select_backwards(page: Page, characters: int) -> None:
    """Select the ``characters`` before the caret with the keyboard (Shift+Left)."""
    for _ in range(characters):
        page.keyboard.press("Shift+ArrowLeft")
