"""Import workflows: copy in any supported format becomes draft stories, all or nothing per file.

Admin views and management commands call these functions; nothing else writes imported copy.
"""

import html
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from articles import publishing
from articles.languages import bcp47
from articles.models import Author, Byline, Person, Quote, Section, Source, Story
from articles.parts import mark_labelled_parts
from articles.people import match_person
from articles.richtext import MAX_BODY_DEPTH, markup_depth, sanitize_body
from articles.speakers import find_speakers
from audit import record
from audit.models import Action
from interchange import ninjs, nitf, pictures
from interchange.draft import ImportFailed, PictureDraft, StoryDraft
from interchange.models import ImportedItem, ImportFormat, SuggestedQuote
from interchange.plaintext import parse_text, without_promotional_tail
from media.models import Image
from newsroom.errors import DATABASE_ERRORS
from newsroom.textsafety import CONTROLS, remove_controls, safe_name

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
EDITABLE = {Story.Status.DRAFT, Story.Status.SUBMITTED}


@dataclass
class FileOutcome:
    """What happened to one file of a batch: the stories it made or updated, or why it made none."""

    name: str
    stories: list[Story] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)  # pictures added to (or updated in) the media library
    error: str = ""
    updated: set[int] = field(default_factory=set)  # ids of the drafts an earlier import had made
    notes: list[str] = field(default_factory=list)  # what was changed on the way in, for the person importing
    files_used: set[str] = field(default_factory=set)  # picture files of the same upload this file's items used
    updated_images: set[int] = field(default_factory=set)  # ids of the pictures an earlier import had made

    @property
    def ok(self) -> bool:
        return not self.error


