"""The embeds' jobs: each new link in a saved story is fetched from its provider by the worker.

Pages show a plain link until the job has run; when it has, the embed's row changes, which retires
the stories showing it (``embeds.dependencies``), and their pages show the facade.
"""

from celery import shared_task

from embeds.models import Embed
from embeds.oembed import refresh
from embeds.providers import recognise
from newsroom.celery import RETRYING, enqueue

SWEEP_BATCH = 100


@shared_task(**RETRYING)
def fetch_embeds(urls: list[str]) -> int:
    """Fetch the metadata of these links that have none yet; returns how many were fetched."""
    fetched = 0
    for url in urls:
        recognised = recognise(url)
        if recognised is None:
            continue
        embed, _ = Embed.objects.get_or_create(url=url, defaults={"provider": recognised[0].key})
        if embed.fetched_at is None:
            refresh(embed)
            fetched += 1
    return fetched


@shared_task(**RETRYING)
def fetch_waiting() -> int:
    """Queue the embeds never fetched (their job was lost while the broker was away, say)."""
    urls = list(Embed.objects.waiting().order_by("pk").values_list("url", flat=True)[:SWEEP_BATCH])
    if urls:
        enqueue(fetch_embeds, urls)
    return len(urls)


@shared_task(**RETRYING)
def refetch_embed(embed_id: int) -> bool:
    """Fetch one embed again (an editor's request from the admin); False if it is gone."""
    embed = Embed.objects.filter(pk=embed_id).first()
    if embed is None:
        return False
    refresh(embed)
    return True
