"""Renditions as a job of the queue: pages show the original until the worker has made them."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from articles import rendering
from articles.models import Story
from media.models import Image
from media.renditions import rendition_files
from media.tasks import render_missing, render_renditions
from tests.factories import make_image, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32  # no shared pieces: the page is the story's kept markup
    return client


def hero(reader, story):
    response = reader.get(story.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".story__hero")


def kept_article(story) -> str:
    return Story.objects.only(*rendering.PAGE_FIELDS).get(pk=story.pk).rendered_article


def test_an_upload_queues_its_renditions_and_pages_show_the_original_until_they_exist(reader, queued_jobs):
    image = make_image(width=1400, height=700)
    story = make_story("Flooding in Alexandra", hero_image=image)

    # (On PostgreSQL the story's search document is a job of its own.)
    assert [job for job in queued_jobs() if job[0].startswith("media.")] == [
        ("media.tasks.render_renditions", (image.pk,))
    ]
    assert not rendition_files(Image.objects.get(pk=image.pk).rendition_index)
    before = hero(reader, story)
    assert before.select_one("img")["src"] == image.file.url
    assert not before.select("picture, [srcset]")
    assert kept_article(story)  # the page's markup is kept on the story, showing the original

    assert render_renditions.apply(args=[image.pk]).get() is True

    assert kept_article(story) == ""  # the picture's tag was retired: the story is rendered again
    after = hero(reader, story)
    made = rendition_files(Image.objects.get(pk=image.pk).rendition_index, "width")
    jpeg = [(image.file.storage.url(r.name), r.width) for r in made if r.format == "jpeg"]
    assert after.select_one("img")["srcset"] == ", ".join(f"{address} {width}w" for address, width in jpeg)
    assert after.select_one("img")["src"] == next(address for address, width in jpeg if width == 960)


def test_the_rendition_job_is_idempotent(queued_jobs):
    image = make_image(width=700, height=500)
    render_renditions.apply(args=[image.pk])
    made = Image.objects.get(pk=image.pk).stored_names()

    assert render_renditions.apply(args=[image.pk]).get() is False  # delivered again: nothing to do
    assert Image.objects.get(pk=image.pk).stored_names() == made
    assert all(image.file.storage.exists(name) for name in made)


def test_a_new_focal_point_queues_new_crops_and_nothing_else_does(queued_jobs):
    image = make_image(width=700, height=500)
    render_renditions.apply(args=[image.pk])

    image.caption = "Traders pack up at dusk."
    image.save()
    image.focal_x = 0.2
    image.save()

    assert queued_jobs() == [("media.tasks.render_renditions", (image.pk,))] * 2  # the upload, the focal point
    render_renditions.apply(args=[image.pk])
    assert Image.objects.get(pk=image.pk).teaser.fallback_url.rsplit("/", 1)[-1].startswith("teaser-20-50-")


def test_the_job_of_a_picture_deleted_meanwhile_does_nothing(queued_jobs):
    image = make_image()
    image_id = image.pk
    image.delete()

    assert render_renditions.apply(args=[image_id]).get() is False


def test_the_sweep_queues_pictures_whose_renditions_never_came(queued_jobs):
    waiting = make_image()
    done = make_image()
    render_renditions.apply(args=[done.pk])

    assert render_missing.apply().get() == 1
    assert queued_jobs()[-1] == ("media.tasks.render_renditions", (waiting.pk,))


def test_run_eagerly_an_upload_has_its_renditions_at_once():
    image = make_image(width=700, height=500)

    assert Image.objects.get(pk=image.pk).rendition_index["source"] == image.file.name
    assert rendition_files(Image.objects.get(pk=image.pk).rendition_index, "width")
