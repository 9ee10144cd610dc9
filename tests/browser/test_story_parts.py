"""An editor marks a commentary part from the body editor's block menu; readers see it labelled."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Section, Story
from tests.browser.signing_in import sign_in
from tests.factories import make_author, make_staff, make_story, make_totp_device


def test_editor_marks_a_subheading_as_commentary_and_readers_see_the_part_labelled(page, screenshot):
    story = make_story(
        "Toll bridge closes to lorries for cable repairs",
        status=Story.Status.DRAFT,
        section=Section.objects.get(name="News"),
        authors=[make_author("Rita Dube")],
        standfirst="Lorries use the ring road until May.",
        body="<p>The bridge closes to lorries on Monday.</p><h2>Our view</h2><p>The repairs are overdue.</p>",
    )
    editor = make_staff("eddie", roles=["Editor"])
    sign_in(page, editor, device=make_totp_device(editor))
    page.goto(f"/admin/articles/story/{story.pk}/change/")

    page.locator(".ProseMirror h2", has_text="Our view").click()
    page.locator(".prose-menubar__dropdown", has_text="Block style").click()
    page.get_by_text("Part kind: Commentary").click()
    expect(page.locator(".ProseMirror h2.part-commentary")).to_have_text("Our view")
    screenshot(page, "story-form-commentary-part")
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    story.refresh_from_db()
    assert 'data-kind="commentary"' in story.body
    Story.objects.filter(pk=story.pk).update(status="published", published_at=timezone.now() - timedelta(minutes=1))
    page.goto(story.get_absolute_url())
    part = page.get_by_role("region", name="Commentary: Our view")
    expect(part.locator(".story-part__label")).to_be_visible()
    expect(part).to_contain_text("The repairs are overdue.")
    screenshot(page, "story-page-commentary-part")
