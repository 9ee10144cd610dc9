"""Previews of unpublished stories: for staff, and by signed share links that expire and can be revoked."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import timezone

from articles import previews, publishing
from articles.models import PreviewLink, Story
from tests.factories import log_in, ready_story

pytestmark = pytest.mark.django_db

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def assert_private(response, *, exact=True):
    for header, value in PRIVATE_HEADERS.items():
        assert response[header] == value or not exact, header
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives and "public" not in directives


def assert_private_in_admin(response):
    # The admin adds its own never-cache directives (no-cache, max-age=0) to the same effect.
    assert_private(response, exact=False)
    assert response["X-Robots-Tag"] == PRIVATE_HEADERS["X-Robots-Tag"]
    assert response["Referrer-Policy"] == PRIVATE_HEADERS["Referrer-Policy"]


def share(client, story, hours=72):
    """Create a share link on the admin page and return its URL path as shown there."""
    client.post(f"/admin/articles/story/{story.pk}/share/", {"hours": str(hours), "note": "legal check"})
    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/share/").content, "html.parser")
    url = page.select_one(".share-url").get_text()
    return url.removeprefix("http://testserver")


def test_staff_preview_shows_a_draft_as_readers_will_see_it(client, reporter):
    story = ready_story("Draft under embargo", created_by=reporter)
    log_in(client, reporter)

    response = client.get(f"/admin/articles/story/{story.pk}/preview/")

    assert response.status_code == 200
    assert_private_in_admin(response)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True) == "Draft under embargo"
    assert "Preview." in page.select_one(".preview-banner").get_text()
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert not page.find("script", src=lambda src: src and "story.js" in src)  # a preview is not a read
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_share_link_opens_the_draft_without_a_login(client, editor):
    story = ready_story("Quote check for the source")
    log_in(client, editor)
    url = share(client, story)
    client.logout()

    response = client.get(url)

    assert response.status_code == 200
    assert_private(response)
    assert BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True) == "Quote check for the source"
    link = PreviewLink.objects.get()
    assert link.note == "legal check" and link.created_by == editor
    assert link.expires_at - link.created_at == timedelta(hours=72)


def test_a_tampered_link_is_404(client, editor):
    story = ready_story()
    other = ready_story("Another draft")
    log_in(client, editor)
    url = share(client, story)
    client.logout()
    token = url.split("/")[2]

    for bad in [token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token + "x", "nonsense", token.upper()]:
        assert client.get(f"/preview/{bad}/").status_code == 404, bad
    # A valid signature for a key that belongs to another story shows nothing either.
    link = PreviewLink.objects.get()
    forged = PreviewLink(story=other, key=link.key)
    assert client.get(previews.url_for(forged)).status_code == 404


def test_an_expired_link_is_404(client, editor):
    story = ready_story()
    log_in(client, editor)
    url = share(client, story, hours=1)
    client.logout()

    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert client.get(url).status_code == 404


def test_a_revoked_link_is_404_at_once(client, editor):
    story = ready_story()
    log_in(client, editor)
    url = share(client, story)
    link = PreviewLink.objects.get()
    anonymous = client.__class__()
    assert anonymous.get(url).status_code == 200

    client.post(f"/admin/articles/story/{story.pk}/share/{link.pk}/revoke/")

    assert anonymous.get(url).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_links_are_listed_with_their_state(client, editor):
    story = ready_story()
    log_in(client, editor)
    share(client, story)
    link = PreviewLink.objects.get()
    client.post(f"/admin/articles/story/{story.pk}/share/{link.pk}/revoke/")

    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/share/").content, "html.parser")

    assert page.select_one(".share-url") is None
    assert "Revoked" in page.select_one("tbody").get_text()


def test_a_link_cannot_be_revoked_through_another_story(client, editor):
    story, other = ready_story(), ready_story("Other")
    log_in(client, editor)
    share(client, story)
    link = PreviewLink.objects.get()

    assert client.post(f"/admin/articles/story/{other.pk}/share/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


# --- A link lasts only as long as its reason ---------------------------------------------------------


def made_link(story, maker, *, hours=72) -> str:
    """A share link ``maker`` made for ``story``, as its URL path."""
    link = previews.create_link(story=story, by=maker, expires_at=timezone.now() + timedelta(hours=hours))
    return previews.url_for(link)


def assert_closed(response, headline):
    assert response.status_code == 404
    assert headline not in response.content.decode()


def test_a_link_closes_when_its_story_is_retracted(client, editor):
    story = ready_story("Mayor resigns", status=Story.Status.PUBLISHED)
    url = made_link(story, editor)
    assert client.get(url).status_code == 200

    publishing.retract(story=story, by=editor)

    assert_closed(client.get(url), "Mayor resigns")
    assert PreviewLink.objects.get().revoked_reason == "the story was retracted"


def test_a_link_closes_when_its_story_is_retracted_by_any_means(client, editor):
    story = ready_story("Mayor resigns", status=Story.Status.PUBLISHED)
    url = made_link(story, editor)

    Story.objects.filter(pk=story.pk).update(status=Story.Status.RETRACTED)  # not through publishing

    assert_closed(client.get(url), "Mayor resigns")


def test_a_link_closes_when_its_story_is_taken_off_the_schedule_and_a_new_one_works(client, editor):
    story = ready_story("Budget vote", status=Story.Status.PUBLISHED, published_at=timezone.now() + timedelta(days=1))
    url = made_link(story, editor)
    assert client.get(url).status_code == 200

    publishing.unschedule(story=story, by=editor)

    assert_closed(client.get(url), "Budget vote")
    assert client.get(made_link(story, editor)).status_code == 200


def test_a_link_closes_when_its_story_is_deleted(client, editor):
    story = ready_story("Leaked tender")
    url = made_link(story, editor)

    story.delete()

    assert_closed(client.get(url), "Leaked tender")


def test_a_link_closes_for_good_when_its_maker_is_deactivated(client, editor, django_capture_on_commit_callbacks):
    story = ready_story("Water contract")
    url = made_link(story, editor)

    with django_capture_on_commit_callbacks(execute=True):
        editor.is_active = False
        editor.save()
    assert_closed(client.get(url), "Water contract")

    editor.is_active = True  # coming back does not bring the old link back
    editor.save()
    assert_closed(client.get(url), "Water contract")


def test_a_link_closes_when_its_maker_is_deleted(client, editor):
    story = ready_story("Water contract")
    url = made_link(story, editor)

    editor.delete()

    assert_closed(client.get(url), "Water contract")


def test_a_link_closes_when_its_maker_loses_the_role_that_let_them_see_the_story(client, editor, reporter):
    story = ready_story("Water contract", created_by=reporter)
    by_editor, by_reporter = made_link(story, editor), made_link(story, reporter)

    editor.groups.set([Group.objects.get(name="Reporter")])  # the story is not theirs
    reporter.groups.clear()  # no role at all

    assert_closed(client.get(by_editor), "Water contract")
    assert_closed(client.get(by_reporter), "Water contract")


def test_the_share_page_says_why_each_link_closed_and_revokes_all_working_ones(client, editor, reporter):
    story = ready_story("Water contract", created_by=reporter)
    urls = [made_link(story, editor), made_link(story, reporter), made_link(story, editor)]
    reporter.groups.clear()
    log_in(client, editor)

    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/share/").content, "html.parser")

    assert len(page.select(".share-url")) == 2
    assert [note.get_text() for note in page.select(".share-closed")] == ["Its maker can no longer see the story"]
    assert page.select_one("#revoke-all").get_text(strip=True) == "Revoke all 2 working links"

    response = client.post(f"/admin/articles/story/{story.pk}/share/revoke-all/")

    assert response.status_code == 302
    assert {client.get(url).status_code for url in urls} == {404}
    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/share/").content, "html.parser")
    assert page.select(".share-url") == [] and page.select_one("#revoke-all") is None
    assert "Revoked: by edna" in page.select_one("tbody").get_text()


def test_a_reporter_cannot_revoke_the_links_of_a_story_they_cannot_see(client, editor, reporter):
    story = ready_story("Water contract")  # not the reporter's
    url = made_link(story, editor)
    log_in(client, reporter)

    client.post(f"/admin/articles/story/{story.pk}/share/revoke-all/")

    assert client.get(url).status_code == 200


def test_admins_see_and_revoke_every_link_of_a_user_in_the_user_admin(client, admin_member, editor, reporter):
    stories = [ready_story("Water contract"), ready_story("Budget vote")]
    editor_urls = [made_link(story, editor) for story in stories]
    reporter_url = made_link(ready_story("Own story", created_by=reporter), reporter)
    log_in(client, admin_member)

    form = BeautifulSoup(client.get(f"/admin/auth/user/{editor.pk}/change/").content, "html.parser")
    summary = form.select_one(".field-share_links")
    listing = client.get(summary.a["href"])
    rows = BeautifulSoup(listing.content, "html.parser").select("#result_list tbody tr")

    assert "2 working, of 2 made" in summary.get_text()
    assert sorted(row.select_one(".field-story").get_text() for row in rows) == ["Budget vote", "Water contract"]

    response = client.post(
        "/admin/auth/user/", {"action": "revoke_share_links", "_selected_action": [editor.pk], "index": 0}
    )

    assert response.status_code == 302
    assert {client.get(url).status_code for url in editor_urls} == {404}
    assert client.get(reporter_url).status_code == 200
    assert all(link.revoked_by == admin_member for link in PreviewLink.objects.filter(created_by=editor))


def test_editors_have_no_list_of_everyones_links(client, editor):
    log_in(client, editor)

    assert client.get("/admin/articles/previewlink/").status_code == 403
