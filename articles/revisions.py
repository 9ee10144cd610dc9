"""Reading a story's revisions: what each one held, and a word-level diff between any two.

django-simple-history keeps each model's history on its own. A story revision is its own
historical row plus the bylines, quotes and tags as they stood until the next revision of the
story: every save of the story form saves the story first and its related rows after it.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import bodydiff
from articles.models import Author, Byline, Person, Quote, Section, Source, Story
from articles.richtext import plain_text
from media.models import Image

# Compared as words; the body is compared as blocks and everything else is metadata.
TEXT_LABELS = ["Headline", "Standfirst"]
diff_words = bodydiff.diff_words


@dataclass
class RelatedState:
    """A revision's bylines, quotes and tag names, and which referenced rows still exist."""

    bylines: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    existing_authors: dict[int, str] = field(default_factory=dict)
    existing_people: dict[int, str] = field(default_factory=dict)


@dataclass
class FieldChange:
    """One field that differs between two revisions, as word-level segments ``(op, text)``."""

    label: str
    segments: list[tuple[str, str]]


@dataclass
class MetadataChange:
    label: str
    before: str
    after: str


@dataclass
class Comparison:
    """Two revisions compared: headline and standfirst by words, the body by blocks, the rest as a table."""

    text: list[FieldChange]
    body: list[bodydiff.BlockChange]
    metadata: list[MetadataChange]

    def __bool__(self) -> bool:
        return bool(self.text or self.body or self.metadata)


def story_revisions(story: Story):
    """A story's revisions, newest first, with who made them."""
    return story.history.select_related("history_user").order_by("-history_date", "-history_id")


def _upper_bound(record) -> datetime | None:
    """The instant just before the story's next revision (None: this is the latest)."""
    following = (
        Story.history.filter(id=record.id, history_date__gt=record.history_date)
        .order_by("history_date", "history_id")
        .values_list("history_date", flat=True)
        .first()
    )
    return following - timedelta(microseconds=1) if following else None


def _as_of(history, upper: datetime | None) -> list:
    """The rows alive at ``upper``: the latest historical record of each, unless it is a deletion."""
    if upper is not None:
        history = history.filter(history_date__lte=upper)
    latest = {}
    for record in history.order_by("history_date", "history_id"):
        latest[record.id] = record
    return [record for record in latest.values() if record.history_type != "-"]


def _rows_as_of(model, upper: datetime | None, **filters) -> list:
    """The rows alive at ``upper``, plus rows with no history at all (bulk-created, so there all along)."""
    history = model.history.filter(**filters)
    untracked = model.objects.filter(**filters).exclude(pk__in=history.values("id"))
    return [*_as_of(history, upper), *untracked]


def related_state(record) -> RelatedState:
    """The bylines, quotes and tags that belonged with one story revision."""
    upper = _upper_bound(record)
    bylines = sorted(_rows_as_of(Byline, upper, story_id=record.id), key=lambda b: (b.position, b.id))
    quotes = sorted(_rows_as_of(Quote, upper, story_id=record.id), key=lambda q: (q.position, q.id))
    content_type = ContentType.objects.get_for_model(Story)
    tagged = _rows_as_of(TaggedItem, upper, content_type_id=content_type.pk, object_id=record.id)
    tag_names = sorted(Tag.objects.filter(pk__in=[item.tag_id for item in tagged]).values_list("name", flat=True))
    authors = dict(Author.objects.filter(pk__in=[b.author_id for b in bylines]).values_list("pk", "name"))
    people = dict(Person.objects.filter(pk__in=[q.person_id for q in quotes]).values_list("pk", "name"))
    return RelatedState(bylines, quotes, tag_names, authors, people)


def drop_missing_references(story: Story) -> None:
    """Clear links a restored revision makes to sections, images or sources deleted since."""
    for attname, model in [("section_id", Section), ("hero_image_id", Image), ("source_id", Source)]:
        value = getattr(story, attname)
        if value is not None and not model.objects.filter(pk=value).exists():
            setattr(story, attname, None)


def _name(model, pk) -> str:
    if pk is None:
        return ""
    obj = model.objects.filter(pk=pk).first()
    return str(obj) if obj else f"(deleted, id {pk})"


def time_text(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M %Z}" if value else ""


def snapshot(record) -> dict[str, str]:
    """A revision as readable text per field, in the order the story form shows them."""
    state = related_state(record)
    return {
        "Headline": record.headline,
        "Standfirst": record.standfirst,
        "Body": plain_text(record.body),
        "Section": _name(Section, record.section_id),
        "Kind": Story.Kind(record.kind).label if record.kind in Story.Kind.values else record.kind,
        "Language": record.language,
        "Tags": ", ".join(state.tag_names),
        "Bylines": ", ".join(state.existing_authors.get(b.author_id, "(deleted author)") for b in state.bylines),
        "Quotes": "\n".join(
            f"{state.existing_people.get(q.person_id, '(deleted person)')}: "
            + (f"{q.text} (reported)" if q.kind == Quote.Kind.REPORTED else f"“{q.text}”")
            for q in state.quotes
        ),
        "Hero image": _name(Image, record.hero_image_id),
        "Caption": record.hero_caption,
        "Source": _name(Source, record.source_id),
        "Original article": record.original_url,
        "Status": Story.Status(record.status).label if record.status in Story.Status.values else record.status,
        "Publish time": time_text(record.published_at),
        "Embargo until": time_text(record.embargo_until),
    }


def compare(old_record, new_record) -> list[FieldChange]:
    """The fields that differ between two revisions, each as a word-level diff."""
    old, new = snapshot(old_record), snapshot(new_record)
    return [FieldChange(label, diff_words(old[label], new[label])) for label in old if old[label] != new[label]]


def compare_structured(old_record, new_record) -> Comparison:
    """What changed between two revisions, with the body kept as paragraphs, subheadings and quotes."""
    old, new = snapshot(old_record), snapshot(new_record)
    text = [FieldChange(label, diff_words(old[label], new[label])) for label in TEXT_LABELS if old[label] != new[label]]
    body = bodydiff.compare(old_record.body, new_record.body) if old_record.body != new_record.body else []
    metadata = [
        MetadataChange(label, old[label], new[label])
        for label in old
        if label not in TEXT_LABELS and label != "Body" and old[label] != new[label]
    ]
    return Comparison(text, body, metadata)


def _text(record) -> tuple[str, str, str]:
    return record.headline, record.standfirst, record.body


def default_pair(records: list) -> tuple | None:
    """The revisions to compare first: the latest one whose text differs from the one before it, and that one.

    Records are newest first. A change of status alone is skipped over; with no change of text at all,
    the two latest revisions.
    """
    if len(records) < 2:
        return None
    for newer, older in zip(records, records[1:], strict=False):
        if _text(newer) != _text(older):
            return older, newer
    return records[1], records[0]
