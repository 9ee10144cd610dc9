"""Merging a story form with what others saved since it was opened: a three-way merge per field.

The three versions are the revision the form was opened at (the base, read from the story's own
history on the server: the form only names its version), the story as saved now (theirs) and the
form as posted (mine). A field changed on one side only takes that side; a field both changed to
different values is a conflict the writer settles; nothing is saved while one is open.
"""

from dataclasses import dataclass, field

from django.db.models import Model
from django.http import QueryDict

from articles import bodydiff, revisions
from articles.models import Author, Byline, Person, Quote, Section, Source, Story
from articles.richtext import plain_text, sanitize_body
from media.models import Image

# The form fields merged, with the label a writer knows them by. Anything else the form posts
# (base_version, publish_at) says how to save, not what the story holds.
LABELS = {
    "headline": "Headline",
    "standfirst": "Standfirst",
    "body": "Body",
    "section": "Section",
    "kind": "Kind",
    "language": "Language",
    "tags": "Tags",
    "slug": "Slug",
    "hero_image": "Picture",
    "hero_caption": "Caption",
    "source": "Source",
    "original_url": "Original article",
    "review_note": "Note to the editor",
    "editor_note": "Note from the editor",
    "embargo_until": "Embargo until",
    "home_position": "Home position",
    "breaking_until": "Breaking until",
    "related": "Related stories",
}
FOREIGN_KEYS = {"section": Section, "hero_image": Image, "source": Source}
SCALARS = [name for name in LABELS if name not in FOREIGN_KEYS and name not in ("tags", "related")]
# The story's inlines: merged as whole lists (who is bylined in which order; who is quoted saying what).
ROWS = {"bylines": "Bylines", "quotes": "Quotes"}
QUOTE_FIELDS = ("person", "text", "introduction", "context")
MAX_ROWS = 200
UNKNOWN = object()  # no base to compare with: any difference between the two sides is shown


@dataclass
class FieldMerge:
    """One field in the three versions, and which side the merge takes: same, mine, theirs or conflict."""

    name: str
    label: str
    base: object
    theirs: object
    mine: object
    theirs_text: str = ""
    mine_text: str = ""
    body_diff: list = field(default_factory=list)
    chosen: str = ""

    @property
    def outcome(self) -> str:
        if self.mine == self.theirs:
            return "same"
        if self.base is UNKNOWN:
            return "conflict"
        if self.mine == self.base:
            return "theirs"
        if self.theirs == self.base:
            return "mine"
        return "conflict"


@dataclass
class Merge:
    """The form merged with the story as saved at ``version``, by the people in ``revisions``."""

    version: int
    fields: list[FieldMerge]
    revisions: list
    choices: dict[str, str] = field(default_factory=dict)

    def choose(self, data: QueryDict) -> None:
        """Read the writer's choice for each conflict ("mine" or "theirs") from the posted form."""
        self.choices = {f.name: data.get(f"merge_{f.name}", "") for f in self.conflicts}
        for merged in self.conflicts:
            merged.chosen = self.choices[merged.name]

    @property
    def conflicts(self) -> list[FieldMerge]:
        return [f for f in self.fields if f.outcome == "conflict"]

    @property
    def unchosen(self) -> list[FieldMerge]:
        return [f for f in self.conflicts if self.choices.get(f.name) not in ("mine", "theirs")]

    def takes(self, name: str) -> str:
        """Which side the saved story takes for ``name``: "mine" or "theirs" (same values count as theirs)."""
        merged = next((f for f in self.fields if f.name == name), None)
        if merged is None:
            return "mine"
        if merged.outcome == "conflict":
            return self.choices.get(name, "theirs")
        return "mine" if merged.outcome == "mine" else "theirs"

    @property
    def kept_theirs(self) -> list[FieldMerge]:
        return [f for f in self.fields if f.outcome == "theirs"]

    @property
    def kept_mine(self) -> list[FieldMerge]:
        return [f for f in self.fields if f.outcome == "mine"]

    def summary(self) -> str:
        """One sentence for the writer after saving: whose change was kept where."""
        parts = []
        if self.kept_theirs:
            parts.append("their changes to " + ", ".join(f.label for f in self.kept_theirs))
        if self.kept_mine:
            parts.append("your changes to " + ", ".join(f.label for f in self.kept_mine))
        chosen = [f"{f.label} ({'yours' if self.choices[f.name] == 'mine' else 'theirs'})" for f in self.conflicts]
        if chosen:
            parts.append("your choice for " + ", ".join(chosen))
        kept = "; ".join(parts) if parts else "no field was changed by both"
        return f"Merged with the changes saved since you opened the story: kept {kept}."


def base_revision(story: Story, version: int | None):
    """The revision of this story a form was opened at, from the story's own history (None if unknown)."""
    if version is None:
        return None
    return story.history.filter(version=version).order_by("history_date", "history_id").last()


# The three versions as comparable values per field.


def _text_of(value) -> str:
    return "" if value is None else str(value)


def story_values(story: Story) -> dict:
    """The story as saved, field by field."""
    values = {name: getattr(story, name) for name in SCALARS}
    values.update({name: getattr(story, f"{name}_id") for name in FOREIGN_KEYS})
    values["tags"] = _tag_key(story.tags.names())
    values["related"] = tuple(sorted(story.related.values_list("pk", flat=True)))
    values["bylines"] = tuple(story.bylines.order_by("position", "pk").values_list("author_id", flat=True))
    quotes = story.quotes.order_by("position", "pk")
    values["quotes"] = tuple(quotes.values_list("person_id", "text", "introduction", "context"))
    return values


