"""What the admin's front page shows each member of the newsroom."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from articles import roles
from articles.models import Correction, Story

CALENDAR_DAYS = 7
LIST_LENGTH = 10


@dataclass
class CalendarDay:
    day: date
    stories: list[Story]


def _calendar(stories, today: date) -> list[CalendarDay]:
    days = [CalendarDay(today + timedelta(days=n), []) for n in range(CALENDAR_DAYS)]
    by_day = {entry.day: entry for entry in days}
    for story in stories:
        entry = by_day.get(timezone.localdate(story.published_at))
        if entry is not None:
            entry.stories.append(story)
    return days


def dashboard(user, now: datetime | None = None) -> dict:
    """The review queue, the schedule, what went out and was corrected, and the user's own work.

    Editors see the whole newsroom; reporters only the stories they started or are bylined on.
    """
    now = now or timezone.now()
    stories = Story.objects.select_related("section", "created_by")
    if not roles.can_edit_any_story(user):
        stories = stories.owned_by(user)
    today = timezone.localdate(now)
    calendar_end = timezone.make_aware(datetime.combine(today + timedelta(days=CALENDAR_DAYS), datetime.min.time()))
    mine = Story.objects.owned_by(user).select_related("section")
    return {
        "is_editor": roles.can_publish(user),
        "can_start_story": user.has_perm(roles.ADD_STORY),
        # Editors count the whole newsroom's live stories, reporters their own.
        "live_count": stories.published(now).count(),
        "awaiting_review": list(stories.filter(status=Story.Status.SUBMITTED).order_by("submitted_at", "pk")[:50]),
        "calendar": _calendar(
            stories.scheduled(now).filter(published_at__lt=calendar_end).order_by("published_at"),
            today,
        ),
        "recently_published": list(stories.published(now).order_by("-published_at", "-pk")[:LIST_LENGTH]),
        "recently_corrected": list(
            Correction.objects.filter(story__in=stories)
            .select_related("story")
            .order_by("-created_at", "-pk")[:LIST_LENGTH]
        ),
        "returned": list(mine.filter(status=Story.Status.DRAFT, returned_at__isnull=False).order_by("-returned_at")),
        "my_drafts": list(
            mine.filter(status=Story.Status.DRAFT, returned_at__isnull=True).order_by("-updated_at")[:LIST_LENGTH]
        ),
    }
