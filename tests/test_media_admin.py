"""The media library in the admin: finding pictures, seeing where they are used, choosing them for stories."""

import importlib
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Publication, Story
from media.models import Image
from tests.factories import (
    jpeg_bytes,
    log_in,
    make_author,
    make_image,
    make_person,
    make_story,
    make_user,
    ready_story,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/media/image/"


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def listed_titles(client, **params) -> set[str]:
    rows = page(client.get(LIST_URL, params)).select("#result_list tbody tr")
    return {row.select_one(".field-__str__").get_text(strip=True) for row in rows}


def test_library_search_finds_pictures_by_title_caption_credit_and_tag(editor_client):
    make_image(title="Taxi rank at dawn", caption="Commuters queue", credit="Thabo Molefe")
    tagged = make_image(title="Council chamber", caption="Members vote", credit="Agency")
    tagged.tags.add("Budget")

    assert listed_titles(editor_client, q="taxi") == {"Taxi rank at dawn"}
    assert listed_titles(editor_client, q="commuters") == {"Taxi rank at dawn"}
    assert listed_titles(editor_client, q="molefe") == {"Taxi rank at dawn"}
    assert listed_titles(editor_client, q="budget") == {"Council chamber"}


def test_library_list_shows_a_rendition_thumbnail_for_each_picture(editor_client):
    image = make_image(title="Market", width=800, height=600)

    thumb = page(editor_client.get(LIST_URL)).select_one("#result_list img.image-thumb")

    assert thumb["src"] == image.thumbnail_url
    assert "/w320.jpg" in thumb["src"]


def test_change_page_lists_everywhere_the_picture_is_used(editor_client):
    image = make_image(title="Mayor at the podium")
    hero = make_story("Mayor resigns", hero_image=image)
    in_text = make_story(
        "Council reacts",
        body=f'<p>Text.</p><figure><img src="{image.fallback_url}" alt="" data-file="{image.pk}"></figure>',
    )
    make_story("Unrelated", body='<p>data-file="999"</p>')
    author = make_author("Lerato Dlamini", photo=image)
    person = make_person("Mayor Ndlovu", photo=image)

    used = page(editor_client.get(f"{LIST_URL}{image.pk}/change/")).select_one(".image-usage")

    items = [li.get_text(" ", strip=True) for li in used.select("li")]
    assert items == [
        "Story picture: Mayor resigns",
        "In the text of: Council reacts",
        "Author photo: Lerato Dlamini",
        f"Person photo: {person}",
    ]
    links = {a["href"] for a in used.select("a")}
    assert f"/admin/articles/story/{hero.pk}/change/" in links
    assert f"/admin/articles/story/{in_text.pk}/change/" in links
    assert f"/admin/articles/author/{author.pk}/change/" in links


def test_unused_picture_says_so(editor_client):
    image = make_image()

    assert "Not used yet." in page(editor_client.get(f"{LIST_URL}{image.pk}/change/")).get_text()


def test_focal_point_picker_uses_a_static_script_and_keeps_the_number_fields(editor_client):
    image = make_image(width=700, height=400)

    form = page(editor_client.get(f"{LIST_URL}{image.pk}/change/"))

    picker = form.select_one("[data-focal-picker] img")
    assert picker["src"] == image.fallback_url
    assert form.select_one("input[name=focal_x]") and form.select_one("input[name=focal_y]")
    scripts = form.select("script")
    assert any(s.get("src", "").endswith("media/js/focal-point.js") for s in scripts)
    assert not [s for s in scripts if not s.get("src") and s.get("type") != "importmap" and s.string]


def test_story_form_shows_a_thumbnail_of_the_chosen_hero_picture(editor_client):
    image = make_image(title="Flood waters", width=900, height=600)
    story = make_story("Floods", hero_image=image)

    form = page(editor_client.get(f"/admin/articles/story/{story.pk}/change/"))

    select = form.select_one("select[name=hero_image]")
    assert select.has_attr("data-image-chooser")
    assert select["data-ajax--url"] == "/admin/media/image/autocomplete/"
    preview = form.select_one(f'[data-image-chooser-preview="{select["id"]}"]')
    assert preview.img["src"] == image.thumbnail_url and not preview.has_attr("hidden")
    assert any(s.get("src", "").endswith("media/js/image-chooser.js") for s in form.select("script"))


def test_story_form_loads_the_chooser_script_after_the_admin_jquery_it_uses(editor_client):
    scripts = [s.get("src", "") for s in page(editor_client.get("/admin/articles/story/add/")).select("script[src]")]
    position = {src.rsplit("/", 1)[-1]: n for n, src in enumerate(scripts)}

    assert position["jquery.init.js"] < position["image-chooser.js"]


def test_story_form_without_a_hero_has_an_empty_hidden_preview(editor_client):
    form = page(editor_client.get("/admin/articles/story/add/"))

    preview = form.select_one("[data-image-chooser-preview]")
    assert preview.has_attr("hidden") and not preview.img.has_attr("src")


def test_chooser_search_results_carry_thumbnails(editor_client):
    image = make_image(title="Harbour cranes")
    make_image(title="Something else")

    response = editor_client.get(
        "/admin/media/image/autocomplete/",
        {"term": "harbour", "app_label": "articles", "model_name": "story", "field_name": "hero_image"},
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": str(image.pk),
            "text": "Harbour cranes",
            "thumbnail": image.thumbnail_url,
            # What the story editor's picture panel places in the text.
            "url": image.fallback_url,
            "alt": "A street market at dusk",
            "caption": "Traders pack up.",
            "credit": "Staff photographer",
            "title": "Harbour cranes",
        }
    ]


