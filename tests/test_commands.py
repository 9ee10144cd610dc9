"""Management commands that `make run` relies on."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from articles.models import Author, Person, Publication, Section, SocialLink, Story
from media.models import Image
from tests.factories import make_section, make_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_pictures_cached")]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything the demo loader writes, row by row, so a second run can be compared."""
    return {
        "stories": list(Story.objects.order_by("pk").values("pk", "slug", "status", "published_at", "updated_at")),
        "images": list(Image.objects.order_by("pk").values_list("pk", "file")),
        "people": Person.objects.count(),
        "authors": Author.objects.count(),
        "sections": Section.objects.count(),
        "social": SocialLink.objects.count(),
        "publication": Publication.objects.values("name", "tagline").get(),
    }


def assert_shaped_like_a_news_site():
    published = Story.objects.published()
    assert Section.objects.exclude(more_label="").exclude(more_url="").count() >= 4
    assert published.count() == 16
    assert published.filter(kind=Story.Kind.COMMENTARY).count() == 1
    assert published.filter(source__isnull=False).exclude(original_url="").count() == 2
    assert Story.objects.filter(status=Story.Status.DRAFT).count() == 1
    assert Story.objects.filter(status=Story.Status.PUBLISHED).exclude(pk__in=published).count() == 1
    assert published.filter(home_position=1).count() == 1
    for story in published:
        assert "<h2>" in story.body and story.word_count > 60, story.headline
    assert published.filter(body__contains="<blockquote>").count() >= 5
    assert published.filter(quotes__person__has_profile=True).distinct().count() >= 5
    assert published.filter(quotes__person__has_profile=False).distinct().count() >= 5
    assert published.values("tags__name").annotate(n=Count("pk")).filter(n__gte=3).count() >= 3
    authors = Author.objects.all()
    assert len(authors) == 3 and all(a.role and a.bio and a.links.exists() for a in authors)
    assert {"facebook", "x", "tiktok", "instagram"} <= set(SocialLink.objects.values_list("platform", flat=True))
    assert Publication.load().name == "Highveld Herald"
    images = Image.objects.all()
    assert len(images) >= 4 and all(i.alt_text and i.credit and i.width == 1600 for i in images)
    assert all(story.related_ids for story in published), "every live story offers related stories"


def assert_links_between_stories_resolve(client):
    hrefs = set()
    for body in Story.objects.published().values_list("body", flat=True):
        hrefs |= set(re.findall(r'href="(/[^"]*)"', body))
    assert hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_demo_content_loads_a_whole_news_site_once_and_a_second_run_changes_nothing(client):
    output = run("load_demo_content")
    before = snapshot()

    assert "Loaded the demo content" in output and "16 published stories" in output
    assert_shaped_like_a_news_site()
    assert_links_between_stories_resolve(client)
    again = run("load_demo_content")

    assert "not loaded" in again
    assert snapshot() == before


def test_demo_content_is_not_loaded_into_a_database_that_has_stories():
    make_story("Our own first story")

    output = run("load_demo_content")

    assert "not loaded" in output
    assert list(Story.objects.values_list("headline", flat=True)) == ["Our own first story"]
    assert not Section.objects.exists()


def test_refresh_related_gives_stories_published_before_it_their_related_stories_and_takes_in_newer_ones(client):
    section = make_section("News")
    older = make_story("Dam levels drop", section=section, tags=["water"])  # as if published before the upgrade
    make_story("Water restrictions announced", section=section, tags=["water"])
    draft = make_story("A draft", section=section, status=Story.Status.DRAFT)
    assert "Water restrictions" not in client.get(older.get_absolute_url()).content.decode()

    output = run("refresh_related")

    assert output == "Chose related stories again: 2 stories now offer different ones.\n"
    page = BeautifulSoup(client.get(older.get_absolute_url()).content, "html.parser")
    assert [h.get_text(strip=True) for h in page.select(".related h3")] == ["Water restrictions announced"]
    draft.refresh_from_db()
    assert draft.related_ids == []  # chosen when it is published
    assert run("refresh_related") == "Chose related stories again: 0 stories now offer different ones.\n"


def test_ensure_admin_creates_one_superuser_and_prints_its_password_once():
    first = run("ensure_admin")
    password = re.search(r"password: (\S+)", first)[1]

    second = run("ensure_admin")

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert len(password) >= 16
    assert password not in second and "already exists" in second
    assert get_user_model().objects.count() == 1


def test_ensure_admin_generates_a_different_password_each_installation(django_user_model):
    first = re.search(r"password: (\S+)", run("ensure_admin"))[1]
    django_user_model.objects.all().delete()
    second = re.search(r"password: (\S+)", run("ensure_admin"))[1]

    assert first != second
