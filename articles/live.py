"""Live coverage: every change to a story's live blog is one function here.

Like ``articles.publishing``, each takes keyword-only arguments, checks who is asking (``by``; None is
the system itself, such as the demo loader), locks the story row so that two editors pinning at once
act one after the other, runs in a transaction and writes the audit log. The admin's live page only
calls these functions.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles import roles
from articles.models import LiveEntry, Story
from articles.publishing import WorkflowError
from articles.richtext import sanitize_entry
from audit import record
from audit.models import Action

SUMMARY_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = LiveEntry._meta.get_field("correction_note").max_length


def _require(by, story: Story) -> None:
    if by is not None and not roles.can_cover_live(by, story):
        raise PermissionDenied("You may not run the live coverage of this story.")


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


def _save_story(locked: Story, original: Story, *, by, reason: str, fields: list[str]) -> None:
    if by is not None:
        locked._history_user = by
    locked._change_reason = reason
    locked.save(update_fields=fields)
    original.refresh_from_db()


def start_coverage(*, story: Story, by, now: datetime | None = None) -> Story:
    """Make the story a live blog from ``now``; its page shows entries and tells readers of new ones."""
    _require(by, story)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(story)
        if locked.live:
            raise WorkflowError(["This story is already a live blog."])
        locked.live, locked.live_started_at = True, now
        _save_story(locked, story, by=by, reason="Live coverage started", fields=["live", "live_started_at"])
        record(action=Action.LIVE_STARTED, actor=by, obj=locked)
    return locked


def post_entry(
    *,
    story: Story,
    by,
    body: str,
    author=None,
    picture=None,
    quote_text: str = "",
    person=None,
    pinned: bool = False,
    now: datetime | None = None,
) -> LiveEntry:
    """Add an entry to a running live blog, stamped ``now``; ``pinned`` moves the pin to it."""
    _require(by, story)
    if not sanitize_entry(body):
        raise WorkflowError(["Write the entry's text."])
    if quote_text.strip() and person is None:
        raise WorkflowError(["Say who said the quote."])
    with transaction.atomic():
        locked = _locked(story)
        if not locked.coverage_running:
            raise WorkflowError(["Live coverage of this story is not running: start it first."])
        if pinned:
            _unpin_others(locked, by=by)
        entry = LiveEntry.objects.create(
            story=locked,
            posted_at=now or timezone.now(),
            body=body,
            author=author,
            picture=picture,
            quote_text=quote_text,
            person=person if quote_text.strip() else None,
            pinned=pinned,
            created_by=by,
        )
        record(action=Action.LIVE_ENTRY_POSTED, actor=by, obj=locked, details={"entry": entry.pk, "pinned": pinned})
    return entry


def _unpin_others(story: Story, *, by, keep: int | None = None) -> None:
    for other in story.live_entries.filter(pinned=True).exclude(pk=keep):
        other.pinned = False
        other.save(update_fields=["pinned"])
        record(action=Action.LIVE_ENTRY_UNPINNED, actor=by, obj=story, details={"entry": other.pk})


def _locked_entry(entry: LiveEntry, by) -> tuple[Story, LiveEntry]:
    _require(by, entry.story)
    story = _locked(entry.story)
    locked = LiveEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.is_deleted():
        raise WorkflowError(["This entry was deleted."])
    return story, locked


def pin_entry(*, entry: LiveEntry, by, pinned: bool = True) -> LiveEntry:
    """Pin the entry above the others (unpinning the one pinned before), or unpin it."""
    with transaction.atomic():
        story, locked = _locked_entry(entry, by)
        if locked.pinned == pinned:
            return locked
        if pinned:
            _unpin_others(story, by=by, keep=locked.pk)
        locked.pinned = pinned
        locked.save(update_fields=["pinned"])
        action = Action.LIVE_ENTRY_PINNED if pinned else Action.LIVE_ENTRY_UNPINNED
        record(action=action, actor=by, obj=story, details={"entry": locked.pk})
    entry.refresh_from_db()
    return locked


def correct_entry(*, entry: LiveEntry, by, body: str, note: str, now: datetime | None = None) -> LiveEntry:
    """Rewrite an entry's text; readers see the new text with ``note`` and the time of the correction."""
    note = " ".join(note.split())
    reasons = []
    if not sanitize_entry(body):
        reasons.append("Write the entry's corrected text.")
    if not note:
        reasons.append("Say what was corrected: readers see the note under the entry.")
    elif len(note) > NOTE_MAX_LENGTH:
        reasons.append(f"Keep the note to {NOTE_MAX_LENGTH} characters.")
    if reasons:
        raise WorkflowError(reasons)
    with transaction.atomic():
        story, locked = _locked_entry(entry, by)
        before = locked.body
        locked.body, locked.correction_note, locked.corrected_at = body, note, now or timezone.now()
        locked.save(update_fields=["body", "correction_note", "corrected_at"])
        record(
            action=Action.LIVE_ENTRY_CORRECTED,
            actor=by,
            obj=story,
            details={"entry": locked.pk, "note": note, "text_before": before},
        )
    entry.refresh_from_db()
    return locked


def delete_entry(*, entry: LiveEntry, by, now: datetime | None = None) -> LiveEntry:
    """Take an entry off the page for good. The row stays, marked deleted, with its text in the audit log."""
    with transaction.atomic():
        story, locked = _locked_entry(entry, by)
        locked.deleted_at, locked.pinned = now or timezone.now(), False
        locked.save(update_fields=["deleted_at", "pinned"])
        record(action=Action.LIVE_ENTRY_DELETED, actor=by, obj=story, details={"entry": locked.pk, "text": locked.body})
    entry.refresh_from_db()
    return locked


def end_coverage(*, story: Story, by, summary: str, now: datetime | None = None) -> Story:
    """End the live coverage at ``now`` with a summary of what happened, shown above the entries."""
    _require(by, story)
    summary = summary.strip()
    if not summary:
        raise WorkflowError(["Write a summary: readers who arrive later see it first."])
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise WorkflowError([f"Keep the summary to {SUMMARY_MAX_LENGTH} characters."])
    with transaction.atomic():
        locked = _locked(story)
        if not locked.coverage_running:
            raise WorkflowError(["Live coverage of this story is not running."])
        locked.live_ended_at, locked.live_summary = max(now or timezone.now(), locked.live_started_at), summary
        _save_story(locked, story, by=by, reason="Live coverage ended", fields=["live_ended_at", "live_summary"])
        record(action=Action.LIVE_ENDED, actor=by, obj=locked)
    return locked
