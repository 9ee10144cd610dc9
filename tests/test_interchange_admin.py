from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Quote, Story
from interchange.models import SuggestedQuote
from tests.factories import log_in, make_section, make_staff, make_user
from tests.interchange_samples import WIRE_STORY

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/interchange/importeditem/upload/"


def _upload(client, *files, **data):
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(UPLOAD, {"files": uploads, **data})


def test_story_list_links_to_the_import_page(editor_client):
    soup = BeautifulSoup(editor_client.get("/admin/articles/story/").content, "html.parser")
    assert soup.find("a", href=UPLOAD).get_text() == "Import copy"


def test_editor_uploads_copy_and_sees_each_files_outcome(editor_client):
    make_section("News")
    response = _upload(editor_client, ("wire.txt", WIRE_STORY.encode()), ("broken.json", b'{"uri": "urn:x",'))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    ok, failed = soup.select("tr.import-ok"), soup.select("tr.import-failed")
    story = Story.objects.get()
    assert story.created_by == editor_client.user
    assert ok[0].find("a", href=f"/admin/articles/story/{story.pk}/change/").get_text() == story.headline
    assert "3 suggested quotes to check" in ok[0].get_text()
    assert "broken.json" in failed[0].get_text() and "Not valid JSON" in failed[0].get_text()
    assert "1 draft story imported; 1 file not imported." in soup.get_text()


def test_uploading_the_same_copy_again_updates_its_draft_and_says_so(editor_client):
    make_section("News")
    first = BeautifulSoup(_upload(editor_client, ("wire.txt", WIRE_STORY.encode())).content, "html.parser")
    again = BeautifulSoup(_upload(editor_client, ("wire.txt", WIRE_STORY.encode())).content, "html.parser")

    story = Story.objects.get()
    assert "(new draft)" in first.select_one("tr.import-ok").get_text()
    row = again.select_one("tr.import-ok")
    assert row.find("a", href=f"/admin/articles/story/{story.pk}/change/").get_text() == story.headline
    assert "(imported before: draft updated)" in row.get_text()
    assert "1 draft story imported (1 imported before, so its draft was updated)" in again.get_text()


def test_upload_needs_a_file(editor_client):
    response = editor_client.post(UPLOAD, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Story.objects.exists()


def test_default_section_files_unlabelled_copy(editor_client):
    business = make_section("Business")
    _upload(editor_client, ("copy.txt", b"A Headline Without a Label\n\nOne paragraph.\n"), section=business.pk)
    assert Story.objects.get().section == business


def test_staff_without_story_permissions_cannot_import(client):
    user = make_user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_importeditem"))
    log_in(client, user)
    assert client.get(UPLOAD).status_code == 403
    assert _upload(client, ("wire.txt", WIRE_STORY.encode())).status_code == 403
    assert not Story.objects.exists()


def test_reporters_cannot_import_because_reimports_update_other_peoples_drafts(client):
    log_in(client, make_staff(roles=["Reporter"]))
    assert _upload(client, ("wire.txt", WIRE_STORY.encode())).status_code == 403
    assert not Story.objects.exists()


def test_editors_can_import(client):
    make_section("News")
    log_in(client, make_staff(roles=["Editor"]))
    assert _upload(client, ("wire.txt", WIRE_STORY.encode())).status_code == 200
    assert Story.objects.count() == 1


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_editor_confirms_suggestions_from_the_admin(editor_client):
    make_section("News")
    _upload(editor_client, ("wire.txt", WIRE_STORY.encode()))
    suggestion = SuggestedQuote.objects.get(name="Nomsa")
    response = editor_client.post(
        "/admin/interchange/suggestedquote/",
        {"action": "confirm", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert "1 suggested quote confirmed." in response.content.decode()
    quote = Quote.objects.get()
    assert (quote.person.name, quote.introduction) == ("Nomsa", "a 41-year-old school cook")


def test_unconfirmed_suggestions_never_reach_readers(editor_client, client):
    make_section("News")
    _upload(editor_client, ("wire.txt", WIRE_STORY.encode()))
    Story.objects.update(status=Story.Status.PUBLISHED, published_at=timezone.now())
    story = Story.objects.get()
    item = client.get(f"/api/ninjs/stories/{story.pk}/").json()
    assert [p for p in item.get("people", []) if p["rel"] == "quoted"] == []
    assert client.get("/people/nomsa/").status_code == 404
    editor_client.post(
        "/admin/interchange/suggestedquote/",
        {"action": "confirm", "_selected_action": list(SuggestedQuote.objects.values_list("pk", flat=True))},
    )
    item = client.get(f"/api/ninjs/stories/{story.pk}/").json()
    assert {p["name"] for p in item["people"] if p["rel"] == "quoted"} == {"Lindiwe Khumalo", "Nomsa", "Pieter"}


def test_confirming_a_quote_on_a_live_story_shows_readers_an_updated_time(editor_client, client):
    make_section("News")
    _upload(editor_client, ("wire.txt", WIRE_STORY.encode()))
    Story.objects.update(status=Story.Status.PUBLISHED, published_at=timezone.now() - timedelta(hours=2))
    story = Story.objects.get()
    assert "Updated" not in BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser").header.text

    editor_client.post(
        "/admin/interchange/suggestedquote/",
        {"action": "confirm", "_selected_action": [SuggestedQuote.objects.get(name="Nomsa").pk]},
    )

    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert "Nomsa" in page.select_one(".story__quotes").get_text()
    assert "Updated" in page.select_one(".story__header").get_text()


def test_confirmed_suggestion_can_no_longer_be_edited(editor_client):
    make_section("News")
    _upload(editor_client, ("wire.txt", WIRE_STORY.encode()))
    suggestion = SuggestedQuote.objects.get(name="Nomsa")
    url = f"/admin/interchange/suggestedquote/{suggestion.pk}/change/"
    assert editor_client.get(url).status_code == 200
    editor_client.post("/admin/interchange/suggestedquote/", {"action": "dismiss", "_selected_action": [suggestion.pk]})
    response = editor_client.post(url, {"name": "Someone Else", "text": "Changed words here now."})
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.name == "Nomsa"
