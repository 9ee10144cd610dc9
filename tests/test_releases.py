"""A release whose templates differ from those the kept markup was rendered from forgets that markup
after its migrations, so readers get pages in the new templates."""

import pytest
from django.core.management import call_command

from articles import releases
from articles.models import Publication, Story
from tests.factories import make_section, make_story

pytestmark = pytest.mark.django_db


def kept_article(story) -> str:
    return Story.objects.only("rendered_article").get(pk=story.pk).rendered_article


def test_new_templates_forget_every_kept_markup_and_retire_every_cached_page(client, page_cache):
    make_section("News")
    story = make_story("Water restored in Soweto")
    client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert kept_article(story) and Publication.objects.get().kept_chrome
    Publication.objects.filter(pk=1).update(kept_templates="templates of the last release")

    call_command("migrate", verbosity=0)  # the release step: migrations, then the templates compared

    assert Publication.objects.get().kept_templates == releases.templates_fingerprint()
    assert kept_article(story) == "" and Publication.objects.get().kept_chrome is None
    response = client.get(story.get_absolute_url())
    assert response["X-Page-Cache"] == "miss" and "Water restored in Soweto" in response.content.decode()


def test_the_same_templates_leave_the_kept_markup_and_cached_pages_alone(client, page_cache):
    story = make_story("Water restored in Soweto")
    client.get(story.get_absolute_url())
    Publication.objects.filter(pk=1).update(kept_templates=releases.templates_fingerprint())

    assert releases.forget_markup_of_other_templates() is False
    assert kept_article(story)
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_fingerprint_follows_a_templates_name_and_text(tmp_path, monkeypatch):
    monkeypatch.setattr(releases, "template_roots", lambda: [tmp_path])
    (tmp_path / "includes").mkdir()
    page = tmp_path / "includes" / "teaser.html"
    page.write_text("<h3>{{ story.headline }}</h3>")
    first = releases.templates_fingerprint()

    page.write_text("<h2>{{ story.headline }}</h2>")
    changed = releases.templates_fingerprint()
    page.rename(tmp_path / "includes" / "card.html")
    renamed = releases.templates_fingerprint()

    assert len({first, changed, renamed}) == 3


def test_the_project_templates_are_in_the_fingerprint_and_installed_packages_are_not():
    roots = releases.template_roots()

    assert any(root.name == "templates" and (root / "base.html").exists() for root in roots)
    assert not any("site-packages" in str(root) for root in roots)
