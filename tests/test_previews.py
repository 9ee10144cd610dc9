"""Previews of unpublished stories: for staff, and by signed share links that expire and can be revoked."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from articles import previews
from articles.models import PreviewLink
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
