"""What a change to an embed retires in the page cache (``newsroom.cachetags``): the stories showing it.

An embed is fetched after the stories that show it were saved, and may be fetched again; either way
the published stories whose body holds its link are retired, which empties their kept markup and
feed entries (``articles.rendering``), so they show the new title, thumbnail and player.
"""

from html import escape

from articles.models import Story
from embeds.models import Embed
from newsroom import cachetags


def stories_showing(url: str):
    """Published stories whose body embeds ``url``."""
    return Story.objects.published().filter(body__contains=f'<figure class="embed"><a href="{escape(url)}">')


def embed_retires(embed, *, before, deleted, related=None) -> set[str]:
    """An embed fetched, fetched again or deleted: the published stories showing it (none: nothing)."""
    showing = list(stories_showing(embed.url).values_list("pk", flat=True))
    if not showing:
        return set()
    return {cachetags.tag_for(embed), *(f"story-{pk}" for pk in showing)}


def declare() -> None:
    cachetags.on_change(Embed, embed_retires)
