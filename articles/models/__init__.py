"""The newsroom's content model, split by subject and re-exported here."""

from articles.models.bylines import Byline
from articles.models.corrections import Correction
from articles.models.live import LiveEntry, LiveEntryQuerySet
from articles.models.people import Author, AuthorLink, Person
from articles.models.publication import Platform, Publication, SocialLink
from articles.models.quotes import Quote
from articles.models.readership import StoryReadCount
from articles.models.sections import Section, Source
from articles.models.series import Series, SeriesQuerySet, SeriesStory
from articles.models.stories import Story
from articles.models.story_queries import StoryQuerySet
from articles.models.workflow import PreviewLink, StoryAutosave

__all__ = [
    "Author",
    "AuthorLink",
    "Byline",
    "Correction",
    "LiveEntry",
    "LiveEntryQuerySet",
    "Person",
    "Platform",
    "PreviewLink",
    "Publication",
    "Quote",
    "Section",
    "Series",
    "SeriesQuerySet",
    "SeriesStory",
    "SocialLink",
    "Source",
    "Story",
    "StoryAutosave",
    "StoryQuerySet",
    "StoryReadCount",
]
