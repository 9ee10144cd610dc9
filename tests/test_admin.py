"""The admin as the newsroom uses it: every page opens, and bad input is a form error, never a 500."""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import AuthorLink, SocialLink, Story
from tests.factories import make_author, make_person, make_section, make_story

pytestmark = pytest.mark.django_db


def form_data(response, form_id: str) -> dict:
    """What a browser would submit from the page's form untouched (the empty inline templates left out)."""
    form = BeautifulSoup(response.content, "html.parser").find("form", id=form_id)
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.get("type") in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.name == "select":
            selected = [option.get("value", "") for option in field.find_all("option", selected=True)]
            if field.has_attr("multiple"):
                data[name] = selected
            else:
                data[name] = selected[0] if selected else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    return data


def errors(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [li.get_text(" ", strip=True) for li in page.select(".errorlist li")]


def registered_models():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def test_every_admin_list_add_change_and_search_page_opens_for_a_superuser(editor_client, demo_site):
    opened = []
    for model, model_admin in registered_models():
        info = model._meta.app_label, model._meta.model_name
        response = editor_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, model._meta.label
        if model_admin.has_add_permission(response.wsgi_request):
            response = editor_client.get(reverse("admin:{}_{}_add".format(*info)))
            assert response.status_code == 200, f"add {model._meta.label}"
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            response = editor_client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert response.status_code == 200, f"change {model._meta.label}"
        opened.append(model._meta.label)

    assert {"articles.Story", "articles.Section", "articles.Person", "articles.Author", "media.Image"} <= set(opened)
    assert {"articles.SocialLink", "articles.Publication", "articles.Source"} <= set(opened)
    for url in [
        "/admin/articles/story/?q=night+bus",
        "/admin/articles/story/?status__exact=draft",
        "/admin/articles/person/?has_profile__exact=0",
        "/admin/articles/section/?q=news",
    ]:
        assert editor_client.get(url).status_code == 200, url


def story_post(editor_client, **fields) -> dict:
    data = form_data(editor_client.get(reverse("admin:articles_story_add")), "story_form")
    data.update(
        {
            "headline": "Library hours extended across the city",
            "standfirst": "Eleven branches will open on Sunday afternoons.",
            "body": "<p>Branches will open on Sundays.</p><h2>Which branches</h2><p>Eleven of them.</p>",
            "tags": "Libraries, City council",
        }
    )
    data.update(fields)
    return data


def test_a_story_is_created_through_the_admin_with_its_byline_and_quote(editor_client):
    section = make_section("News")
    author = make_author("Nomvula Dlamini")
    person = make_person("Themba Zulu", description="Head librarian")
    data = story_post(editor_client, section=str(section.pk))
    data.update(
        {
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": str(author.pk),
            "bylines-0-position": "0",
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": str(person.pk),
            "quotes-0-text": "Sundays are when families have time to read.",
            "quotes-0-position": "0",
        }
    )

    response = editor_client.post(reverse("admin:articles_story_add"), data)

    assert response.status_code == 302, errors(response)
    story = Story.objects.get(headline="Library hours extended across the city")
    assert story.slug == "library-hours-extended-across-the-city"
    assert story.section == section
    assert story.byline_authors == [author]
    quotes = [(q.person, q.text) for q in story.quotes.all()]
    assert quotes == [(person, "Sundays are when families have time to read.")]
    assert sorted(story.tags.names()) == ["City council", "Libraries"]
    assert "<h2>Which branches</h2>" in story.body
    assert story.created_by == editor_client.user
    assert not story.is_published()


def test_a_story_whose_slug_is_taken_gets_a_form_error(editor_client):
    make_story("Original story", slug="taken-slug")

    response = editor_client.post(reverse("admin:articles_story_add"), story_post(editor_client, slug="taken-slug"))

    assert response.status_code == 200
    assert any("slug already exists" in error.lower() for error in errors(response)), errors(response)
    assert Story.objects.filter(slug="taken-slug").count() == 1


def test_a_story_with_a_cyrillic_headline_and_no_slug_gets_one_on_save(editor_client):
    data = story_post(editor_client, headline="Киев и Москва", slug="")

    response = editor_client.post(reverse("admin:articles_story_add"), data)

    assert response.status_code == 302, errors(response)
    assert Story.objects.get(headline="Киев и Москва").slug == "киев-и-москва"


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://www.facebook.com/herald", "Enter a secure link that starts with https://."),
        ("javascript:alert(1)", "Enter a valid URL."),
        ("https://", "Enter a valid URL."),
    ],
)
def test_an_unsafe_social_link_is_a_form_error(editor_client, url, message):
    add = reverse("admin:articles_sociallink_add")
    data = form_data(editor_client.get(add), "sociallink_form") | {"platform": "facebook", "url": url}

    response = editor_client.post(add, data)

    assert response.status_code == 200
    assert message in errors(response)
    assert not SocialLink.objects.exists()


