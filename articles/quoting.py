"""Quotes made from the story text: the words a writer selected in the body, and who said them.

The speaker is a person on file the writer may see, or a new person named in place; a new name is
first matched against the people on file by the rules of ``articles.people.match_person``, so
the same person is not filed twice. The story's body marks the quoted words with the quote's id
(``<span data-quote="ID">``), which the editor adds once the quote exists.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from articles import publishing, roles
from articles.models import Person, Quote, Story
from articles.people import match_person

MAX_QUOTE_CHARS = 3000
# Quotation marks a selection may start or end with: the quote keeps the words, the page adds its own marks.
QUOTATION_MARKS = "\"'“”„‟‘’‚‛«»‹›"
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)


def quoted_words(selection: str) -> str:
    """The selected words as a quote keeps them: on one line, without quotation marks around them."""
    return " ".join(selection.split()).strip(QUOTATION_MARKS + " ,").strip()


def describe(*, age: int | None = None, role: str = "") -> str:
    """How a story introduces someone new: "a 32-year-old warehouse worker", "an 18-year-old", "Mayor of Soweto"."""
    role = " ".join(role.split())
    if age is None:
        return role
    article = "an" if str(age).startswith("8") or age in (11, 18) else "a"
    return " ".join(filter(None, [f"{article} {age}-year-old", _ARTICLE.sub("", role)]))


def _speaker(*, by, name: str, description: str, story: Story) -> tuple[Person, bool]:
    """The person on file the name and description are, if the writer may see them; else a new person."""
    same = match_person(name, description).same
    if same is not None and same.is_visible_to(by):
        return same, False
    if not by.has_perm(roles.ADD_PERSON):
        raise PermissionDenied("You may not add people.")
    person = Person(name=" ".join(name.split()), description=description)
    person._history_user = by
    person._change_reason = f"Named as the speaker of a quote in “{story.headline}”"
    person.save()
    return person, True


@transaction.atomic
def quote_from_selection(
    *,
    story: Story,
    by,
    text: str,
    person: Person | None = None,
    name: str = "",
    description: str = "",
    kind: str = Quote.Kind.DIRECT,
) -> tuple[Quote, bool]:
    """Create the quote of ``text`` by ``person`` (or a person named ``name``) in ``story``.

    Returns the quote and whether a new person was filed for it. The writer must be able to change
    the story and see the person; a live story shows the new quote at once, with a new "Updated" time.
    """
    words = quoted_words(text)
    if not words:
        raise ValueError("Select the words they said in the story text.")
    if not (roles.can_edit_story(by, story) and by.has_perm(roles.ADD_QUOTE)):
        raise PermissionDenied("You may not add quotes to this story.")
    created = False
    if person is None:
        person, created = _speaker(by=by, name=name, description=description, story=story)
    elif not person.is_visible_to(by):
        raise PermissionDenied("You may not quote this person.")
    last = story.quotes.aggregate(last=Max("position"))["last"]
    quote = Quote(
        story=story,
        person=person,
        text=words[:MAX_QUOTE_CHARS],
        kind=kind or Quote.Kind.DIRECT,
        introduction=description if created else "",
        position=0 if last is None else last + 1,
    )
    quote._history_user = by
    quote._change_reason = "Quoted from the story text"
    quote.save()
    publishing.record_public_update(story=story)
    return quote, created
