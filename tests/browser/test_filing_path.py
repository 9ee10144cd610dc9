"""The short path from idea to filed, measured: a new reporter files a whole story, counting what she does.

She writes a headline, a standfirst and a body with a subheading, drops a picture on the text and
describes it in the editor's panel, turns words of the body into a quote by naming the speaker,
chooses a section and tags, and submits for review. The test counts her clicks (a drag or a drop is
one), the fields she fills and the windows that open, and holds them to the figures in the README
("Filing a story: N clicks, M fields, 0 pop-ups"); the counts go to test-artifacts/filing-path.json.
"""

import json
import re
from pathlib import Path

from playwright.sync_api import expect

from articles.models import Person, Quote, Story
from media.models import Image
from tests.browser.accessibility import audit, describe
from tests.browser.admin_widgets import drag_select, drop_file
from tests.browser.signing_in import sign_in
from tests.factories import jpeg_bytes, make_author, make_staff

README = Path(__file__).resolve().parents[2] / "README.md"
FIGURES = re.compile(r"Filing a story: (\d+) clicks, (\d+) fields, (\d+) pop-ups")

HEADLINE = "Orlando West library opens on Sundays after 2,000 readers sign a petition"
QUOTED = "People work six days a week. Sunday is when they can read"


class Tally:
    """What the writer does on the way, as she does it: clicks, fields filled, and every window opened."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.fields = 0
        self.popups = []
        page.context.on("page", lambda opened: self.popups.append(opened.url))

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def check(self, locator):
        locator.check()
        self.clicks += 1

    def gesture(self, act, *args):
        """One movement of the mouse that is not a click: a drag selecting words, a file dropped."""
        act(*args)
        self.clicks += 1

    def fill(self, locator, text):
        locator.fill(text)
        self.fields += 1

    def typed_in(self, field):
        """A field written in with the keyboard (the body), counted once however long it is."""
        field.click()
        self.fields += 1


def readme_figures() -> tuple[int, int, int]:
    found = FIGURES.search(README.read_text(encoding="utf-8"))
    assert found, "README.md should give the figures as “Filing a story: N clicks, M fields, 0 pop-ups”"
    return tuple(int(n) for n in found.groups())


def assert_accessible(page):
    assert not (violations := audit(page)), describe(violations)


def test_a_new_reporter_files_a_whole_story_within_the_readme_figures_and_no_pop_up(page, screenshot, artifacts):
    reporter = make_staff("lerato", roles=["Reporter"], first_name="Lerato")
    make_author("Lerato Dube", user=reporter)
    sign_in(page, reporter)
    tally = Tally(page)

    tally.click(page.get_by_role("link", name="Start a story"))
    tally.fill(page.get_by_label("Headline:"), HEADLINE)
    tally.fill(page.get_by_label("Standfirst:"), "More than 2,000 readers asked for a seventh day; the city agreed.")

    body = page.locator(".field-body [contenteditable=true]")
    tally.typed_in(body)
    page.keyboard.type("The branch in Orlando West will open from 10am to 4pm on Sundays from next month.")
    page.keyboard.press("Enter")
    tally.click(page.locator(".field-body .prose-menubar__selected").first)  # block type; then "Block style"
    tally.click(page.get_by_role("button", name="Heading 2"))
    page.keyboard.type("Why Sunday")
    page.keyboard.press("Enter")
    page.keyboard.type(f"“{QUOTED},” said Zanele Khumalo, the branch librarian.")

    # A picture dropped on the text opens the editor's panel with it; she describes it and places it.
    tally.gesture(drop_file, body.locator("p").last, "queue.jpg", jpeg_bytes(1200, 800, color=(40, 90, 160)))
    panel = page.get_by_role("dialog", name="Place a picture")
    expect(panel.locator(".picture-preview img")).to_be_visible()
    tally.fill(panel.get_by_label("Alt text"), "Readers queue outside the Orlando West library")
    tally.fill(panel.get_by_label("Credit"), "Lerato Dube")
    tally.fill(panel.get_by_label("Caption"), "Readers queued before the doors opened.")
    assert_accessible(page)
    screenshot(page, "filing-1-picture-panel")
    tally.click(panel.get_by_role("button", name="Place picture"))
    expect(panel).to_be_hidden()
    expect(body.locator("figure img")).to_have_attribute("alt", "Readers queue outside the Orlando West library")

    # Words of the body become a quote: select them, Quote, name the speaker. The story is saved first.
    tally.gesture(drag_select, page, body, QUOTED)
    tally.click(page.get_by_role("button", name=re.compile("^Quote:")))
    quote_panel = page.get_by_role("dialog", name="Quote")
    expect(quote_panel.locator(".quote-panel__words")).to_have_text(QUOTED)
    tally.fill(quote_panel.get_by_label("Who said it?"), "Zanele Khumalo")
    expect(quote_panel.get_by_role("radio", name="Someone new: Zanele Khumalo")).to_be_checked()
    tally.fill(quote_panel.get_by_label("Age"), "52")
    tally.fill(quote_panel.get_by_label("Role or description"), "librarian")
    assert_accessible(page)
    screenshot(page, "filing-2-quote-panel")
    tally.click(quote_panel.get_by_role("button", name="Save quote"))
    expect(quote_panel).to_be_hidden()
    expect(body.locator("span[data-quote]")).to_have_text(QUOTED)

    tally.check(page.get_by_role("radio", name="News"))
    tally.fill(page.get_by_label("Tags:"), "Libraries, Soweto")
    screenshot(page, "filing-3-story-form")
    tally.click(page.get_by_role("button", name="Submit for review").first)
    expect(page.locator(".messagelist")).to_contain_text("Saved and submitted for review.")

    measured = {"clicks": tally.clicks, "fields": tally.fields, "pop-ups": len(tally.popups)}
    (artifacts / "filing-path.json").write_text(json.dumps(measured, indent=2) + "\n")
    clicks, fields, popups = readme_figures()
    assert measured["pop-ups"] == popups == 0
    assert measured["clicks"] <= clicks, measured
    assert measured["fields"] <= fields, measured

    story = Story.objects.get(headline=HEADLINE)
    quote = Quote.objects.get(story=story)
    image = Image.objects.get(alt_text="Readers queue outside the Orlando West library")
    assert story.status == Story.Status.SUBMITTED and story.created_by == reporter
    assert [author.name for author in story.byline_authors] == ["Lerato Dube"]
    assert story.section.name == "News" and sorted(story.tags.names()) == ["Libraries", "Soweto"]
    assert "<h2>Why Sunday</h2>" in story.body
    assert f'data-file="{image.pk}"' in story.body and "<figcaption>Readers queued before" in story.body
    assert f'<span data-quote="{quote.pk}">{QUOTED}</span>' in story.body
    assert (quote.text, quote.person.name, quote.introduction) == (QUOTED, "Zanele Khumalo", "a 52-year-old librarian")
    assert Person.objects.filter(name="Zanele Khumalo").count() == 1
    assert (image.credit, image.caption, image.uploaded_by) == (
        "Lerato Dube",
        "Readers queued before the doors opened.",
        reporter,
    )