def test_an_unsafe_author_link_is_a_form_error_on_the_author_page(editor_client):
    add = reverse("admin:articles_author_add")
    data = form_data(editor_client.get(add), "author_form")
    data.update(
        {
            "name": "Amina Osman",
            "links-TOTAL_FORMS": "1",
            "links-0-platform": "x",
            "links-0-url": "http://x.com/amina",
            "links-0-position": "0",
        }
    )

    response = editor_client.post(add, data)

    assert response.status_code == 200
    assert any("https://" in error for error in errors(response)), errors(response)
    assert not AuthorLink.objects.exists()


def test_a_section_with_a_taken_slug_is_a_form_error(editor_client):
    make_section("News", slug="news")
    add = reverse("admin:articles_section_add")
    data = form_data(editor_client.get(add), "section_form") | {"name": "Latest news", "slug": "news"}

    response = editor_client.post(add, data)

    assert response.status_code == 200
    assert errors(response)


def test_date_and_time_inputs_of_the_story_form_each_have_a_label(editor_client):
    form = BeautifulSoup(editor_client.get(reverse("admin:articles_story_add")).content, "html.parser")

    for field in ("publish_at", "embargo_until"):
        date, time = form.select_one(f'label[for="id_{field}_0"]'), form.select_one(f'label[for="id_{field}_1"]')
        assert (date.get_text(strip=True), time.get_text(strip=True)) == ("Date:", "Time:")
        assert form.select_one(f"input#id_{field}_0") and form.select_one(f"input#id_{field}_1")


@pytest.mark.parametrize("how", ["delete page", "list action"])
def test_deleting_a_section_still_in_use_lists_its_stories_instead_of_blaming_permissions(editor_client, how):
    business = make_section("Business")
    make_story("Taxi fares stay flat", section=business)
    make_story("Township start-up raises R40 million", section=business, status=Story.Status.DRAFT)

    if how == "delete page":
        response = editor_client.post(f"/admin/articles/section/{business.pk}/delete/", {"post": "yes"})
    else:
        response = editor_client.post(
            "/admin/articles/section/", {"action": "delete_selected", "_selected_action": [business.pk], "post": "yes"}
        )

    text = BeautifulSoup(response.content, "html.parser").select_one("#content").get_text(" ", strip=True)
    assert "would require deleting the following protected related objects" in text
    assert "Story: Taxi fares stay flat" in text
    assert "Story: Township start-up raises R40 million" in text
    assert "permission" not in text
    assert business.__class__.objects.filter(pk=business.pk).exists()


def test_opening_and_saving_a_story_reads_it_once_and_checks_empty_text_without_asking_the_database(editor_client):
    news, sport = make_section("News"), make_section("Sport")
    story = make_story("Council approves new bus routes", authors=[make_author()], section=news)
    url = reverse("admin:articles_story_change", args=[story.pk])
    whole_story = f'"articles_story"."id" = {story.pk}'

    with CaptureQueriesContext(connection) as opening:
        opened = editor_client.get(url)
    reads = [
        q["sql"] for q in opening if q["sql"].startswith('SELECT "articles_story"."id", "articles_story"."headline"')
    ]
    with CaptureQueriesContext(connection) as saving:
        saved = editor_client.post(url, form_data(opened, "story_form") | {"headline": "Council approves bus routes"})

    assert opened.status_code == 200 and saved.status_code == 302
    assert len([sql for sql in reads if whole_story in sql]) == 1
    sections = BeautifulSoup(opened.content, "html.parser").select("input[name=section]")
    assert [(choice["value"], choice.has_attr("checked")) for choice in sections] == [
        ("", False),
        (str(news.pk), True),
        (str(sport.pk), False),
    ]
    assert not [q["sql"] for q in opening if q["sql"].startswith("DECLARE")]  # a short list needs no server-side cursor
    assert not [q["sql"] for q in saving if '"_check"' in q["sql"]]  # no query per CHECK constraint
    assert Story.objects.get(pk=story.pk).headline == "Council approves bus routes"
