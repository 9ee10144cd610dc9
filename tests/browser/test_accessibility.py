"""Accessibility in Chromium: axe-core on every kind of page and state (the story form's menu and panels, the
merge choice, revision compare), the keyboard, focus, language and motion."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Person, Section, Story
from tests.browser.accessibility import audit, describe
from tests.browser.admin_widgets import drag_select
from tests.browser.signing_in import sign_in
from tests.factories import make_author, make_person, make_staff, make_story, make_totp_device

NIGHT_BUSES = "Night buses to link Soweto and Sandton from next month after council vote"


def reader_pages() -> dict[str, str]:
    story = Story.objects.get(headline=NIGHT_BUSES)
    return {
        "home": "/",
        "section": Section.objects.get(name="News").get_absolute_url(),
        "story": story.get_absolute_url(),
        "search": "/search/?q=night+buses",
        "person": Person.objects.filter(has_profile=True, quotes__story=story).first().get_absolute_url(),
        "topic": "/tag/soweto/",
        "author": story.byline_authors[0].get_absolute_url(),
    }


def test_reader_pages_have_no_serious_or_critical_accessibility_violations(reader_page):
    found = {}
    for name, path in reader_pages().items():
        reader_page.goto(path)
        if violations := audit(reader_page):
            found[name] = describe(violations)

    assert not found, "\n".join(f"{name} ({path}):\n{report}" for name, (path, report) in _with_paths(found))


def _with_paths(found):
    paths = reader_pages()
    return [(name, (paths[name], report)) for name, report in found.items()]


def test_story_form_has_no_serious_or_critical_accessibility_violations(page, screenshot):
    editor = make_staff("eddie", roles=["Editor"])
    sign_in(page, editor, device=make_totp_device(editor))

    page.goto("/admin/articles/story/add/")
    expect(page.get_by_role("radio", name="News")).to_be_visible()
    expect(page.locator(".field-body [contenteditable=true]")).to_have_accessible_name(re.compile("^Body"))
    assert not (violations := audit(page)), describe(violations)

    page.goto(f"/admin/articles/story/{Story.objects.get(headline=NIGHT_BUSES).pk}/change/")
    expect(page.get_by_label("Headline:")).to_have_value(NIGHT_BUSES)
    page.get_by_role("button", name="Add another Quote").click()
    expect(page.locator(".dynamic-quotes").last.locator(".select2-selection")).to_have_accessible_name(
        re.compile("^Person")
    )
    assert not (violations := audit(page)), describe(violations)
    screenshot(page, "story-form")


def test_pages_declare_their_language_and_lead_with_a_working_skip_link(reader_page):
    for path in reader_pages().values():
        reader_page.goto(path)
        expect(reader_page.locator("html")).to_have_attribute("lang", re.compile(r"^en(-[a-z]{2})?$", re.IGNORECASE))
        reader_page.keyboard.press("Tab")
        skip_link = reader_page.get_by_role("link", name="Skip to content")
        expect(skip_link).to_be_focused()
        expect(skip_link).to_be_in_viewport(ratio=1)
        reader_page.keyboard.press("Enter")
        expect(reader_page.get_by_role("main")).to_be_focused()


FOCUS_STYLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        element: element.outerHTML.slice(0, 120),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
        ring: style.boxShadow !== "none",
    };
}"""


def test_keyboard_focus_is_always_visible_on_the_story_page(reader_page):
    reader_page.goto(Story.objects.get(headline=NIGHT_BUSES).get_absolute_url())
    invisible = []
    for _ in range(30):  # the header, the navigation, the story's links and on into the footer
        reader_page.keyboard.press("Tab")
        focus = reader_page.evaluate(FOCUS_STYLE)
        if not (focus["outline"] or focus["ring"]):
            invisible.append(focus["element"])

    assert not invisible, f"Focused without a visible indicator: {invisible}"


@pytest.mark.parametrize("path_name", ["home", "story"])
def test_readers_who_ask_for_reduced_motion_get_no_animation_or_transition(new_context, path_name):
    page = new_context(reduced_motion="reduce").new_page()
    page.goto(reader_pages()[path_name])

    moving = page.evaluate(
        """() => [...document.querySelectorAll("*")].flatMap((element) => {
            const style = getComputedStyle(element);
            const durations = [style.animationDuration, style.transitionDuration].join(",").split(",");
            const moves = style.animationName !== "none" || durations.some((d) => parseFloat(d) > 0)
                || style.scrollBehavior === "smooth";
            return moves ? [element.tagName + "." + element.className] : [];
        })"""
    )

    assert moving == []


