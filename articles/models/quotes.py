"""What people said in a story, and who the story quotes."""

import re
from typing import NamedTuple

from django.db import models
from simple_history.models import HistoricalRecords

from articles.models.people import Person
from newsroom.constraints import NotEmpty


class QuotedPerson(NamedTuple):
    person: Person
    introduction: str
    extra_quotes: list  # their quotes the story's body does not carry


def comparable_text(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").casefold().split())


def is_carried_by(quote_text: str, body: str) -> bool:
    """Every clause of the quote is in the body (a quotation may be split by its attribution)."""
    pieces = [p.strip(" .,;:!?\"“”'") for p in re.split(r"[.!?,;:]\s+", comparable_text(quote_text))]
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(piece in body for piece in pieces)


class Quote(models.Model):
    """What a person said, in which story, and how the story introduced them."""

    class Kind(models.TextChoices):
        DIRECT = "direct", "Their own words (in quotation marks)"
        REPORTED = "reported", "Reported speech (what the story says they said)"

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="quotes")
    person = models.ForeignKey("articles.Person", on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField("what they said")
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        default=Kind.DIRECT,
        help_text="Reported speech is shown without quotation marks, so nobody is quoted with words they did not use.",
    )
    introduction = models.CharField(
        max_length=200, blank=True, help_text='How the story introduces them, e.g. "a 32-year-old warehouse worker".'
    )
    context = models.CharField(max_length=200, blank=True, help_text='Where or how, e.g. "speaking on state TV".')
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [NotEmpty(field="text", name="quote_text_not_empty")]

    def __str__(self):
        return f"{self.person.name}: {self.text[:60]}"

    @property
    def attribution(self) -> str:
        """ "Anton, a 32-year-old warehouse worker" or "Jane Doe, Minister of Finance"."""
        who = self.introduction or self.person.description
        return f"{self.person.name}, {who}" if who else self.person.name
