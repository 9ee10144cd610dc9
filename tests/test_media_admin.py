"""The media library in the admin: finding pictures, seeing where they are used, choosing them for stories."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles.models import Publication
from tests.factories import log_in, make_author, make_image, make_person, make_story, make_user

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
        {"id": str(image.pk), "text": "Harbour cranes", "thumbnail": image.thumbnail_url}
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


def test_body_editor_picker_lists_the_library_for_the_figure_dialog(editor_client):
    image = make_image(title="Election queue", caption="Voters wait", alt_text="People queue", width=1200, height=800)
    make_image(title="Other picture")

    picker = page(editor_client.get("/admin/media/image/picker/", {"CKEditorFuncNum": "-1", "q": "election"}))

    choices = picker.select(".image-picker__choice")
    assert len(choices) == 1
    choice = choices[0]
    assert choice["data-id"] == str(image.pk)
    assert choice["data-url"] == image.fallback_url
    assert (choice["data-alt"], choice["data-caption"]) == ("People queue", "Voters wait")
    assert picker.select_one("[data-picker-callback]")["data-picker-callback"] == "-1"
    assert any(s.get("src", "").endswith("media/js/image-picker.js") for s in picker.select("script"))


def test_body_editor_is_configured_with_the_library_picker(editor_client):
    form = page(editor_client.get("/admin/articles/story/add/"))

    config = form.select_one("textarea[name=body]")["data-django-prose-editor-configurable"]
    assert '"Figure":{"pickerUrl":"/admin/media/image/picker/"}' in config


def test_library_pages_need_a_staff_login(db):
    anonymous = Client()
    for url in [LIST_URL, "/admin/media/image/picker/", "/admin/media/image/autocomplete/"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    outsider = Client()
    outsider.force_login(make_user())
    assert outsider.get("/admin/media/image/picker/").status_code == 302


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
