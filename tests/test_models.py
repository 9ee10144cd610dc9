"""The content model's rules: slugs, the publish rule and the invariants the database holds."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import AuthorLink, Person, Section, SocialLink, Story
from tests.factories import make_author, make_quote, make_story

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def test_cyrillic_headline_gets_a_slug_in_its_own_letters(client):
    story = make_story("Москва требует гарантий безопасности")

    assert story.slug == "москва-требует-гарантий-безопасности"
    assert client.get(story.get_absolute_url()).status_code == 200


def test_headline_without_letters_falls_back_to_a_numbered_slug():
    first = make_story("!!! ??? …")
    second = make_story("— — —")

    assert first.slug == "story"
    assert second.slug == "story-2"


def test_names_without_letters_fall_back_for_people_sections_and_authors():
    assert Person.objects.create(name="???").slug == "person"
    assert Section.objects.create(name="***").slug == "section"
    assert make_author("...").slug == "author"


def test_same_headline_twice_gets_distinct_slugs():
    assert make_story("Council meets").slug == "council-meets"
    assert make_story("Council meets").slug == "council-meets-2"


def test_database_rejects_a_published_story_without_a_publish_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.create(headline="No time", status=Story.Status.PUBLISHED, published_at=None)


def test_database_rejects_an_empty_slug_even_when_save_is_bypassed():
    story = make_story("A story with a slug")

    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(slug="")


def test_database_rejects_an_empty_headline():
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.create(headline="", slug="no-headline")


@pytest.mark.parametrize("url", ["http://www.facebook.com/herald", "javascript:alert(1)"])
def test_social_links_must_be_https(url):
    link = SocialLink(platform="facebook", url=url)
    with pytest.raises(ValidationError):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_author_links_must_be_https():
    author = make_author()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorLink.objects.create(author=author, platform="x", url="http://x.com/reporter")


@pytest.mark.parametrize(
    "status, published_at, public",
    [
        (Story.Status.DRAFT, None, False),
        (Story.Status.SUBMITTED, None, False),
        (Story.Status.DRAFT, NOW - timedelta(days=1), False),
        (Story.Status.PUBLISHED, NOW + timedelta(minutes=1), False),
        (Story.Status.PUBLISHED, NOW, True),
        (Story.Status.PUBLISHED, NOW - timedelta(days=3), True),
        (Story.Status.RETRACTED, NOW - timedelta(days=3), False),
    ],
    ids=["draft", "submitted", "draft-with-time", "scheduled", "due-now", "past", "retracted"],
)
def test_is_published_agrees_with_the_published_queryset(status, published_at, public):
    story = make_story("Under test", status=status, published_at=published_at)

    assert story.is_published(NOW) is public
    assert Story.objects.published(NOW).filter(pk=story.pk).exists() is public


@pytest.mark.parametrize(
    "status, published_at, scheduled",
    [
        (Story.Status.DRAFT, NOW + timedelta(days=1), False),
        (Story.Status.PUBLISHED, NOW + timedelta(minutes=1), True),
        (Story.Status.PUBLISHED, NOW, False),
        (Story.Status.PUBLISHED, NOW - timedelta(days=3), False),
        (Story.Status.RETRACTED, NOW + timedelta(days=1), False),
    ],
    ids=["draft-with-future-time", "scheduled", "due-now", "past", "retracted"],
)
def test_is_scheduled_agrees_with_the_scheduled_queryset(status, published_at, scheduled):
    story = make_story("Under test", status=status, published_at=published_at)

    assert story.is_scheduled(NOW) is scheduled
    assert Story.objects.scheduled(NOW).filter(pk=story.pk).exists() is scheduled


def test_scheduled_story_becomes_public_by_itself_when_its_time_comes():
    story = make_story("Tomorrow's story", published_at=NOW + timedelta(hours=2))

    assert not story.is_published(NOW)
    assert story.is_scheduled(NOW)
    assert story.is_published(NOW + timedelta(hours=2))
    assert Story.objects.published(NOW + timedelta(hours=2)).filter(pk=story.pk).exists()


def test_body_is_sanitized_on_save_and_words_are_counted():
    story = make_story(
        "Sanitized", body='<p onclick="x()">Three short words</p><script>alert(1)</script><a href="javascript:x">a</a>'
    )

    assert "script" not in story.body and "onclick" not in story.body and "javascript" not in story.body
    assert story.word_count == 4


def test_a_person_added_without_saying_they_are_a_public_figure_gets_no_public_page(client):
    resident = Person.objects.create(name="Thandi Mokoena", description="a 32-year-old warehouse worker")
    make_quote(make_story("Taxi fares rise"), resident)

    assert resident.get_absolute_url() == ""
    assert client.get(f"/people/{resident.slug}/").status_code == 404
