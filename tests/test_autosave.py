"""Autosave: unsaved work is kept per writer and story, offered back on reopening, never published."""

import pytest
from bs4 import BeautifulSoup

from articles.models import Story, StoryAutosave
from tests.factories import log_in, ready_story
from tests.html_forms import form_data


def form_data_of(form) -> dict:
    return {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}


pytestmark = pytest.mark.django_db


def change_url(story):
    return f"/admin/articles/story/{story.pk}/change/"


def test_the_story_form_loads_the_autosave_script_with_its_settings_in_data_attributes(client, editor, settings):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 30
    story = ready_story()
    log_in(client, editor)

    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")

    status = page.select_one("#story_form #story-autosave")
    assert status["data-url"] == f"/admin/articles/story/{story.pk}/autosave/"
    assert status["data-seconds"] == "30"
    assert page.find("script", src=lambda src: src and src.endswith("js/story-autosave.js"))
    assert not [s for s in page.find_all("script") if s.string and "autosave" in s.string]


def test_an_autosave_keeps_the_form_without_saving_the_story_or_making_a_revision(client, editor):
    story = ready_story("Saved headline")
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")
    revisions = story.history.count()

    response = client.post(
        f"/admin/articles/story/{story.pk}/autosave/",
        {**data, "headline": "Typed but not saved", "body": "<p>Half a paragraph</p>"},
    )

    assert response.status_code == 200 and "saved_at" in response.json()
    kept = StoryAutosave.objects.get(user=editor, story=story)
    assert kept.data["headline"] == ["Typed but not saved"] and kept.base_version == story.version
    assert "csrfmiddlewaretoken" not in kept.data
    story.refresh_from_db()
    assert story.headline == "Saved headline" and story.history.count() == revisions
    assert not Story.objects.published().exists()


@pytest.mark.parametrize("version", ["²", "9" * 30, "-1"])
def test_an_autosave_with_a_version_no_story_can_have_is_kept_without_it(client, editor, version):
    story = ready_story("Saved headline")
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")

    response = client.post(
        f"/admin/articles/story/{story.pk}/autosave/", {**data, "headline": "Typed", "base_version": version}
    )

    assert response.status_code == 200 and "saved_at" in response.json()
    kept = StoryAutosave.objects.get(user=editor, story=story)
    assert kept.data["headline"] == ["Typed"] and kept.base_version is None
    assert client.get(change_url(story) + "?autosave=restore").status_code == 200


def test_reopening_the_story_offers_the_unsaved_changes_and_restores_them(client, editor):
    story = ready_story("Saved headline")
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")
    client.post(
        f"/admin/articles/story/{story.pk}/autosave/",
        {**data, "headline": "Typed after the crash", "body": "<p>Unsaved paragraph.</p>", "tags": "Water, Power"},
    )

    reopened = BeautifulSoup(client.get(change_url(story)).content, "html.parser")
    banner = reopened.select_one(".autosave-banner")
    assert "that were never saved" in banner.get_text()
    assert banner.find("a", href="?autosave=restore")
    assert reopened.find("input", attrs={"name": "headline"})["value"] == "Saved headline"

    restored = client.get(change_url(story) + "?autosave=restore")
    form = BeautifulSoup(restored.content, "html.parser")
    assert form.find("input", attrs={"name": "headline"})["value"] == "Typed after the crash"
    assert "Unsaved paragraph." in form.find("textarea", attrs={"name": "body"}).get_text()
    assert form.find("input", attrs={"name": "tags"})["value"] == "Water, Power"

    saved = client.post(change_url(story), form_data(restored, "story_form"))
    assert saved.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Typed after the crash" and sorted(story.tags.names()) == ["Power", "Water"]
    assert not StoryAutosave.objects.exists()


def test_autosaves_are_per_user(client, editor, reporter):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)
    client.post(f"/admin/articles/story/{story.pk}/autosave/", {"headline": "Rita's unsaved headline"})

    log_in(client, editor)
    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")

    assert page.select_one(".autosave-banner") is None
    assert StoryAutosave.objects.get().user == reporter


def test_unsaved_changes_can_be_discarded(client, editor):
    story = ready_story()
    log_in(client, editor)
    client.post(f"/admin/articles/story/{story.pk}/autosave/", {"headline": "Never mind"})
    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")
    button = page.select_one(".autosave-banner button")
    discard = page.find("form", id=button["form"])
    assert discard.find_parent("form") is None and discard["action"] == f"/admin/articles/story/{story.pk}/autosave/"

    response = client.post(discard["action"], form_data_of(discard))

    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert not StoryAutosave.objects.exists()


def test_a_new_story_is_autosaved_and_offered_again_on_the_add_page(client, reporter):
    log_in(client, reporter)
    data = form_data(client.get("/admin/articles/story/add/"), "story_form")
    client.post("/admin/articles/story/autosave/", {**data, "headline": "A story before its first save"})

    page = BeautifulSoup(client.get("/admin/articles/story/add/").content, "html.parser")
    assert "a new story" in page.select_one(".autosave-banner").get_text()
    restored = BeautifulSoup(client.get("/admin/articles/story/add/?autosave=restore").content, "html.parser")
    assert restored.find("input", attrs={"name": "headline"})["value"] == "A story before its first save"
    assert not Story.objects.exists()


def test_autosave_only_accepts_posts(client, editor):
    story = ready_story()
    log_in(client, editor)
    assert client.get(f"/admin/articles/story/{story.pk}/autosave/").status_code == 405
