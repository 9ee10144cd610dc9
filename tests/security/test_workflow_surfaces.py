"""The editorial workflow's pages with hostile content, and previews that cannot be guessed."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews, publishing
from articles.models import Story
from tests.factories import log_in, make_author, make_person, make_quote, make_section, ready_story
from tests.security.hostile import PAYLOAD, injected, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_story(editor):
    """A live story with hostile text in every field, edited once so it has a history to compare."""
    story = ready_story(
        PAYLOAD + " headline",
        standfirst=PAYLOAD,
        body=f"<p>{PAYLOAD.replace('<', '&lt;')}</p>",
        authors=[make_author(PAYLOAD)],
        tags=[PAYLOAD[:90]],
        review_note=PAYLOAD,
        editor_note=PAYLOAD,
    )
    make_quote(story, make_person(PAYLOAD, description=PAYLOAD), PAYLOAD, introduction=PAYLOAD)
    publishing.publish(story=story, by=editor)
    story.standfirst = PAYLOAD + " rewritten"
    publishing.save_story(story=story, by=editor, changed_fields=["standfirst"])
    publishing.add_correction(story=story, by=editor, text=PAYLOAD)
    return story


@pytest.fixture
def editor_browser(editor):
    return log_in(Client(), editor)


def story_admin(name: str, story: Story, **kwargs) -> str:
    return reverse(f"admin:articles_story_{name}", args=[story.pk], kwargs=kwargs or None)


def test_dashboard_history_diff_preview_and_correction_pages_are_safe(editor_browser, hostile_story):
    first, last = hostile_story.history.last().history_id, hostile_story.history.first().history_id
    pages = [
        "/admin/",
        story_admin("change", hostile_story),
        story_admin("history", hostile_story),
        story_admin("compare", hostile_story) + f"?from={first}&to={last}",
        story_admin("preview", hostile_story),
        story_admin("share", hostile_story),
        story_admin("correct", hostile_story),
    ]

    for url in pages:
        response = editor_browser.get(url)
        assert response.status_code == 200, url
        assert injected(response.content) == [], url
        assert "<script>xss()</script>" in visible_text(response.content), url


def test_public_corrections_page_and_share_link_preview_are_safe(client, editor, hostile_story):
    link = previews.create_link(story=hostile_story, by=editor, expires_at=timezone.now() + timedelta(hours=1))

    for url in ["/corrections/", previews.url_for(link)]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert injected(response.content) == [], url
        assert "<script>xss()</script>" in visible_text(response.content), url


def test_workflow_messages_with_hostile_names_are_text(editor_browser, editor, settings):
    opinion = make_section(PAYLOAD[:80], slug="opinion")
    settings.NEWSROOM_OPINION_SECTIONS = ["opinion"]
    story = ready_story(PAYLOAD, section=opinion)  # news in an opinion section: refused with the section's name

    response = editor_browser.post(
        reverse("admin:articles_story_changelist"),
        {"action": "publish_selected", "_selected_action": [story.pk]},
        follow=True,
    )

    notes = BeautifulSoup(response.content, "html.parser").select(".messagelist li")
    assert notes and "<script>xss()</script>" in " ".join(note.get_text() for note in notes)
    assert injected(response.content) == []
    assert Story.objects.get(pk=story.pk).status == Story.Status.DRAFT


# --- Previews cannot be guessed -------------------------------------------------------------------------


@pytest.fixture
def draft_with_link(editor):
    story = ready_story("Unpublished investigation")
    link = previews.create_link(story=story, by=editor, expires_at=timezone.now() + timedelta(hours=1))
    return story, link


def test_a_valid_share_link_opens_the_draft_privately(client, draft_with_link):
    story, link = draft_with_link

    response = client.get(previews.url_for(link))

    assert response.status_code == 200
    assert "Unpublished investigation" in visible_text(response.content)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex" or "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def guessed_tokens(story: Story, link) -> list[str]:
    real = previews.token_for(link)
    return [
        "0",
        str(story.pk),
        story.slug,
        real[:-1] + ("A" if real[-1] != "A" else "B"),  # tampered signature
        signing.dumps({"story": story.pk, "key": link.key}, salt="another-salt", compress=False),
        signing.dumps({"story": story.pk, "key": "guessed-key"}, salt=previews.SALT, compress=False),
        signing.dumps({"story": story.pk}, salt=previews.SALT, compress=False),
        signing.dumps([story.pk], salt=previews.SALT, compress=False),
    ]


def test_guessed_or_forged_preview_links_are_the_plain_404(client, draft_with_link):
    story, link = draft_with_link
    nothing = client.get("/story/no-such-story/")

    for token in guessed_tokens(story, link):
        response = client.get(reverse("articles:story_preview", args=[token]))
        assert response.status_code == 404, token
        assert b"Unpublished investigation" not in response.content
        assert BeautifulSoup(response.content, "html.parser").h1.get_text() == (
            BeautifulSoup(nothing.content, "html.parser").h1.get_text()
        )


def test_a_link_for_one_story_does_not_open_another(client, editor, draft_with_link):
    story, link = draft_with_link
    other = ready_story("Another secret draft")
    forged = signing.dumps({"story": other.pk, "key": link.key}, salt=previews.SALT, compress=False)

    assert client.get(reverse("articles:story_preview", args=[forged])).status_code == 404


def test_staff_preview_needs_a_full_staff_sign_in(client, reporter, other_reporter, draft_with_link):
    story, _ = draft_with_link
    url = story_admin("preview", story)

    assert client.get(url)["Location"].startswith("/admin/login/")
    log_in(client, other_reporter)  # a reporter who is not on the byline
    assert client.get(url).status_code in (403, 404)