def test_author_person_and_site_logo_choosers_show_thumbnails_too(editor_client):
    image = make_image()
    author = make_author(photo=image)
    person = make_person(photo=image)

    for url in [f"/admin/articles/author/{author.pk}/change/", f"/admin/articles/person/{person.pk}/change/"]:
        preview = page(editor_client.get(url)).select_one("[data-image-chooser-preview] img")
        assert preview["src"] == image.thumbnail_url, url
    publication = Publication.objects.first()
    if publication:
        form = page(editor_client.get(f"/admin/articles/publication/{publication.pk}/change/"))
        assert form.select_one("select[name=logo][data-image-chooser]")


def test_body_editor_places_pictures_from_its_own_panel_and_opens_no_pop_up_window(editor_client):
    form = page(editor_client.get("/admin/articles/story/add/"))

    config = json.loads(form.select_one("textarea[name=body]")["data-django-prose-editor-configurable"])
    assert config["extensions"]["Figure"] is True  # no picker address: the stock dialog cannot open a window
    assert config["extensions"]["PlacePicture"] is True
    assert [module.rsplit("/", 1)[-1] for module in config["js_modules"]] == ["editor-newsroom.js"]
    panel = form.select_one("dialog#picture-panel")
    assert panel["data-upload-url"] == "/admin/media/image/upload/"
    # Neither the story's picture nor its section opens a window to add or change one.
    for field in ("hero_image", "section"):
        assert not form.select(f".field-{field} .related-widget-wrapper-link"), field


def test_library_pages_need_a_staff_login(db):
    anonymous = Client()
    for url in [LIST_URL, "/admin/media/image/autocomplete/"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    outsider = Client()
    outsider.force_login(make_user())
    assert outsider.get(LIST_URL).status_code == 302


def test_reporter_sees_where_a_picture_is_used_only_in_stories_they_may_open(client, reporter, other_reporter):
    image = make_image(title="Clinic queue")
    theirs = make_story("Clinic tender inquiry", status="draft", hero_image=image, created_by=other_reporter)
    mine = make_story("Clinic opens late", status="draft", created_by=reporter, body=_figure(image))
    log_in(client, reporter)

    response = client.get(f"{LIST_URL}{image.pk}/change/")

    used = page(response).select_one(".field-used_in")
    items = [li.get_text(" ", strip=True) for li in used.select(".image-usage li")]
    assert items == ["In the text of: Clinic opens late"]
    assert f"/admin/articles/story/{mine.pk}/change/" in {a["href"] for a in used.select("a")}
    assert "Also used in 1 story you cannot open." in used.get_text(" ", strip=True)
    assert theirs.headline.encode() not in response.content


def _figure(image) -> str:
    return f'<p>Text.</p><figure><img src="{image.fallback_url}" alt="" data-file="{image.pk}"></figure>'


def test_deleting_a_picture_a_story_uses_lists_the_story_instead_of_blaming_permissions(editor_client):
    image = make_image(title="Mayor at the podium")
    make_story("Mayor resigns", hero_image=image)

    response = editor_client.post(f"{LIST_URL}{image.pk}/delete/", {"post": "yes"})

    text = page(response).select_one("#content").get_text(" ", strip=True)
    assert "would require deleting the following protected related objects" in text
    assert "Story: Mayor resigns" in text
    assert "permission" not in text


UPLOAD_URL = "/admin/media/image/upload/"


def upload(client, *, story=None, name="queue.jpg", content=None, **fields):
    data = {"alt_text": "Readers queue outside a library", "credit": "Rita Dube", "caption": "Sunday morning"}
    data |= fields
    if story is not None:
        data["story"] = str(story.pk)
    data["file"] = SimpleUploadedFile(name, jpeg_bytes(320, 200) if content is None else content, "image/jpeg")
    return client.post(UPLOAD_URL, data)


def stored_files(settings) -> list:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_reporter_uploads_a_picture_from_her_story_and_gets_what_the_editor_places(client, reporter, settings):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)

    response = upload(client, story=story, focal_x="0.8", focal_y="0.25")

    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {
        "id": image.pk,
        "thumbnail": image.thumbnail_url,
        "url": image.fallback_url,
        "alt": "Readers queue outside a library",
        "caption": "Sunday morning",
        "credit": "Rita Dube",
        "title": "queue.jpg",
    }
    assert (image.uploaded_by, image.focal_x, image.focal_y) == (reporter, 0.8, 0.25)
    assert response.json()["url"].startswith(settings.MEDIA_URL + "images/")  # what the body sanitizer keeps


