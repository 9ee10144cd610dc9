"""The articles app's jobs: the search document of a saved story is worked out by the worker."""

from celery import shared_task

from articles.models import Story
from newsroom.celery import RETRYING


@shared_task(**RETRYING)
def refresh_search_documents(story_ids: list[int]) -> int:
    """Recompute the stored search document of these stories from their current text (PostgreSQL only)."""
    return Story.objects.filter(pk__in=story_ids).refresh_search_document()