def revision_values(record) -> dict:
    """A revision of the story, field by field; hand-picked related stories are not in the history."""
    state = revisions.related_state(record)
    values = {name: getattr(record, name) for name in SCALARS}
    values.update({name: getattr(record, f"{name}_id") for name in FOREIGN_KEYS})
    values["tags"] = _tag_key(state.tag_names)
    values["related"] = UNKNOWN
    values["bylines"] = tuple(byline.author_id for byline in state.bylines)
    values["quotes"] = tuple((quote.person_id, quote.text, quote.introduction, quote.context) for quote in state.quotes)
    return values


def form_values(cleaned: dict, data: QueryDict) -> dict:
    """The posted form, field by field, the way the story would store it."""
    values = {}
    for name in LABELS:
        if name not in cleaned:
            continue
        value = cleaned[name]
        if name in FOREIGN_KEYS:
            value = value.pk if value is not None else None
        elif name == "body":
            value = sanitize_body(value)
        elif name == "tags":
            value = _tag_key(value or [])
        elif name == "related":
            value = tuple(sorted(story.pk for story in value))
        values[name] = value
    if "bylines-TOTAL_FORMS" in data:
        values["bylines"] = tuple(int(row["author"]) for row in posted_rows(data, "bylines", ("author",)))
    if "quotes-TOTAL_FORMS" in data:
        values["quotes"] = tuple(
            (int(row["person"]), row["text"].strip(), row["introduction"].strip(), row["context"].strip())
            for row in posted_rows(data, "quotes", QUOTE_FIELDS)
        )
    return values


def _tag_key(names) -> tuple:
    return tuple(sorted({name.strip().casefold(): name.strip() for name in names}.values(), key=str.casefold))


def posted_rows(data: QueryDict, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """An inline's rows as posted, in the order of their position, without deleted or empty rows."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), MAX_ROWS)
    except ValueError:
        return []
    rows = []
    for index in range(total):
        key = f"{prefix}-{index}-"
        row = {name: data.get(key + name, "") for name in fields}
        if data.get(key + "DELETE") or not row[fields[0]].isdigit():
            continue
        position = data.get(key + "position", "")
        rows.append((int(position) if position.isdigit() else 0, index, row))
    return [row for _, _, row in sorted(rows, key=lambda item: item[:2])]


# Readable values for the page where the writer chooses.


def _names(model: type[Model], ids) -> dict:
    return dict(model.objects.filter(pk__in=[pk for pk in ids if pk is not None]).values_list("pk", "name"))


def _display(merged: FieldMerge) -> None:
    name, sides = merged.name, (merged.theirs, merged.mine)
    if name in FOREIGN_KEYS:
        model = FOREIGN_KEYS[name]
        found = {obj.pk: str(obj) for obj in model.objects.filter(pk__in=[pk for pk in sides if pk is not None])}
        texts = [found.get(pk, "(deleted)") if pk is not None else "" for pk in sides]
    elif name == "body":
        texts = [plain_text(html) for html in sides]
        merged.body_diff = bodydiff.compare(merged.theirs, merged.mine)
    elif name in ("tags",):
        texts = [", ".join(side) for side in sides]
    elif name == "related":
        headlines = dict(Story.objects.filter(pk__in=[*sides[0], *sides[1]]).values_list("pk", "headline"))
        texts = ["\n".join(headlines.get(pk, "") for pk in side) for side in sides]
    elif name == "bylines":
        authors = _names(Author, [*sides[0], *sides[1]])
        texts = [", ".join(authors.get(pk, "(deleted author)") for pk in side) for side in sides]
    elif name == "quotes":
        people = _names(Person, [row[0] for side in sides for row in side])
        texts = ["\n".join(f"{people.get(row[0], '(deleted person)')}: “{row[1]}”" for row in side) for side in sides]
    elif name == "kind":
        texts = [Story.Kind(value).label if value in Story.Kind.values else _text_of(value) for value in sides]
    elif name in ("embargo_until", "breaking_until"):
        texts = [revisions.time_text(value) for value in sides]
    else:
        texts = [_text_of(value) for value in sides]
    merged.theirs_text, merged.mine_text = texts


def merge(*, story: Story, base, cleaned: dict, data: QueryDict) -> Merge:
    """Merge the posted form with ``story`` as saved now, given the revision ``base`` it was opened at."""
    theirs = story_values(story)
    mine = form_values(cleaned, data)
    base_values = revision_values(base) if base is not None else dict.fromkeys(theirs, UNKNOWN)
    labels = {**LABELS, **ROWS}
    fields = [
        FieldMerge(name, labels[name], base_values[name], theirs[name], mine[name]) for name in labels if name in mine
    ]
    for merged in fields:
        if merged.outcome == "conflict":
            _display(merged)
    history = story.history.select_related("history_user").order_by("-history_date", "-history_id")
    since = history.filter(history_date__gt=base.history_date) if base is not None else history[:5]
    return Merge(version=story.version, fields=fields, revisions=list(since))


def replacing_rows(merge: Merge, *, story: Story) -> dict[str, list]:
    """The writer's bylines or quotes that replace a list someone else changed (unsaved rows, by inline)."""
    kept = {}
    for merged in merge.fields:
        if merged.name not in ROWS or merge.takes(merged.name) != "mine" or merged.theirs == merged.base:
            continue
        if merged.name == "bylines":
            kept["bylines"] = [
                Byline(story=story, author_id=author_id, position=position)
                for position, author_id in enumerate(merged.mine)
            ]
        else:
            kept["quotes"] = [
                Quote(story=story, person_id=row[0], text=row[1], introduction=row[2], context=row[3], position=n)
                for n, row in enumerate(merged.mine)
            ]
    return kept
