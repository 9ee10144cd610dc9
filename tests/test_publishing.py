"""The editorial workflow's transitions in articles.publishing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import publishing
from articles.models import Correction, Story
from tests.factories import make_image, make_section, make_source, make_story, ready_story

pytestmark = pytest.mark.django_db


def test_checklist_refuses_with_every_reason_listed(editor, settings):
    settings.NEWSROOM_HEADLINE_MAX_CHARS = 20
    opinion = make_section("Opinion", slug="opinion")
    story = make_story(
        "A headline that is far too long for a card",
        status=Story.Status.DRAFT,
        section=opinion,
        standfirst="",
        hero_image=make_image(alt_text="", credit=""),
        original_url="https://example.org/original",
    )

    with pytest.raises(publishing.WorkflowError) as refused:
        publishing.publish(story=story, by=editor)

    assert refused.value.reasons == [
        "Add at least one byline, or choose the source whose name stands as the byline.",
        "Write a standfirst.",
        "The hero image needs alt text.",
        "The hero image needs a credit.",
        "Syndicated copy needs its source: choose the source of the original article.",
        "Stories in Opinion are opinion: set the kind to Commentary.",
        "Shorten the headline to 20 characters or fewer (it has 42): search results and social cards cut longer "
        "ones off.",
    ]
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT and story.published_at is None


def test_checklist_is_empty_for_a_ready_story():
    story = ready_story(source=make_source(), original_url="https://example.org/a")
    assert publishing.checklist(story) == []
    story.section = None
    assert publishing.checklist(story) == ["Choose a section."]


def test_publish_now_records_who_and_when(editor):
    story = ready_story()
    now = timezone.now()

    publishing.publish(story=story, by=editor, now=now)

    assert story.status == Story.Status.PUBLISHED
    assert story.published_at == now and story.published_by == editor
    assert story.is_published(now)
    revision = story.history.first()
    assert revision.history_user == editor and revision.history_change_reason == "Published"


def test_a_double_submitted_publish_publishes_once(editor):
    story = ready_story()
    first = timezone.now()
    publishing.publish(story=story, by=editor, now=first)
    revisions = story.history.count()

    publishing.publish(story=story, by=editor, now=first + timedelta(seconds=2))

    story.refresh_from_db()
    assert story.published_at == first
    assert story.history.count() == revisions


def test_scheduling_sets_a_future_time_and_scheduling_twice_is_one_change(editor):
    story = ready_story()
    now = timezone.now()
    at = now + timedelta(hours=3)

    publishing.publish(story=story, by=editor, at=at, now=now)
    publishing.publish(story=story, by=editor, at=at, now=now)

    assert story.is_scheduled(now) and not story.is_published(now)
    assert story.history.filter(history_change_reason__startswith="Scheduled").count() == 1


def test_a_publish_time_long_past_is_refused(editor):
    story = ready_story()
    with pytest.raises(publishing.WorkflowError):
        publishing.publish(story=story, by=editor, at=timezone.now() - timedelta(days=1))


def test_embargo_holds_publishing_back_until_its_time(editor):
    now = timezone.now()
    embargo = now + timedelta(hours=2)
    story = ready_story(embargo_until=embargo)

    with pytest.raises(publishing.WorkflowError) as refused:
        publishing.publish(story=story, by=editor, now=now)
    assert "embargoed until" in refused.value.reasons[-1]

    publishing.publish(story=story, by=editor, at=embargo, now=now)
    assert story.published_at == embargo


def test_the_database_refuses_a_story_published_before_its_embargo():
    story = ready_story(embargo_until=timezone.now() + timedelta(hours=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Story.objects.filter(pk=story.pk).update(status=Story.Status.PUBLISHED, published_at=timezone.now())


def test_reporters_cannot_publish_schedule_retract_or_return(reporter):
    story = ready_story(created_by=reporter)
    for transition in (publishing.publish, publishing.retract, publishing.unschedule, publishing.return_to_reporter):
        with pytest.raises(PermissionDenied):
            transition(story=story, by=reporter)
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_submit_and_return_round_trip(reporter, editor):
    story = ready_story(created_by=reporter)

    publishing.submit_for_review(story=story, by=reporter, note="Lawyer has seen it.")
    assert story.status == Story.Status.SUBMITTED and story.review_note == "Lawyer has seen it."
    assert story.submitted_at is not None

    publishing.return_to_reporter(story=story, by=editor, note="Needs a second source.")
    assert story.status == Story.Status.DRAFT and story.editor_note == "Needs a second source."
    assert story.returned_at is not None


def test_a_reporter_cannot_submit_someone_elses_story(reporter, other_reporter):
    story = ready_story(created_by=other_reporter)
    with pytest.raises(PermissionDenied):
        publishing.submit_for_review(story=story, by=reporter)


def test_unschedule_and_retract(editor):
    now = timezone.now()
    scheduled = ready_story()
    publishing.publish(story=scheduled, by=editor, at=now + timedelta(days=1), now=now)
    publishing.unschedule(story=scheduled, by=editor, now=now)
    assert scheduled.status == Story.Status.DRAFT and scheduled.published_at is None

    live = ready_story("Live story")
    publishing.publish(story=live, by=editor, now=now)
    publishing.retract(story=live, by=editor, now=now + timedelta(minutes=1))
    assert live.status == Story.Status.RETRACTED and live.retracted_at is not None
    assert not Story.objects.published().filter(pk=live.pk).exists()
    assert Story.objects.filter(pk=live.pk).exists()


def test_a_correction_is_appended_and_sets_the_updated_time(editor):
    story = ready_story()
    published = timezone.now() - timedelta(hours=2)
    publishing.publish(story=story, by=editor, now=published)
    now = timezone.now()

    correction = publishing.add_correction(
        story=story, by=editor, text="An earlier version misspelt the mayor's name.", now=now
    )

    assert correction.created_by == editor and correction.created_at == now
    assert story.modified_at == now and story.was_updated
    assert story.history.first().history_change_reason == "Correction added"


def test_corrections_are_only_for_live_stories(editor):
    story = ready_story()
    with pytest.raises(publishing.WorkflowError):
        publishing.add_correction(story=story, by=editor, text="Wrong date.")
    assert not Correction.objects.exists()


def test_reporters_cannot_add_corrections(reporter):
    story = make_story()
    with pytest.raises(PermissionDenied):
        publishing.add_correction(story=story, by=reporter, text="Wrong date.")
    assert not Correction.objects.exists()


def test_allowed_transitions_follow_the_state_and_the_role(reporter, editor):
    story = ready_story(created_by=reporter)
    assert publishing.allowed_transitions(story, reporter) == ["submit"]
    assert publishing.allowed_transitions(story, editor) == ["submit", "publish"]
    publishing.submit_for_review(story=story, by=reporter)
    assert publishing.allowed_transitions(story, reporter) == []
    assert publishing.allowed_transitions(story, editor) == ["return", "publish"]
    publishing.publish(story=story, by=editor)
    assert publishing.allowed_transitions(story, editor) == ["retract"]
