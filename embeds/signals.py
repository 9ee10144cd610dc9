"""After a story is saved, the links it embeds that the site knows nothing of yet are fetched by the worker."""

from django.db.models.signals import post_save

from embeds.markup import embed_urls
from embeds.models import Embed
from newsroom.celery import enqueue


def story_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "body" not in update_fields):
        return
    urls = embed_urls(instance.body)
    if not urls:
        return
    known = set(Embed.objects.for_urls(urls).exclude(fetched_at=None).values_list("url", flat=True))
    new = [url for url in urls if url not in known]
    if new:
        from embeds.tasks import fetch_embeds

        enqueue(fetch_embeds, new)


def connect() -> None:
    from articles.models import Story

    post_save.connect(story_saved, sender=Story, dispatch_uid="embeds-story-saved")
