"""Editors in Chromium: the review queue, the diff, scheduling, and two editors saving the same story."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from articles import publishing
from articles.models import Section, Story
from tests.browser.signing_in import sign_in
from tests.factories import make_author, make_staff, make_story, make_totp_device

TYPO = "Orlando West library to open on Sundys from next month"
FIXED = "Orlando West library to open on Sundays from next month"


def _submitted_story(reporter) -> Story:
    """A reporter's draft, revised once (a longer body) and sent for review."""
    author = make_author("Rita Dube", user=reporter)
    story = make_story(
        TYPO,
        status=Story.Status.DRAFT,
        section=Section.objects.get(name="News"),
        authors=[author],
        created_by=reporter,
        standfirst="Readers asked for a seventh day; the city agreed.",
        body="<p>The branch will open on Sundays.</p>",
    )
    story.body = "<p>The branch will open from 10am to 4pm on Sundays, the council said.</p>"
    publishing.save_story(story=story, by=reporter, changed_fields=["body"])
    return publishing.submit_for_review(story=story, by=reporter)


def test_editor_reviews_the_diff_fixes_the_headline_and_schedules_the_story(
    page, new_context, screenshot, expected_console_errors
):
    story = _submitted_story(make_staff("rita", roles=["Reporter"]))
    editor = make_staff("eddie", roles=["Editor"])
    sign_in(page, editor, device=make_totp_device(editor))  # editors always confirm a one-time code

    queue = page.locator("#dashboard-review")
    expect(queue.get_by_role("heading")).to_have_text("Awaiting review, oldest first")
    screenshot(page, "dashboard")
    queue.get_by_role("link", name=TYPO).click()
    page.get_by_role("link", name="History").click()
    first_draft = page.get_by_role("row").filter(has_text="Created")
    first_draft.get_by_role("radio", name="Compare from this revision").check()
    page.get_by_role("button", name="Compare the chosen revisions").click()
    changed = page.locator(".body-diff .body-block--changed")
    expect(changed.locator(".body-block__label")).to_have_text("Changed paragraph")
    expect(changed.locator("ins")).to_contain_text(["from 10am to 4pm", "the council said"])
    screenshot(page, "revision-compare")
    page.go_back()
    page.go_back()

    page.get_by_label("Headline:").fill(FIXED)
    publish_at = timezone.localtime() + timedelta(minutes=1)
    schedule = page.locator(".form-row.field-publish_at")
    schedule.get_by_label("Date:").fill(publish_at.strftime("%Y-%m-%d"))
    schedule.get_by_label("Time:").fill(publish_at.strftime("%H:%M:%S"))
    # A later time typed: the primary button says what it will do.
    expect(page.get_by_role("button", name="Schedule", exact=True)).to_have_count(2)
    page.get_by_role("button", name="Schedule", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("Scheduled for")

    story.refresh_from_db()
    assert story.headline == FIXED
    assert story.is_scheduled()
    reader = new_context().new_page()
    expected_console_errors.append("status of 404 (Not Found)")  # the story page, before its time
    assert reader.goto(story.get_absolute_url()).status == 404
    reader.goto("/")
    expect(reader.get_by_role("link", name=FIXED)).to_have_count(0)

    with time_machine.travel(story.published_at + timedelta(seconds=1)):
        reader.goto(story.get_absolute_url())
        expect(reader.get_by_role("heading", level=1)).to_have_text(FIXED)
        reader.goto("/")
        expect(reader.get_by_role("link", name=FIXED).first).to_be_visible()


def test_two_editors_saving_one_story_merge_and_choose_where_they_both_changed_a_field(new_context, screenshot):
    story = make_story("Taxi fares stay flat", section=Section.objects.get(name="Business"), standfirst="Old summary.")
    desks = []
    for name in ("thandi", "sipho"):
        editor = make_staff(name, roles=["Editor"])
        desk = new_context().new_page()
        sign_in(desk, editor, device=make_totp_device(editor))
        desk.goto(f"/admin/articles/story/{story.pk}/change/")
        desks.append(desk)
    first, second = desks

    first.get_by_label("Headline:").fill("Taxi fares stay flat for a third month")
    first.get_by_role("button", name="Update", exact=True).first.click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    second.get_by_label("Standfirst:").fill("Associations will hold fares despite the fuel price cut.")
    second.get_by_role("button", name="Update", exact=True).first.click()
    expect(second.locator(".messagelist")).to_contain_text("kept their changes to Headline")
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == (
        "Taxi fares stay flat for a third month",
        "Associations will hold fares despite the fuel price cut.",
    )

    # Both change the headline: the second sees both and chooses.
    first.get_by_label("Headline:").fill("Taxi fares frozen again")
    second.get_by_label("Headline:").fill("Fares unchanged for a third month")
    first.get_by_role("button", name="Update", exact=True).first.click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")
    second.get_by_role("button", name="Update", exact=True).first.click()

    expect(second.locator(".errorlist")).to_contain_text("Nothing has been saved yet")
    choice = second.get_by_role("group", name="Headline")
    expect(choice.locator("#merge-headline-theirs-value")).to_have_text("Taxi fares frozen again")
    expect(choice.locator("#merge-headline-mine-value")).to_have_text("Fares unchanged for a third month")
    screenshot(second, "merge-choice")
    choice.get_by_label("Keep mine").check()
    second.get_by_role("button", name="Update", exact=True).first.click()
    expect(second.locator(".messagelist")).to_contain_text("your choice for Headline (yours)")
    story.refresh_from_db()
    assert story.headline == "Fares unchanged for a third month"
