"""The editorial workflow in a real browser: unsaved work survives a closed tab, the schedule, share links."""

import time

from playwright.sync_api import expect

from articles.models import Story, StoryAutosave
from tests.browser.signing_in import sign_in
from tests.factories import make_staff, make_totp_device


def wait_for(condition, seconds: float = 10.0):
    """Poll the database until ``condition()`` is true (the browser's requests are asynchronous)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError("the condition never became true")


def test_unsaved_changes_are_kept_and_offered_again_after_the_tab_is_closed(new_context, settings, screenshot):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 5
    editor = make_staff("edna", roles=["Editor"], first_name="Edna")
    story = Story.objects.filter(status=Story.Status.PUBLISHED).first()
    context = new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, editor, device=make_totp_device(editor))

    # Typing is kept every few seconds without saving the story.
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    page.get_by_label("Headline").fill("A headline typed but never saved")
    expect(page.locator("#story-autosave")).to_contain_text("Unsaved changes kept at", timeout=15_000)
    kept = StoryAutosave.objects.get(user=editor, story=story)
    assert kept.data["headline"] == ["A headline typed but never saved"]
    assert Story.objects.get(pk=story.pk).headline == story.headline

    # Leaving the page sends what changed since, even before the next round.
    page.get_by_label("Standfirst").fill("A standfirst typed just before the tab closed.")
    page.close()
    wait_for(
        lambda: (
            StoryAutosave.objects.get(user=editor, story=story).data["standfirst"]
            == ["A standfirst typed just before the tab closed."]
        )
    )

    # Reopening the story offers the kept changes; restoring puts them back in the form.
    page = context.new_page()
    page.goto(f"/admin/articles/story/{story.pk}/change/")
    banner = page.get_by_role("alert").filter(has_text="that were never saved")
    expect(banner).to_be_visible()
    screenshot(page, "story-form-unsaved-changes")
    banner.get_by_role("link", name="Restore them").click()
    expect(page.get_by_label("Headline")).to_have_value("A headline typed but never saved")
    expect(page.get_by_label("Standfirst")).to_have_value("A standfirst typed just before the tab closed.")
    # "Update" for a live story, "Save changes" for a scheduled one: the button that saves and stays.
    page.locator("#story_form button[name=_continue]").first.click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    assert Story.objects.get(pk=story.pk).headline == "A headline typed but never saved"
    assert not StoryAutosave.objects.exists()


def test_a_reporter_submits_and_the_editor_sees_it_on_the_dashboard(new_context, screenshot):
    reporter = make_staff("rita", roles=["Reporter"], first_name="Rita")
    editor = make_staff("edna", roles=["Editor"], first_name="Edna")
    draft = Story.objects.exclude(status=Story.Status.PUBLISHED).first()
    draft.created_by = reporter
    draft.status = Story.Status.DRAFT
    draft.save()

    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, reporter)
    page.goto(f"/admin/articles/story/{draft.pk}/change/")
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    page.get_by_label("Note to the editor").fill("Second source confirmed by phone.")
    page.get_by_role("button", name="Submit for review").first.click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()

    page = new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in(page, editor, device=make_totp_device(editor))
    review = page.locator("#dashboard-review")
    expect(review.get_by_role("link", name=draft.headline)).to_be_visible()
    expect(review).to_contain_text("Second source confirmed by phone.")
    screenshot(page, "admin-dashboard-editor")
