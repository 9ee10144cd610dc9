"""What the media library needs to know of the newsroom's pictures, registered in ``ArticlesConfig.ready``.

The library cannot import the newsroom's models; it asks these functions (``media.usage``) where a
picture is used and whether an upload from a story's editor is for a story its uploader may change.
"""

from django.db.models import Q

from articles import roles
from articles.models import Author, Person, Publication, Story


def picture_uses(image, user) -> tuple[list[tuple[str, object]], int]:
    """Where ``image`` is used, naming only the stories ``user`` may open, and how many other stories use it.

    Pictures in a story's text are read from ``Story.body_pictures``, kept when the story is saved.
    """
    stories = Story.objects.none() if user is None else Story.objects.visible_to(user)
    found = [
        *(("Story picture", story) for story in stories.filter(hero_image=image)),
        *(("In the text of", story) for story in stories.filter(body_pictures=image)),
        *(("Author photo", author) for author in Author.objects.filter(photo=image)),
        *(("Person photo", person) for person in Person.objects.filter(photo=image)),
        *(("Site logo", publication) for publication in Publication.objects.filter(logo=image)),
    ]
    using = Story.objects.filter(Q(hero_image=image) | Q(body_pictures=image))
    hidden = using.exclude(pk__in=stories.values("pk")).values("pk").distinct().count()
    return found, hidden


def story_upload_refusal(user, value: str) -> tuple[int, str] | None:
    """A picture uploaded from a story's editor: the story must be one the uploader may change."""
    story = Story.objects.visible_to(user).filter(pk=int(value)).first() if value.isdigit() else None
    if story is None:
        return 404, "No such story."
    if not roles.can_edit_story(user, story):
        return 403, "You may not change this story."
    return None