def detect_format(name: str, content: bytes) -> str:
    """The format by file name, else by the first character of the content."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".json":
        return ImportFormat.NINJS
    if suffix in {".xml", ".nitf"}:
        return ImportFormat.NITF
    if suffix in TEXT_SUFFIXES:
        return ImportFormat.TEXT
    start = content.lstrip()[:1]
    return {b"{": ImportFormat.NINJS, b"[": ImportFormat.NINJS, b"<": ImportFormat.NITF}.get(start, ImportFormat.TEXT)


def find_section(label: str) -> Section | None:
    """The section a label names, by name or slug, ignoring case."""
    label = label.strip()
    return Section.objects.filter(Q(name__iexact=label) | Q(slug__iexact=slugify(label, allow_unicode=True))).first()


def _parse(fmt: str, name: str, content: bytes) -> list[StoryDraft | PictureDraft]:
    if fmt == ImportFormat.NITF:
        return [nitf.parse_nitf(content)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"The file is not UTF-8 text (bad byte at position {exc.start}).") from exc
    if fmt == ImportFormat.NINJS:
        return ninjs.parse_ninjs(text)
    is_markdown = PurePath(name).suffix.lower() in MARKDOWN_SUFFIXES

    def known(label: str) -> bool:
        return find_section(remove_controls(label)) is not None

    return [parse_text(text, is_markdown=is_markdown, section_exists=known)]


def import_file(
    *, name: str, content: bytes, user=None, section: Section | None = None, now: datetime | None = None
) -> list[Story]:
    """Import one file as draft stories in one transaction: every item in it, or on any problem none."""
    return _import_file(name=name, content=content, user=user, section=section, now=now, attachments={}).stories


def import_files(
    *, files: Iterable[tuple[str, bytes]], user=None, section: Section | None = None, now: datetime | None = None
) -> list[FileOutcome]:
    """Import each file on its own: one bad file never stops or undoes the others.

    Whatever a file holds, it ends as stories or as an error naming the problem; nothing of a file
    that failed stays. Only a database outage stops the batch (the caller answers it as one).
    """
    files = [(safe_name(name), content) for name, content in files]
    attachments = {
        pictures.file_key(name): (name, content) for name, content in files if pictures.is_picture_file(name, content)
    }
    outcomes: list[FileOutcome | None] = []
    for name, content in files:
        if attachments.get(pictures.file_key(name), (None,))[0] == name:
            outcomes.append(None)  # a picture's file: used by the item that names it, or reported below
            continue
        outcomes.append(_import_one(name, content, user=user, section=section, now=now, attachments=attachments))
    used = {key for outcome in outcomes if outcome is not None for key in outcome.files_used}
    for index, (name, _content) in enumerate(files):
        if outcomes[index] is None:
            outcomes[index] = _picture_file_outcome(name, used=pictures.file_key(name) in used, user=user)
    return outcomes


def _import_one(name: str, content: bytes, *, user, section, now, attachments) -> FileOutcome:
    try:
        return _import_file(name=name, content=content, user=user, section=section, now=now, attachments=attachments)
    except ImportFailed as exc:
        outcome = FileOutcome(name, error=str(exc))
    except DATABASE_ERRORS:
        raise
    except DatabaseError as exc:  # what the database refused is named; the rest of the file was undone
        outcome = FileOutcome(name, error=f"The database refused the file's content: {exc}".strip())
    except Exception:
        logger.exception("Import of %s failed unexpectedly", name)
        outcome = FileOutcome(name, error=UNEXPECTED)
    record(action=Action.IMPORT_FAILED, actor=user, details={"file": name[:200], "error": outcome.error[:500]})
    return outcome


def _picture_file_outcome(name: str, *, used: bool, user) -> FileOutcome:
    if used:
        return FileOutcome(name, notes=["The file of a picture item in this upload."])
    outcome = FileOutcome(
        name,
        error="A picture that no ninjs picture item in this upload names: add it in the media library, "
        "where it gets its credit and alt text.",
    )
    record(action=Action.IMPORT_FAILED, actor=user, details={"file": name[:200], "error": outcome.error})
    return outcome


UNEXPECTED = "The file could not be imported because of an unexpected problem (recorded in the server log)."


def _import_file(
    *, name: str, content: bytes, user, section: Section | None, now: datetime | None, attachments: dict
) -> FileOutcome:
    if len(content) > settings.NEWSROOM_IMPORT_MAX_BYTES:
        raise ImportFailed(f"The file is larger than {settings.NEWSROOM_IMPORT_MAX_BYTES // 1_000_000} MB.")
    fmt = detect_format(name, content)
    outcome = FileOutcome(name)
    try:
        _save_all(outcome, fmt=fmt, name=name, content=content, user=user, section=section, now=now, files=attachments)
    except RecursionError as exc:  # a parser or converter met nesting its own checks let through
        raise ImportFailed("The file is nested too deeply to be read.") from exc
    except BaseException:
        pictures.remove_files([image for image in outcome.images if image.pk not in outcome.updated_images])
        raise
    return outcome


def _save_all(outcome: FileOutcome, *, fmt: str, name: str, content: bytes, user, section, now, files) -> None:
    with transaction.atomic():
        for parsed in _parse(fmt, name, content):
            draft, removed = without_controls(parsed)
            title = draft.title if isinstance(draft, PictureDraft) else draft.headline
            if not title.strip():
                raise ImportFailed("An item has no headline left once its invisible control characters are removed.")
            if removed:
                outcome.notes.append(f'Invisible control characters were removed from "{title[:80]}".')
            if isinstance(draft, PictureDraft):
                _save_picture(outcome, draft, fmt=fmt, filename=name, user=user, now=now, files=files)
                continue
            draft = _checked_language(outcome, draft)
            outcome.notes += draft.notes
            story, updated = save_draft(draft, fmt=fmt, filename=name, user=user, section=section, now=now)
            outcome.stories.append(story)
            if updated:
                outcome.updated.add(story.pk)
        stories = [story.pk for story in outcome.stories]
        details = {"file": name[:200], "format": fmt, "stories": stories}
        if outcome.images:
            details["pictures"] = [image.pk for image in outcome.images]
        record(action=Action.IMPORTED, actor=user, details=details)


def _checked_language(outcome: FileOutcome, draft: StoryDraft) -> StoryDraft:
    """The draft with its language as a BCP 47 tag; a value that is none is noted and left out."""
    language = bcp47(draft.language)
    if draft.language.strip() and not language:
        outcome.notes.append(
            f'"{draft.language[:40]}" is not a language tag, so "{draft.headline[:80]}" keeps the site\'s '
            "language: correct it in the story form if it is wrong."
        )
    return replace(draft, language=language)


def _save_picture(outcome: FileOutcome, draft: PictureDraft, *, fmt, filename, user, now, files) -> None:
    """A picture item into the media library, or the picture an earlier import of it made, with new words."""
    item = _imported(draft.identifier)
    if item is not None and item.image is None:
        raise ImportFailed(f'Item {draft.identifier} was imported before as the story "{item.story}", not a picture.')
    image = item.image if item is not None else Image(uploaded_by=user)
    outcome.notes += pictures.describe(image, draft)
    if item is None:
        content, file_name, key = pictures.picture_file(draft, files)
        outcome.images.append(image)  # listed first: its stored files are removed if the import fails
        pictures.store(image, content, file_name)
        outcome.files_used |= {key} - {""}
    else:
        image.save()
        outcome.images.append(image)
        outcome.updated_images.add(image.pk)
        outcome.notes.append(f'The picture "{draft.title[:80]}" was imported before: its words were updated.')
    item = item or ImportedItem(image=image)
    item.format, item.identifier, item.filename = fmt, draft.identifier, safe_name(PurePath(filename).name)[:255]
    item.imported_at, item.imported_by = now or timezone.now(), user
    item.save()


def _imported(identifier: str) -> ImportedItem | None:
    """The record of an earlier import of the item with this identifier, locked until the import ends."""
    limit = ImportedItem._meta.get_field("identifier").max_length
    if len(identifier) > limit:
        raise ImportFailed(f"The item's identifier is {len(identifier)} characters long; at most {limit} fit.")
    if not identifier:
        return None
    return (
        ImportedItem.objects.select_for_update(of=("self",))
        .select_related("story", "image")
        .filter(identifier=identifier)
        .first()
    )


def without_controls(draft: StoryDraft) -> tuple[StoryDraft, bool]:
    """The draft with control characters and lone surrogates removed from all its text; and whether any were."""
    found = False

    def clean(value):
        nonlocal found
        if isinstance(value, str):
            found = found or CONTROLS.search(value) is not None
            return remove_controls(value)
        if isinstance(value, list):
            return [clean(item) for item in value]
        if is_dataclass(value):  # a quote
            return replace(value, **{f.name: clean(getattr(value, f.name)) for f in fields(value)})
        return value

    cleaned = replace(draft, **{f.name: clean(getattr(draft, f.name)) for f in fields(draft)})
    return cleaned, found


def _story_for(draft: StoryDraft, user) -> tuple[Story, ImportedItem | None]:
    item = _imported(draft.identifier)
    if item is None:
        return Story(status=Story.Status.DRAFT, created_by=user), None
    if item.story is None:
        raise ImportFailed(
            f"Item {draft.identifier} was imported before as a picture in the media library, not a story."
        )
    if item.story.status not in EDITABLE:
        raise ImportFailed(
            f'Item {draft.identifier} is already {item.story.get_status_display().lower()} as "{item.story}": '
            "it was left unchanged. Edit the story itself instead."
        )
    return item.story, item


def _fill(story: Story, draft: StoryDraft, section: Section | None) -> None:
    story.headline = draft.headline.strip()
    story.standfirst = draft.standfirst.strip()
    if markup_depth(draft.body) > MAX_BODY_DEPTH:
        raise ImportFailed(f"The body's markup nests more than {MAX_BODY_DEPTH} elements deep; no story does.")
    # Subheadings starting "Commentary:" or "Analysis:" mark parts of that kind, as the editor's menu does.
    story.body = without_promotional_tail(sanitize_body(mark_labelled_parts(sanitize_body(draft.body))))
    story.section = section
    story.source = _source(draft.source)
    if draft.language:
        story.language = draft.language
    story.original_url = draft.original_url
    if draft.kind in Story.Kind.values:
        story.kind = draft.kind
    try:
        story.full_clean(exclude=["slug"])
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
        raise ImportFailed(f'"{draft.headline[:80]}" cannot be saved: {problems}') from exc


def _source(name: str) -> Source | None:
    """The source of that name, ignoring case ("DPA" is dpa), created the first time it sends copy."""
    name = " ".join(name.split())[:120]
    if not name:
        return None
    return Source.objects.filter(name__iexact=name).first() or Source.objects.create(name=name)


def _resolve_section(draft: StoryDraft, default: Section | None) -> Section | None:
    if not draft.section:
        return default
    found = find_section(draft.section)
    if found is None:
        raise ImportFailed(f'Unknown section "{draft.section}": create it first or correct the copy.')
    return found


def _set_bylines(story: Story, names: list[str]) -> None:
    story.bylines.all().delete()
    for position, name in enumerate(dict.fromkeys(n.strip() for n in names if n.strip())):
        author = Author.objects.filter(name__iexact=name).first() or Author.objects.create(name=name[:120])
        Byline.objects.create(story=story, author=author, position=position)


def _set_tags(story: Story, names: list[str]) -> None:
    usable = [n.strip()[:100] for n in names if slugify(n.strip(), allow_unicode=True)]
    story.tags.set(list(dict.fromkeys(usable))[: settings.NEWSROOM_MAX_TAGS_PER_STORY])


def body_paragraphs(body: str) -> list[str]:
    """The text of each paragraph of a sanitized body, in order: what speaker finding reads."""
    found = re.findall(r"<p(?:\s[^>]*)?>(.*?)</p>", body, flags=re.DOTALL | re.IGNORECASE)
    return [" ".join(html.unescape(strip_tags(p)).split()) for p in found]


def _suggest_quotes(story: Story) -> None:
    """Offer every statement of every speaker found, each matched to people on file only on strong evidence."""
    story.suggested_quotes.filter(status=SuggestedQuote.Status.PENDING).delete()
    position = 0
    for number, speaker in enumerate(find_speakers(body_paragraphs(story.body))):
        match = match_person(speaker.name, speaker.description)
        for statement in speaker.statements:
            SuggestedQuote.objects.create(
                story=story,
                name=speaker.name[:120],
                speaker=number,
                person=match.same,
                maybe_person=match.maybe,
                introduction=speaker.description[:200],
                text=statement.text,
                kind=statement.kind,
                paragraph=statement.paragraph + 1,
                position=position,
            )
            position += 1


def save_draft(
    draft: StoryDraft, *, fmt: str, filename: str = "", user=None, section: Section | None = None, now=None
) -> tuple[Story, bool]:
    """Write one parsed item as a draft story, or update the draft an earlier import of it made.

    Returns the story and whether it was that earlier draft.
    """
    now = now or timezone.now()
    story, item = _story_for(draft, user)
    _fill(story, draft, _resolve_section(draft, section))
    story.save()
    _set_bylines(story, draft.authors)
    _set_tags(story, draft.tags)
    _suggest_quotes(story)
    updated = item is not None
    item = item or ImportedItem(story=story)
    item.format, item.identifier, item.filename = fmt, draft.identifier, safe_name(PurePath(filename).name)[:255]
    item.imported_at, item.imported_by = now, user
    item.save()
    return story, updated


def _speaker_person(suggestion: SuggestedQuote) -> Person | None:
    """The person an earlier confirmed statement of the same speaker in the same story became."""
    sibling = (
        SuggestedQuote.objects.filter(
            story=suggestion.story_id, speaker=suggestion.speaker, status=SuggestedQuote.Status.CONFIRMED
        )
        .exclude(person=None)
        .select_related("person")
        .first()
    )
    return sibling.person if sibling else None


def confirm_suggested_quote(
    *, suggestion: SuggestedQuote, user=None, now: datetime | None = None, as_maybe: bool = False
) -> Quote:
    """Turn a pending suggestion into a quote on its story.

    The quote goes to the person chosen on the suggestion, or with ``as_maybe`` to the person it
    was only "maybe the same as" (an editor's decision), or to the person an earlier statement of
    the same speaker went to; else a new person is created. A first-name match is never used
    unless asked. On a live story, readers see a new "Updated" time, as for any quote added in the
    story form.
    """
    with transaction.atomic():
        suggestion = SuggestedQuote.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestedQuote.Status.PENDING:
            raise ImportFailed(f"This suggestion was already {suggestion.get_status_display().lower()}.")
        if as_maybe and suggestion.maybe_person is None:
            raise ImportFailed("There is nobody on file this speaker may be.")
        person = (suggestion.maybe_person if as_maybe else suggestion.person) or _speaker_person(suggestion)
        if person is None:
            # "a 32-year-old warehouse worker" is a member of the public: named, but no page of their own.
            public = not suggestion.introduction.lower().startswith(("a ", "an "))
            person = Person(name=suggestion.name, has_profile=public)
            if user is not None:
                person._history_user = user
            person._change_reason = f"Quoted in imported copy: {suggestion.story.headline[:80]}"
            person.save()
        last = suggestion.story.quotes.aggregate(last=Max("position"))["last"]
        quote = Quote(
            story=suggestion.story,
            person=person,
            text=suggestion.text,
            kind=suggestion.kind,
            introduction=suggestion.introduction,
            position=0 if last is None else last + 1,
        )
        if user is not None:
            quote._history_user = user
        quote.save()
        suggestion.person, suggestion.quote = person, quote
        suggestion.status = SuggestedQuote.Status.CONFIRMED
        suggestion.decided_by, suggestion.decided_at = user, now or timezone.now()
        suggestion.save()
        publishing.record_public_update(story=suggestion.story, now=suggestion.decided_at)
        return quote


def dismiss_suggested_quote(*, suggestion: SuggestedQuote, user=None, now: datetime | None = None) -> None:
    """Mark a pending suggestion as not a quote; it stays on record but is never offered again."""
    updated = (
        SuggestedQuote.objects.pending()
        .filter(pk=suggestion.pk)
        .update(status=SuggestedQuote.Status.DISMISSED, decided_by=user, decided_at=now or timezone.now())
    )
    if not updated:
        raise ImportFailed("This suggestion was already decided.")
