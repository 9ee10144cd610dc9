"""A reporter files a story in Chromium: rich text by toolbar and keyboard, a quote typed in the quotes list,
tags, a hero picture uploaded in the page."""

import re

from playwright.sync_api import expect

from articles.models import Story
from tests.browser.admin_widgets import add_in_popup, choose, select_backwards
from tests.browser.signing_in import sign_in
from tests.factories import jpeg_bytes, make_author, make_staff

HEADLINE = "Soweto library opens on Sundays after readers sign a petition"
LINK = "https://highveldherald.example/petition"


def test_reporter_writes_a_story_with_the_editor_submits_it_for_review_and_cannot_publish(
    page, tmp_path, screenshot, expected_console_errors
):
    reporter = make_staff("rita", roles=["Reporter"])
    make_author("Rita Dube", user=reporter)
    photo = tmp_path / "library-queue.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1000, color=(40, 90, 160)))

    sign_in(page, reporter)  # reporters need no second factor unless the newsroom asks for it
    page.goto("/admin/articles/story/add/")
    page.get_by_label("Headline:").fill(HEADLINE)
    page.get_by_label("Standfirst:").fill("More than 2,000 readers asked for a seventh day; the city agreed.")
    _write_body(page)

    page.get_by_role("radio", name="News").check()
    page.get_by_label("Tags:").fill("Libraries, Soweto")
    # The story's picture is uploaded in the page's own panel: no window opens.
    page.get_by_role("button", name="Upload a new picture").click()
    _describe_photo(page.get_by_role("dialog", name="Place a picture"), photo)
    expect(page.locator(".field-hero_image .select2-selection__rendered")).to_contain_text("library-queue.jpg")
    expect(page.locator(".field-hero_image [data-image-chooser-preview] img")).to_be_visible()
    page.get_by_label("Hero caption:").fill("Readers queued before the doors opened on Sunday.")

    page.get_by_role("button", name="Add another Byline").click()
    choose(page, page.locator("#bylines-group tr.dynamic-bylines").first, "Rita Dube")
    page.get_by_role("button", name="Add another Quote").click()
    quote = page.locator("#quotes-group .dynamic-quotes").first
    add_in_popup(page, quote.get_by_role("link", name="Add another person"), _describe_librarian)
    expect(quote.locator(".select2-selection__rendered")).to_contain_text("Zanele Khumalo")
    quote.get_by_label("What they said:").fill("People work six days a week. Sunday is when they can read.")
    quote.get_by_label("Introduction:").fill("the branch librarian")

    page.get_by_role("button", name="Save draft").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    screenshot(page, "story-form-reporter")
    page.get_by_role("button", name="Submit for review").first.click()
    expect(page.locator(".messagelist")).to_contain_text("Saved and submitted for review.")

    story = Story.objects.get(headline=HEADLINE)
    assert story.status == Story.Status.SUBMITTED
    assert "<h2>Why Sunday</h2>" in story.body
    assert "<strong>2,000 signatures</strong>" in story.body
    assert re.search(rf'<a [^>]*href="{LINK}"[^>]*>petition page</a>', story.body)
    assert "<blockquote><p>A library that is closed when people are free is no library.</p></blockquote>" in story.body
    assert sorted(story.tags.names()) == ["Libraries", "Soweto"]
    assert (story.hero_image.alt_text, story.hero_image.credit) == ("Readers queue outside a library", "Rita Dube")
    assert story.hero_image.uploaded_by == reporter
    assert [(q.person.name, q.text[:10]) for q in story.quotes.all()] == [("Zanele Khumalo", "People wor")]
    assert [author.name for author in story.byline_authors] == ["Rita Dube"]

    expected_console_errors.append("status of 403 (Forbidden)")
    _reporter_cannot_publish(page, story)


def _write_body(page):
    """A paragraph, a subheading from the toolbar, bold from the keyboard, a link and a blockquote."""
    editor = page.locator(".field-body [contenteditable=true]")
    editor.click()
    page.keyboard.type("The branch in Orlando West will open from 10am to 4pm on Sundays from next month.")
    page.keyboard.press("Enter")
    page.locator(".field-body .prose-menubar__selected").first.click()
    page.get_by_role("button", name="Heading 2").click()
    page.keyboard.type("Why Sunday")
    page.keyboard.press("Enter")
    page.keyboard.type("The petition gathered ")
    page.keyboard.press("Control+b")
    page.keyboard.type("2,000 signatures")
    page.keyboard.press("Control+b")
    page.keyboard.type(" in three weeks; read the petition page")
    select_backwards(page, len("petition page"))
    page.get_by_role("button", name="insert link").click()
    page.get_by_role("dialog").get_by_label("URL").fill(LINK)
    page.get_by_role("dialog").get_by_role("button", name="Update").click()
    expect(editor.get_by_role("link", name="petition page")).to_have_attribute("href", LINK)
    # The editor takes the keyboard back on the next animation frame, with the linked words selected.
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    expect(editor).to_be_focused()
    page.keyboard.press("End")
    page.wait_for_function("getSelection().isCollapsed")
    page.keyboard.press("Enter")
    page.keyboard.type("A library that is closed when people are free is no library.")
    page.get_by_role("button", name="blockquote").click()
    expect(editor.locator("blockquote")).to_have_text("A library that is closed when people are free is no library.")


def _describe_photo(panel, photo):
    panel.get_by_label("Picture file").set_input_files(photo)
    panel.get_by_label("Alt text").fill("Readers queue outside a library")
    panel.get_by_label("Credit").fill("Rita Dube")
    panel.get_by_role("button", name="Use as the story's picture").click()
    expect(panel).to_be_hidden()


def _describe_librarian(popup):
    popup.get_by_label("Name:").fill("Zanele Khumalo")
    popup.get_by_label("Description:").fill("Librarian at the Orlando West branch")


def _reporter_cannot_publish(page, story):
    """No publish button, and a publish sent anyway (a hand-made form field) is refused by the server."""
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.evaluate(
        """() => {
            const form = document.querySelector("#story_form");
            const forged = {type: "hidden", name: "_transition", value: "publish"};
            form.append(Object.assign(document.createElement("input"), forged));
            form.requestSubmit();
        }"""
    )
    expect(page.locator(".errorlist.nonfield")).to_contain_text("Only editors may use “Publish”")
    story.refresh_from_db()
    assert story.status == Story.Status.SUBMITTED
    assert story.published_at is None
    reader = page.context.browser.new_context(base_url=page.url.split("/admin/")[0])
    assert reader.new_page().goto(story.get_absolute_url()).status == 404
    reader.close()
