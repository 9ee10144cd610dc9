"""What a stranger can learn by guessing: staff accounts, drafts, scheduled and retracted stories."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Story
from tests.factories import make_author, make_person, make_quote, make_section, make_staff, make_story

pytestmark = pytest.mark.django_db


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True)


# --- Staff accounts ---------------------------------------------------------------------------------


def test_author_page_shows_the_byline_but_nothing_of_the_account(client):
    user = make_staff("tmokoena.admin", roles=["Editor"], email="thandi@newsroom.example")
    author = make_author("Thandi Mokoena", role="Politics reporter", user=user)
    make_story("Council approves new bus routes", authors=[author])

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert "Thandi Mokoena" in heading(response)
    assert b"tmokoena.admin" not in response.content and b"thandi@newsroom.example" not in response.content


def test_a_byline_with_nothing_published_is_the_same_404_as_no_byline(client):
    hired = make_author("New Investigations Hire", user=make_staff("newhire", roles=["Reporter"]))
    make_story("Unfinished investigation", status=Story.Status.DRAFT, authors=[hired])

    existing = client.get(hired.get_absolute_url())
    missing = client.get("/authors/nobody-at-all/")

    assert existing.status_code == missing.status_code == 404
    assert heading(existing) == heading(missing)
    assert b"New Investigations Hire" not in existing.content
    assert client.get(hired.get_absolute_url() + "feed/").status_code == 404


def test_login_answers_the_same_for_staff_reporters_readers_and_nobody(client):
    make_staff("editor", roles=["Editor"])
    make_staff("reporter", roles=["Reporter"])
    Client().get("/")  # a reader has no account at all

    notes = set()
    for name in ["editor", "reporter", "nobody", "EDITOR", "editor "]:
        response = client.post(reverse("admin:login"), {"username": name, "password": "wrong-password-1"})
        assert response.status_code == 200
        notes.add(BeautifulSoup(response.content, "html.parser").select_one(".errornote").get_text(strip=True))

    assert len(notes) == 1


def test_admin_pages_say_nothing_to_strangers(client):
    user = make_staff("editor", roles=["Editor"])

    for url in ["/admin/", f"/admin/auth/user/{user.pk}/change/", "/admin/auth/user/?q=editor", "/admin/axes/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# --- Unpublished stories ----------------------------------------------------------------------------


@pytest.fixture
def unpublished():
    news = make_section("News")
    now = timezone.now()
    return {
        "draft": make_story("Secret draft about the minister", status=Story.Status.DRAFT, section=news, tags=["Leak"]),
        "submitted": make_story("Submitted exposé", status=Story.Status.SUBMITTED, section=news, tags=["Leak"]),
        "scheduled": make_story(
            "Embargoed results", published_at=now + timedelta(hours=3), section=news, tags=["Leak"]
        ),
        "retracted": make_story("Retracted claim", status=Story.Status.RETRACTED, section=news, tags=["Leak"]),
    }


@pytest.mark.parametrize("kind", ["draft", "submitted", "scheduled", "retracted"])
def test_guessing_an_unpublished_story_address_is_the_same_404_as_nothing(client, unpublished, kind):
    story = unpublished[kind]

    guessed = client.get(story.get_absolute_url())
    nothing = client.get("/story/no-such-story-anywhere/")

    assert guessed.status_code == nothing.status_code == 404
    assert heading(guessed) == heading(nothing)
    assert story.headline.encode() not in guessed.content


@pytest.mark.parametrize("kind", ["draft", "submitted", "scheduled", "retracted"])
def test_unpublished_stories_are_on_no_public_surface(client, unpublished, kind):
    story = unpublished[kind]
    make_story("Published story", section=story.section)
    surfaces = [
        "/",
        story.section.get_absolute_url(),
        "/search/?q=" + story.headline.split()[0],
        "/feed/",
        "/feed/atom/",
        story.section.get_absolute_url() + "feed/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
        "/api/ninjs/stories/",
        f"/api/ninjs/stories/{story.pk}/",
        f"/api/ninjs/stories/{story.slug}/",
    ]

    for url in surfaces:
        response = client.get(url)
        assert story.headline.encode() not in response.content, url
        assert story.slug.encode() not in response.content, url


def test_tags_used_only_by_unpublished_stories_are_not_public(client, unpublished):
    assert client.get("/tag/leak/").status_code == 404
    assert client.get("/tag/leak/feed/").status_code == 404
    assert b"/tag/leak/" not in client.get("/sitemap-tags.xml").content


def test_people_quoted_only_in_unpublished_stories_are_not_public(client, unpublished):
    subject = make_person("Jacob Mokoena", description="Director of the water board")
    for story in unpublished.values():
        make_quote(story, subject, "I have nothing to say about the contract.")

    guessed = client.get(subject.get_absolute_url())
    nothing = client.get("/people/no-such-person-anywhere/")

    assert guessed.status_code == nothing.status_code == 404
    assert heading(guessed) == heading(nothing)
    assert b"Jacob Mokoena" not in client.get("/api/ninjs/people/").content

    make_quote(make_story("Water board answers questions"), subject, "The contract was above board.")
    assert client.get(subject.get_absolute_url()).status_code == 200
    assert [p["name"] for p in client.get("/api/ninjs/people/").json()["items"]] == ["Jacob Mokoena"]