def test_story_form_actions_and_editor_panels_have_no_serious_or_critical_accessibility_violations(page, screenshot):
    reporter = make_staff("rita", roles=["Reporter"])
    make_author("Rita Dube", user=reporter)
    make_person("Thandi Mokoena", description="nurse at the Orlando clinic")
    story = make_story(
        "Clinic hours extended",
        status=Story.Status.DRAFT,
        created_by=reporter,
        body="<p>“We open at six from Monday,” the nurse said.</p>",
    )
    sign_in(page, reporter)
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    found = {}

    def check(state):
        if violations := audit(page):
            found[state] = describe(violations)

    # The menu of other actions opens from the keyboard.
    more = page.locator(".story-actions__more").first
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(more.get_by_role("button", name="Save and close")).to_be_visible()
    check("More actions open")
    page.keyboard.press("Enter")  # the summary still has the focus: the menu closes
    expect(more.get_by_role("button", name="Save and close")).to_be_hidden()

    page.get_by_role("button", name="Picture:").click()
    panel = page.get_by_role("dialog", name="Place a picture")
    check("picture panel")
    panel.get_by_role("button", name="Place picture").click()
    expect(panel.locator(".editor-panel__status")).to_have_text("Choose a picture file first, or drop one here.")
    check("picture panel saying what is missing")
    panel.get_by_text("Or choose a picture from the library").click()
    expect(panel.locator(".picture-library__choice").first).to_be_visible()
    check("picture panel with the library")
    screenshot(page, "story-form-picture-library")
    panel.get_by_role("button", name="Cancel").click()

    drag_select(page, page.locator(".field-body [contenteditable=true]"), "We open at six from Monday")
    page.get_by_role("button", name=re.compile("^Quote:")).click()
    quote = page.get_by_role("dialog", name="Quote")
    quote.get_by_label("Who said it?").fill("Thandi")
    expect(quote.get_by_role("radio", name="Thandi Mokoena, nurse at the Orlando clinic")).to_be_visible()
    check("quote panel offering people on file")
    quote.get_by_role("radio", name="Someone new: Thandi").check()
    expect(quote.get_by_label("Role or description")).to_be_visible()
    check("quote panel with a new person")
    quote.get_by_label("Who said it?").fill("")
    quote.get_by_role("button", name="Save quote").click()
    expect(quote.locator(".editor-panel__status")).to_have_text("Type the name of the person who said it.")
    check("quote panel saying what is missing")
    screenshot(page, "story-form-quote-panel")

    assert not found, "\n".join(f"{state}:\n{report}" for state, report in found.items())


def test_merge_choice_and_revision_compare_have_no_serious_or_critical_accessibility_violations(
    new_context, screenshot
):
    story = make_story("Taxi fares stay flat", section=Section.objects.get(name="Business"), standfirst="Old summary.")
    desks = []
    for name in ("thandi", "sipho"):
        editor = make_staff(name, roles=["Editor"])
        desk = new_context().new_page()
        sign_in(desk, editor, device=make_totp_device(editor))
        desk.goto(f"/admin/articles/story/{story.pk}/change/")
        desks.append(desk)
    first, second = desks
    first.get_by_label("Headline:").fill("Taxi fares frozen again")
    second.get_by_label("Headline:").fill("Fares unchanged for a third month")
    second.get_by_label("Standfirst:").fill("Associations hold fares despite the fuel price cut.")
    first.get_by_role("button", name="Update", exact=True).first.click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")
    second.get_by_role("button", name="Update", exact=True).first.click()

    expect(second.get_by_role("group", name="Headline")).to_be_visible()
    # The editor's toolbar is judged by the story form tests above; here the merge choice is. (Whether axe
    # takes a toolbar icon for text depends on when its font's glyphs are drawn, which varies under load.)
    assert not (violations := audit(second, exclude=[".prose-menubar"])), "merge choice:\n" + describe(violations)
    second.get_by_role("group", name="Headline").get_by_label("Keep mine").check()
    second.get_by_role("button", name="Update", exact=True).first.click()
    expect(second.locator(".messagelist")).to_contain_text("your choice for Headline (yours)")

    second.get_by_role("link", name="History").click()
    second.get_by_role("button", name="Compare the chosen revisions").click()
    expect(second.locator(".revision-compare")).to_be_visible()
    assert not (violations := audit(second)), "revision compare:\n" + describe(violations)
    screenshot(second, "revision-compare-after-merge")
