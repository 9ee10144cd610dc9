"""The benchmark's own pieces: its content builder and the baseline page exist only for it."""

import pytest
from django.test import Client
from django.urls import clear_url_caches

from articles.models import Story
from bench import content

pytestmark = pytest.mark.django_db


def test_the_content_builder_makes_a_readable_site_with_the_measured_story(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    content.build(120, log=lambda line: None)

    story = Story.objects.published().get(slug=content.BENCH_SLUG)
    assert story.bylines.count() == 3 and story.quotes.count() == 4 and story.tags.count() == 6
    assert story.hero_image is not None and story.corrections.exists() and story.related.exists()
    assert Story.objects.published().count() == 119  # one in a hundred is a draft, three are scheduled
    assert Story.objects.filter(published_at__gt=story.published_at).exclude(status="draft").count() == 3
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


@pytest.fixture
def bench_urls(settings):
    settings.NEWSROOM_BENCH_BASELINE = True
    import importlib

    import newsroom.urls

    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.NEWSROOM_BENCH_BASELINE = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_the_baseline_page_is_a_fixed_30_kb_and_only_exists_for_the_benchmark(bench_urls):
    response = Client().get("/bench/baseline/")

    assert response.status_code == 200 and len(response.content) == 30 * 1024


def test_there_is_no_baseline_page_outside_the_benchmark(client):
    assert client.get("/bench/baseline/").status_code == 404
