"""Stored XSS: hostile text in every field a reporter controls, on every surface that shows it."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Publication, Story
from media.models import Image
from tests.factories import (
    jpeg_bytes,
    make_author,
    make_author_link,
    make_correction,
    make_image,
    make_person,
    make_quote,
    make_section,
    make_source,
    make_story,
)
from tests.security.hostile import BODY, PAYLOAD, admin_story_form, injected, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile():
    """A published story where every reporter-controlled field holds a payload."""
    section = make_section(PAYLOAD[:80], description=PAYLOAD, more_label=PAYLOAD, more_url="https://example.org/")
    author = make_author(PAYLOAD, role=PAYLOAD, bio=PAYLOAD)
    make_author_link(author, url="https://example.org/" + PAYLOAD.replace(" ", "%20"))
    person = make_person(PAYLOAD, description=PAYLOAD, has_profile=True)
    image = make_image(title=PAYLOAD, alt_text=PAYLOAD, credit=PAYLOAD, caption=PAYLOAD, source_notes=PAYLOAD)
    story = make_story(
        PAYLOAD + " headline",
        standfirst=PAYLOAD + " standfirst",
        body=BODY + f"<p>{PAYLOAD.replace('<', '&lt;')} body words</p>",
        section=section,
        authors=[author],
        tags=[PAYLOAD[:90]],
        hero_image=image,
        hero_caption=PAYLOAD,
        source=make_source(PAYLOAD),
        original_url="https://example.org/original",
    )
    make_quote(story, person, PAYLOAD, introduction=PAYLOAD, context=PAYLOAD)
    make_correction(story, PAYLOAD)
    publication = Publication.load()
    publication.name, publication.tagline, publication.description = PAYLOAD[:100], PAYLOAD, PAYLOAD
    publication.base_url = "https://news.example.org"
    publication.save()
    return story


def reader_pages(story: Story) -> dict[str, str]:
    return {
        "home": "/",
        "story": story.get_absolute_url(),
        "section": story.section.get_absolute_url(),
        "tag": story.tags.get().slug and f"/tag/{story.tags.get().slug}/",
        "author": story.bylines.get().author.get_absolute_url(),
        "person": story.quotes.get().person.get_absolute_url(),
        "search": "/search/?q=body+words",
    }


@pytest.mark.parametrize("page", ["home", "story", "section", "tag", "author", "person", "search"])
def test_reader_pages_show_hostile_text_as_text(client, hostile, page):
    response = client.get(reader_pages(hostile)[page])

    assert response.status_code == 200
    assert injected(response.content) == []
    assert "<script>xss()</script>" in visible_text(response.content)


def test_story_body_keeps_no_script_links_handlers_or_foreign_frames(client, hostile):
    body = BeautifulSoup(client.get(hostile.get_absolute_url()).content, "html.parser").select_one(".story__body")

    assert injected(str(body)) == []
    links = body.find_all("a")
    assert {a.get_text() for a in links} == {"link", "spaced", "data"}  # the words stay ...
    assert not any(a.get("href") for a in links)  # ... without the unsafe addresses
    assert body.find(["iframe", "style", "script"]) is None
    assert all(img["src"].startswith("/media/") for img in body.find_all("img"))


def test_body_posted_straight_to_the_admin_is_sanitized(editor_client, hostile):
    form = admin_story_form(headline="Posted without the editor", slug="posted-without-the-editor", body=BODY)
    editor_client.post(reverse("admin:articles_story_add"), form)

    stored = Story.objects.get(slug="posted-without-the-editor").body
    assert "javascript" not in stored.lower() and "onclick" not in stored and "<script" not in stored
    assert "<iframe" not in stored and "evil.example" not in stored and "data:text" not in stored


def test_json_ld_cannot_be_broken_open(client, hostile):
    page = BeautifulSoup(client.get(hostile.get_absolute_url()).content, "html.parser")

    blocks = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]

    assert blocks
    assert any(block.get("headline", "").startswith(PAYLOAD) for block in blocks)


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feeds_carry_hostile_text_escaped_for_feed_readers(client, hostile, url):
    response = client.get(url)
    root = ET.fromstring(response.content)  # well-formed XML whatever the content

    texts = [element.text or "" for element in root.iter()]
    descriptions = [t for t in texts if "standfirst" in t]
    assert descriptions
    # A reader renders descriptions as HTML: once the XML is decoded they must still be escaped.
    assert all(injected(text) == [] and "<script>" not in text for text in descriptions)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_story_changelist",
        "admin:articles_section_changelist",
        "admin:articles_author_changelist",
        "admin:articles_person_changelist",
        "admin:articles_source_changelist",
        "admin:media_image_changelist",
        "admin:taggit_tag_changelist",
    ],
)
def test_admin_lists_show_hostile_text_as_text(editor_client, hostile, url_name):
    response = editor_client.get(reverse(url_name))

    assert response.status_code == 200
    assert injected(response.content) == []
    assert "<script>xss()</script>" in visible_text(response.content)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_story_change",
        "admin:articles_story_history",
    ],
)
def test_admin_story_pages_show_hostile_text_as_text(editor_client, hostile, url_name):
    response = editor_client.get(reverse(url_name, args=[hostile.pk]))

    assert response.status_code == 200
    assert injected(response.content) == []


def test_admin_delete_confirmation_shows_hostile_text_as_text(editor_client):
    draft = make_story(PAYLOAD, status=Story.Status.DRAFT)  # published stories are retracted, not deleted

    response = editor_client.get(reverse("admin:articles_story_delete", args=[draft.pk]))

    assert response.status_code == 200
    assert injected(response.content) == []
    assert "<script>xss()</script>" in visible_text(response.content)


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("admin:articles_section_change", "section"),
        ("admin:articles_author_change", "author"),
        ("admin:articles_person_change", "person"),
        ("admin:media_image_change", "image"),
        ("admin:articles_publication_change", "publication"),
    ],
)
def test_admin_forms_of_related_records_are_safe(editor_client, hostile, url_name, model):
    objects = {
        "section": hostile.section,
        "author": hostile.bylines.get().author,
        "person": hostile.quotes.get().person,
        "image": hostile.hero_image,
        "publication": Publication.load(),
    }
    response = editor_client.get(reverse(url_name, args=[objects[model].pk]))

    assert response.status_code == 200
    assert injected(response.content) == []


def test_admin_success_message_shows_the_hostile_headline_as_text(editor_client, hostile):
    response = editor_client.post(
        reverse("admin:articles_section_add"), {"name": "<script>xss()</script>", "slug": "hostile", "position": 0},
        follow=True,
    )  # fmt: skip

    messages = BeautifulSoup(response.content, "html.parser").select(".messagelist li")
    assert messages and "<script>xss()</script>" in messages[0].get_text()
    assert injected(response.content) == []


def test_api_returns_hostile_text_as_json_data(client, hostile):
    response = client.get("/api/ninjs/stories/")

    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert PAYLOAD + " headline" in json.dumps(response.json(), ensure_ascii=False)


def test_imported_copy_with_a_hostile_name_and_text_is_shown_as_text(editor_client):
    copy = f"{PAYLOAD}\n\nThe council met on Tuesday.\n\nSource: {PAYLOAD}\n".encode()
    upload = SimpleUploadedFile(f"{PAYLOAD.replace('/', '')}.txt", copy, content_type="text/plain")

    response = editor_client.post(reverse("admin:interchange_import_upload"), {"files": [upload]}, follow=True)

    assert response.status_code == 200
    assert injected(response.content) == []
    story = Story.objects.get()
    assert story.headline.startswith('"')
    change = editor_client.get(reverse("admin:articles_story_change", args=[story.pk]))
    assert injected(change.content) == []


def test_uploaded_picture_with_a_hostile_file_name_is_shown_as_text(editor_client):
    upload = SimpleUploadedFile(f"{PAYLOAD.replace('/', '')}.jpg", jpeg_bytes(), content_type="image/jpeg")
    form = {
        "file": upload,
        "title": PAYLOAD,
        "alt_text": PAYLOAD,
        "credit": PAYLOAD,
        "focal_x": "0.5",
        "focal_y": "0.5",
    }

    response = editor_client.post(reverse("admin:media_image_add"), form, follow=True)

    assert response.status_code == 200
    assert injected(response.content) == []
    image = Image.objects.get(title=PAYLOAD)
    assert "<script>" not in image.file.name
    change = editor_client.get(reverse("admin:media_image_change", args=[image.pk]))
    assert injected(change.content) == []
    assert "<script>xss()</script>" in visible_text(change.content)
