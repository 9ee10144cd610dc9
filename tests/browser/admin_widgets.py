"""Working the admin's widgets the way staff do: autocomplete selects, popups, the rich-text editor."""

import base64

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


def drag_select(page: Page, editable: Locator, words: str) -> None:
    """Select ``words`` in ``editable`` with the mouse, as a writer does: press on the first letter, drag to
    the last."""
    box = editable.evaluate(
        """(root, words) => {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const rects = range.getClientRects();
                const first = rects[0], last = rects[rects.length - 1];
                return {
                    x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2,
                };
            }
            return null;
        }""",
        words,
    )
    assert box, f"{words!r} is not in the text"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    expect(editable).to_be_focused()
    page.wait_for_function("(words) => getSelection().toString() === words", arg=words)


def drop_file(target: Locator, name: str, content: bytes, mime: str = "image/jpeg") -> None:
    """Drop a file from the desktop onto ``target``, near its bottom edge (the browser's drag events, with the file)."""
    target.evaluate(
        """(element, [name, mime, data]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: mime}));
            const box = element.getBoundingClientRect();
            const point = {clientX: box.left + box.width / 2, clientY: box.bottom - 4};
            for (const type of ["dragenter", "dragover", "drop"]) {
                const event = new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: transfer, ...point});
                element.dispatchEvent(event);
            }
        }""",
        [name, mime, base64.b64encode(content).decode()],
    )
