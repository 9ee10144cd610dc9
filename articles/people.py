"""Who is who: matching a speaker found in copy to the people on file, and merging or splitting people.

A person is proposed as the same only on strong evidence: the same full name, or the same first
name with the same description ("a 32-year-old warehouse worker"). For members of the public
known by first name only, the same first name is almost never the same person, so a first name
alone is offered as "maybe the same as" for an editor to decide, and never applied.
Merges and splits are recorded in the people's and quotes' history, with who and why.
"""

import re
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from articles import roles
from articles.dependencies import list_tag, tag_for
from articles.models import Person, Quote
from newsroom import cachetags

AGE = re.compile(r"\b(\d{1,3})[- ]year[- ]old\b")
# Ages in two stories a while apart may differ by this much and still describe the same person.
AGE_TOLERANCE = 1


class PersonMatch(NamedTuple):
    """The person a speaker is (``same``), or only may be (``maybe``), or neither: a new person."""

    same: Person | None = None
    maybe: Person | None = None


def _role(description: str) -> tuple[str, int | None]:
    """ "a 32-year-old warehouse worker" -> ("warehouse worker", 32): what they do, and their age."""
    text = description.casefold().replace("’", "'")
    age = AGE.search(text)
    text = AGE.sub(" ", text)
    text = re.sub(r"^\s*(?:\d{1,3}\s*,\s*)?(?:a|an|the)\s+", "", text.strip())
    text = re.sub(r"[^\w' ]+", " ", text)
    return " ".join(text.split()), int(age.group(1)) if age else None


def descriptions_match(first: str, second: str) -> bool:
    """The same role, and the same age within a year where both give one."""
    (role_a, age_a), (role_b, age_b) = _role(first), _role(second)
    if not role_a or role_a != role_b:
        return False
    return age_a is None or age_b is None or abs(age_a - age_b) <= AGE_TOLERANCE


def _described_as(person: Person, description: str) -> bool:
    introductions = [person.description, *person.quotes.values_list("introduction", flat=True)]
    return any(descriptions_match(text, description) for text in introductions if text)


def match_person(name: str, description: str = "") -> PersonMatch:
    """The person on file a speaker is: full name, or first name with the same description; else a maybe."""
    name = " ".join(name.split())
    if not name:
        return PersonMatch()
    first = name.split()[0]
    if len(name.split()) > 1:
        named = list(Person.objects.filter(name__iexact=name).order_by("-pk")[:20])
        if len(named) == 1:
            return PersonMatch(same=named[0])
        described = [p for p in named if description and _described_as(p, description)]
        if len(described) == 1:
            return PersonMatch(same=described[0])
        return PersonMatch(maybe=named[0] if named else None)
    candidates = list(
        Person.objects.filter(Q(name__iexact=first) | Q(name__istartswith=f"{first} ")).order_by("-pk")[:20]
    )
    described = [p for p in candidates if description and _described_as(p, description)]
    if len(described) == 1 and described[0].name.casefold() == first.casefold():
        return PersonMatch(same=described[0])
    return PersonMatch(maybe=(described or candidates or [None])[0])


def _move_quotes(quotes, person: Person, *, by, reason: str) -> int:
    moved = 0
    for quote in quotes:
        quote.person = person
        if by is not None:
            quote._history_user = by
        quote._change_reason = reason
        quote.save(update_fields=["person"])
        moved += 1
    return moved


def _require_editor(by) -> None:
    if by is not None and not roles.can_merge_people(by):
        raise PermissionDenied("Only editors may merge or split people.")


def _record(person: Person, *, by, reason: str) -> None:
    if by is not None:
        person._history_user = by
    person._change_reason = reason


@transaction.atomic
def merge_people(*, people: list[Person], into: Person, by=None) -> int:
    """Make ``people`` one with ``into``: their quotes move to it, and they are removed with a history record.

    ``into`` keeps its own name and settings and takes a description or photo only where it had none.
    Returns the number of quotes moved.
    """
    _require_editor(by)
    into = Person.objects.select_for_update().get(pk=into.pk)
    others = list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in people]).exclude(pk=into.pk))
    moved, merged = 0, ", ".join(f"{o.name} (id {o.pk})" for o in others)
    for other in others:
        reason = f"Merged into {into.name} (id {into.pk})"
        moved += _move_quotes(other.quotes.all(), into, by=by, reason=reason)
        into.description = into.description or other.description
        into.photo_id = into.photo_id or other.photo_id
        cachetags.retire(tag_for(other), list_tag(other))
        _record(other, by=by, reason=reason)
        other.delete()
    if others:
        _record(into, by=by, reason=f"Merged in {merged}")
        into.save()
    return moved


@transaction.atomic
def split_person(*, person: Person, quotes: list[Quote], name: str = "", description: str = "", by=None) -> Person:
    """Move some of a person's quotes to a new person: two people the desk had taken for one."""
    _require_editor(by)
    person = Person.objects.select_for_update().get(pk=person.pk)
    chosen = list(person.quotes.filter(pk__in=[q.pk for q in quotes]))
    if not chosen:
        raise ValueError("Choose at least one of their quotes to move to the new person.")
    new = Person(
        name=name.strip() or person.name,
        description=description.strip(),
        has_profile=person.has_profile,
    )
    _record(new, by=by, reason=f"Split from {person.name} (id {person.pk})")
    new.save()
    _move_quotes(chosen, new, by=by, reason=f"Moved from {person.name} (id {person.pk}) to a new person")
    cachetags.retire(tag_for(person), list_tag(person))
    _record(person, by=by, reason=f"Split: {len(chosen)} quote(s) moved to {new.name} (id {new.pk})")
    person.save()
    return new