def test_a_picture_for_a_story_not_saved_yet_needs_only_the_right_to_add_pictures(client, reporter):
    log_in(client, reporter)

    response = upload(client)

    assert response.status_code == 201 and Image.objects.get().focal_x == 0.5


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    [
        ("notes.jpg", b"%PDF-1.4 not a picture", "file", "This file is not a JPEG, PNG, WebP or GIF picture."),
        ("queue.jpg", None, "alt_text", "Describe the picture for readers who cannot see it (alt text)."),
    ],
)
def test_a_wrong_file_or_a_missing_description_is_refused_in_json_and_nothing_is_saved(
    client, reporter, settings, name, content, field, message
):
    log_in(client, reporter)

    response = upload(client, name=name, content=content, **({"alt_text": ""} if field == "alt_text" else {}))

    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert list(response.json()["errors"]) == [field]
    assert not Image.objects.exists() and stored_files(settings) == []


def test_an_oversized_picture_is_refused_before_anything_is_stored(client, reporter, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
    log_in(client, reporter)

    response = upload(client, content=jpeg_bytes(640, 480))

    assert response.status_code == 400
    assert "the largest picture accepted is 1000" in response.json()["message"]
    assert not Image.objects.exists() and stored_files(settings) == []


def test_uploads_are_refused_to_visitors_and_to_stories_the_reporter_cannot_change(
    client, reporter, other_reporter, settings
):
    anonymous = upload(Client())
    staff_without_role = log_in(Client(), make_user(is_staff=True))
    log_in(client, reporter)

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert upload(staff_without_role).status_code == 403
    assert upload(client, story=ready_story(created_by=other_reporter)).status_code == 404
    published = upload(client, story=make_story("Hers, published", created_by=reporter))
    assert published.status_code == 403 and published.json()["message"] == "You may not change this story."
    assert log_in(Client(enforce_csrf_checks=True), reporter).post(UPLOAD_URL).status_code == 403
    assert client.get(UPLOAD_URL).status_code == 405
    assert not Image.objects.exists() and stored_files(settings) == []


def test_a_picture_taken_out_of_the_text_leaves_used_in_once_the_story_is_saved(editor_client):
    image = make_image(title="Harbour crane")
    story = make_story("Port expands", body=_figure(image))
    assert [picture.pk for picture in story.body_pictures.all()] == [image.pk]
    used = page(editor_client.get(f"{LIST_URL}{image.pk}/change/")).select_one(".image-usage")
    assert [li.get_text(" ", strip=True) for li in used.select("li")] == ["In the text of: Port expands"]

    story.body = "<p>The port adds two berths.</p>"
    story.save()

    assert not story.body_pictures.exists()
    assert "Not used yet." in page(editor_client.get(f"{LIST_URL}{image.pk}/change/")).get_text()


def test_a_figure_naming_a_picture_not_in_the_library_relates_nothing(db):
    missing = '<figure><img src="/media/images/x.jpg" alt="" data-file="424242"></figure>'

    story = make_story("Port expands", body=missing)

    assert 'data-file="424242"' in story.body
    assert not story.body_pictures.exists()


def test_the_migration_relates_the_pictures_already_in_stored_bodies(db):
    migration = importlib.import_module("articles.migrations.0023_story_body_pictures")
    image = make_image(title="Harbour crane")
    story = make_story("Port expands", body=_figure(image))
    make_story("No pictures")
    story.body_pictures.clear()

    migration.relate_body_pictures(apps, schema_editor=None)

    assert [picture.pk for picture in story.body_pictures.all()] == [image.pk]
    assert Story.body_pictures.through.objects.count() == 1
