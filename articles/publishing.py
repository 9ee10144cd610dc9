"""The editorial workflow: every change of a story's state is one function here.

Each transition takes keyword-only arguments, checks who is asking (``by``; ``None`` means the
system itself, such as a management command), locks the story row so that a double submit acts
once, and runs in a transaction. Revisions record who and when (django-simple-history); the
admin's buttons and list actions only call these functions.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from articles import previews, roles
from articles.dependencies import STORIES
from articles.models import Author, Byline, Correction, Quote, Story, StoryAutosave
from articles.models.stories import RELATED_KEPT
from audit import record
from audit.models import Action
from newsroom import cachetags

# How far in the past a typed publish time may lie and still mean "now" (the minute being typed).
PUBLISH_TIME_SLACK = timedelta(minutes=5)

# Fields whose change is not visible to readers, so it does not set a live story's "Updated" time.
PRIVATE_FIELDS = {
    "review_note",
    "editor_note",
    "embargo_until",
    "home_position",
    "breaking_until",
    "related",
    "base_version",
    "publish_at",
}

# What a restored revision brings back. The slug stays (links must keep working) and so does the
# publication state: restoring is an edit, not a transition.
RESTORED_FIELDS = [
    "headline",
    "standfirst",
    "body",
    "section_id",
    "kind",
    "language",
    "hero_image_id",
    "hero_caption",
    "source_id",
    "original_url",
]


class WorkflowError(Exception):
    """A transition that cannot happen now; ``reasons`` lists every reason, for the person who asked."""

    def __init__(self, reasons: Iterable[str]):
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons))


def local_time(value: datetime) -> str:
    """A time as the newsroom reads it, in its own time zone."""
    return date_format(timezone.localtime(value), "j F Y, H:i T")


def checklist(story: Story) -> list[str]:
    """Every reason the story is not ready to publish; an empty list means it is."""
    reasons = []
    if story.source_id is None and (story.pk is None or not story.bylines.exists()):
        reasons.append("Add at least one byline, or choose the source whose name stands as the byline.")
    if story.section_id is None:
        reasons.append("Choose a section.")
    if not story.standfirst.strip():
        reasons.append("Write a standfirst.")
    if not story.body.strip():
        reasons.append("The story has no body text.")
    if story.hero_image_id is not None:
        if not story.hero_image.alt_text.strip():
            reasons.append("The hero image needs alt text.")
        if not story.hero_image.credit.strip():
            reasons.append("The hero image needs a credit.")
    if story.original_url and story.source_id is None:
        reasons.append("Syndicated copy needs its source: choose the source of the original article.")
    if story.section_id and story.section.slug in settings.NEWSROOM_OPINION_SECTIONS and not story.is_opinion:
        reasons.append(f"Stories in {story.section.name} are opinion: set the kind to Commentary.")
    for label, text, limit in [
        ("headline", story.headline, settings.NEWSROOM_HEADLINE_MAX_CHARS),
        ("standfirst", story.standfirst, settings.NEWSROOM_STANDFIRST_MAX_CHARS),
    ]:
        if len(text) > limit:
            reasons.append(
                f"Shorten the {label} to {limit} characters or fewer (it has {len(text)}): "
                "search results and social cards cut longer ones off."
            )
    return reasons


def allowed_transitions(story: Story, user, now: datetime | None = None) -> list[str]:
    """The transitions ``user`` may apply to ``story`` in its current state, in button order (``TRANSITIONS``).

    A story not saved yet is the user's own new draft: the add form saves it, then applies the transition.
    """
    if story.pk is None:
        if not user.has_perm(roles.ADD_STORY):
            return []
        return [t.name for t in TRANSITIONS if t.on_new_story and (not t.editors_only or roles.can_publish(user))]
    return [t.name for t in TRANSITIONS if t.from_state(story, now) and t.may_use(user, story)]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(story: Story) -> Story:
    """A fresh copy of the story's row, locked until the transaction ends."""
    return Story.objects.select_for_update().get(pk=story.pk)


def _save(locked: Story, original: Story, *, by, reason: str, update_fields=None) -> Story:
    """Save a transition's result as a revision by ``by`` and bring the caller's copy up to date."""
    if by is not None:
        locked._history_user = by
    locked._change_reason = reason
    locked.save(update_fields=update_fields)
    original.refresh_from_db()
    return locked


def save_story(*, story: Story, by, changed_fields: Iterable[str] = (), now: datetime | None = None) -> Story:
    """Save an edit as a revision; a change readers can see to a live story sets its "Updated" time."""
    now = now or timezone.now()
    adding = story.pk is None
    if adding:
        story.created_by = story.created_by or by
    else:
        _require(by is None or roles.can_edit_story(by, story), "You may not edit this story.")
    if not adding and story.is_published(now) and set(changed_fields) - PRIVATE_FIELDS:
        story.modified_at = now
    if by is not None:
        story._history_user = by
    story._change_reason = "Created" if adding else "Edited"
    with transaction.atomic():
        story.save()
        if by is not None:
            StoryAutosave.objects.filter(user=by, story=None if adding else story).delete()
    return story


def byline_writer_by_default(*, story: Story, by) -> Byline | None:
    """A new story with no byline goes out under the name of the writer who filed it, if she has one."""
    if by is None or story.bylines.exists():
        return None
    author = Author.objects.filter(user=by).first()
    if author is None:
        return None
    byline = Byline(story=story, author=author, position=0)
    _create(byline, by=by)
    return byline


def record_public_update(*, story: Story, now: datetime | None = None) -> None:
    """A live story's quotes or bylines changed: readers see a new "Updated" time (no new revision)."""
    now = now or timezone.now()
    if story.is_published(now):
        Story.objects.filter(pk=story.pk).update(modified_at=now)
        story.modified_at = now
        cachetags.retire(f"story-{story.pk}", STORIES)  # an update() sends no signal


def submit_for_review(*, story: Story, by, note: str | None = None, now: datetime | None = None) -> Story:
    """A draft goes to the editors' queue, with an optional note to them. Submitting twice is a no-op."""
    now = now or timezone.now()
    _require(by is None or roles.can_edit_story(by, story), "You may not submit this story.")
    with transaction.atomic():
        locked = _locked(story)
        if locked.status == Story.Status.SUBMITTED:
            return locked
        if locked.status != Story.Status.DRAFT:
            raise WorkflowError([f"Only a draft can be submitted; this story is {locked.get_status_display()}."])
        locked.status = Story.Status.SUBMITTED
        locked.submitted_at = now
        if note is not None:
            locked.review_note = note
        return _save(locked, story, by=by, reason="Submitted for review")


def return_to_reporter(*, story: Story, by, note: str = "", now: datetime | None = None) -> Story:
    """An editor sends a submitted story back as a draft, with a note saying what to change."""
    now = now or timezone.now()
    _require(by is None or roles.can_publish(by), "Only editors return stories.")
    with transaction.atomic():
        locked = _locked(story)
        if locked.status == Story.Status.DRAFT and locked.returned_at:
            return locked
        if locked.status != Story.Status.SUBMITTED:
            raise WorkflowError(["Only a story submitted for review can be returned."])
        locked.status = Story.Status.DRAFT
        locked.returned_at = now
        if note:
            locked.editor_note = note
        return _save(locked, story, by=by, reason="Returned to the reporter")


def publish_problems(story: Story, *, at: datetime) -> list[str]:
    """Every reason the story cannot go live at ``at``: the checklist, then the embargo."""
    reasons = checklist(story)
    if story.embargo_until and at < story.embargo_until:
        reasons.append(
            f"The story is embargoed until {local_time(story.embargo_until)}: schedule it for then or later."
        )
    return reasons


def publish(*, story: Story, by, at: datetime | None = None, now: datetime | None = None) -> Story:
    """Publish now, or schedule for ``at``, after the checklist and the embargo allow it.

    Publishing a story that is already live, or scheduling it again for the same time, changes
    nothing, so a double submit publishes once.
    """
    now = now or timezone.now()
    _require(by is None or roles.can_publish(by), "Only editors publish stories.")
    if at is not None and timezone.is_naive(at):
        raise ValueError("Publish times must be timezone-aware.")
    if at is not None and at < now - PUBLISH_TIME_SLACK:
        raise WorkflowError(["That publish time has passed: leave it empty to publish now, or pick a later time."])
    when = max(at, now) if at is not None else now
    with transaction.atomic():
        locked = _locked(story)
        if locked.is_published(now):
            if at is None or at <= now:
                return locked
            raise WorkflowError(["This story is already live: retract it before scheduling it again."])
        if locked.is_scheduled(now) and at is not None and locked.published_at == when:
            return locked
        reasons = publish_problems(locked, at=when)
        if reasons:
            raise WorkflowError(reasons)
        locked.status = Story.Status.PUBLISHED
        locked.published_at = when
        locked.published_by = by
        locked.related_ids = locked.related_story_ids(RELATED_KEPT)
        reason = "Published" if when <= now else f"Scheduled for {local_time(when)}"
        _save(locked, story, by=by, reason=reason)
        action = Action.PUBLISHED if when <= now else Action.SCHEDULED
        record(action=action, actor=by, obj=locked, details={"at": when})
        return locked


def unschedule(*, story: Story, by, now: datetime | None = None) -> Story:
    """A scheduled story goes back to being a draft before anyone saw it."""
    now = now or timezone.now()
    _require(by is None or roles.can_publish(by), "Only editors change the schedule.")
    with transaction.atomic():
        locked = _locked(story)
        if not locked.is_scheduled(now):
            raise WorkflowError(["Only a scheduled story can be taken off the schedule."])
        locked.status = Story.Status.DRAFT
        scheduled_for = locked.published_at
        locked.published_at = None
        # Links shared for the scheduled version end with it; new ones can be made for the next one.
        previews.revoke_links(locked.preview_links.all(), by=by, reason="the story was taken off the schedule", now=now)
        _save(locked, story, by=by, reason="Taken off the schedule")
        record(action=Action.UNSCHEDULED, actor=by, obj=locked, details={"was_scheduled_for": scheduled_for})
        return locked


def retract(*, story: Story, by, now: datetime | None = None) -> Story:
    """A live story comes off every public page; it stays in the database with its history."""
    now = now or timezone.now()
    _require(by is None or roles.can_publish(by), "Only editors retract stories.")
    with transaction.atomic():
        locked = _locked(story)
        if locked.status == Story.Status.RETRACTED:
            return locked
        if not locked.is_published(now):
            raise WorkflowError(["Only a live story can be retracted."])
        locked.status = Story.Status.RETRACTED
        locked.retracted_at = now
        previews.revoke_links(locked.preview_links.all(), by=by, reason="the story was retracted", now=now)
        _save(locked, story, by=by, reason="Retracted")
        record(action=Action.RETRACTED, actor=by, obj=locked)
        return locked


@dataclass(frozen=True)
class Transition:
    """One step of the workflow, with everything the admin shows and checks about it."""

    name: str  # what the story form posts as ``_transition``
    run: Callable[..., Story]  # the workflow function that takes the step
    from_state: Callable[[Story, datetime | None], bool]  # whether a saved story's state allows the step
    editors_only: bool  # True: those who may publish (``roles.can_publish``); False: those who may edit the story
    label: str  # the story form's button
    done: str  # the message once the form applied it; "{status}" stands for the story's new status
    not_done: str  # the message when it was refused: "... but the story was not {not_done}:"
    on_new_story: bool = False  # offered on the add form, which saves the draft first
    label_later: str = ""  # the button's words while a later publish time is set
    form_arguments: dict[str, str] = field(default_factory=dict)  # form field -> keyword argument of ``run``
    primary: int = 0  # rank as the form's primary action (1 first); 0: never the primary action
    list_action: str = ""  # the change list action's description; "" for none
    list_done: str = ""  # what the change list says was done: "3 stories {list_done}."

    def may_use(self, user, story: Story) -> bool:
        """Whether the user's role allows this step on this story (its state is ``from_state``'s)."""
        return roles.can_publish(user) if self.editors_only else roles.can_edit_story(user, story)


# The workflow's one table: every state change a story can go through, in the order the form shows them.
# The story form's buttons and refusals (``articles.form_actions``), the admin's list actions and its
# messages all read it; ``allowed_transitions`` applies it.
TRANSITIONS = (
    Transition(
        "submit",
        submit_for_review,
        lambda story, now: story.status == Story.Status.DRAFT,
        editors_only=False,
        label="Submit for review",
        done="Saved and submitted for review.",
        not_done="submitted for review",
        on_new_story=True,
        primary=2,
        list_action="Submit selected stories for review",
        list_done="submitted",
    ),
    Transition(
        "return",
        return_to_reporter,
        lambda story, now: story.status == Story.Status.SUBMITTED,
        editors_only=True,
        label="Return to reporter",
        done="Saved and returned to the reporter.",
        not_done="returned to the reporter",
    ),
    Transition(
        "publish",
        publish,
        lambda story, now: story.status != Story.Status.PUBLISHED or story.is_scheduled(now),
        editors_only=True,
        label="Publish",
        label_later="Schedule",
        done="Saved. {status}.",
        not_done="published or scheduled",
        on_new_story=True,
        form_arguments={"publish_at": "at"},
        primary=1,
        list_action="Publish selected stories now",
        list_done="published",
    ),
    Transition(
        "unschedule",
        unschedule,
        lambda story, now: story.is_scheduled(now),
        editors_only=True,
        label="Cancel schedule",
        done="Saved and taken off the schedule.",
        not_done="taken off the schedule",
        list_action="Take selected stories off the schedule",
        list_done="taken off the schedule",
    ),
    Transition(
        "retract",
        retract,
        lambda story, now: story.is_published(now),
        editors_only=True,
        label="Retract",
        done="Saved and retracted: it is off the site.",
        not_done="retracted",
        list_action="Retract selected stories",
        list_done="retracted",
    ),
)
TRANSITIONS_BY_NAME = {transition.name: transition for transition in TRANSITIONS}


def add_correction(
    *, story: Story, by, text: str, kind: str = Correction.Kind.CORRECTION, now: datetime | None = None
) -> Correction:
    """Append a correction or clarification to a live story; readers see it and a new "Updated" time."""
    now = now or timezone.now()
    _require(by is None or by.has_perm(roles.ADD_CORRECTION), "Only editors add corrections.")
    text = text.strip()
    if not text:
        raise WorkflowError(["Write what was wrong and what is right."])
    with transaction.atomic():
        locked = _locked(story)
        if not locked.is_published(now):
            raise WorkflowError(["Corrections are for published stories; edit a draft directly."])
        correction = Correction(story=locked, kind=kind, text=text, created_at=now, created_by=by)
        if by is not None:
            correction._history_user = by
        correction.save()
        locked.modified_at = now
        _save(locked, story, by=by, reason=f"{correction.get_kind_display()} added", update_fields=["modified_at"])
        record(action=Action.CORRECTED, actor=by, obj=locked, details={"kind": kind, "correction": correction.pk})
    return correction


def restore_revision(*, story: Story, by, revision_id: int, now: datetime | None = None) -> Story:
    """Bring back an earlier revision's text, metadata, tags, bylines and quotes, as a new revision."""
    from articles import revisions  # revisions reads history; it does not write

    now = now or timezone.now()
    _require(by is None or roles.can_edit_story(by, story), "You may not edit this story.")
    with transaction.atomic():
        locked = _locked(story)
        record = locked.history.get(history_id=revision_id)
        state = revisions.related_state(record)
        for field in RESTORED_FIELDS:
            setattr(locked, field, getattr(record, field))
        revisions.drop_missing_references(locked)
        if locked.is_published(now):
            locked.modified_at = now
        _save(locked, story, by=by, reason=f"Restored the revision of {local_time(record.history_date)}")
        _replace_related(locked, state, by=by)
        choose_related(story=locked)  # the restored section and tags may call for others
        story.refresh_from_db()
    return locked


def _replace_related(story: Story, state, *, by) -> None:
    for related in [*story.bylines.all(), *story.quotes.all()]:
        if by is not None:
            related._history_user = by
        related.delete()
    for byline in state.bylines:
        if byline.author_id in state.existing_authors:
            _create(Byline(story=story, author_id=byline.author_id, position=byline.position), by=by)
    for quote in state.quotes:
        if quote.person_id in state.existing_people:
            fields = {name: getattr(quote, name) for name in ("text", "kind", "introduction", "context", "position")}
            _create(Quote(story=story, person_id=quote.person_id, **fields), by=by)
    story.tags.set(state.tag_names)


def replace_rows(*, story: Story, model: type[Byline | Quote], rows: list, by) -> None:
    """Replace a story's bylines or quotes with ``rows`` (unsaved ``model`` rows), each change recorded."""
    _require(by is None or roles.can_edit_story(by, story), "You may not edit this story.")
    with transaction.atomic():
        for old in model.objects.filter(story=story):
            if by is not None:
                old._history_user = by
            old.delete()
        for row in rows:
            _create(row, by=by)


def _create(obj, *, by) -> None:
    if by is not None:
        obj._history_user = by
    obj.save()


def choose_related(*, story: Story) -> list[int]:
    """Choose again the stories a live or scheduled story offers readers after it, and keep them on it.

    Publishing chooses them (``publish``); call this when a published story's tags, section or
    hand-picked related stories change. Stories published since are considered too. A story that is
    not published keeps what it has until it is. Returns the ids kept.
    """
    if story.status != Story.Status.PUBLISHED:
        return story.related_ids
    fresh = Story.objects.only("pk", "section_id", "related_ids").get(pk=story.pk)  # tags as saved, not as cached
    if _keep_related(fresh):
        cachetags.retire(f"story-{story.pk}")  # an update() sends no signal
    story.related_ids = fresh.related_ids
    return story.related_ids


def choose_all_related(*, batch: int = 500) -> int:
    """Choose again the related stories of every live or scheduled story; returns how many changed.

    For stories published before related stories were kept, and to take in stories published since.
    """
    stories = Story.objects.filter(status=Story.Status.PUBLISHED).order_by("-published_at", "-pk")
    stories = stories.only("pk", "section_id", "related_ids").prefetch_related("tags")
    changed = [story.pk for story in stories.iterator(chunk_size=batch) if _keep_related(story)]
    if changed:
        cachetags.retire(*(f"story-{pk}" for pk in changed))
    return len(changed)


def _keep_related(story: Story) -> bool:
    """Store the related stories ``story`` would be given now; False if it already has them."""
    chosen = story.related_story_ids(RELATED_KEPT)
    if chosen == story.related_ids:
        return False
    # Not a revision and not an edit: no new version that would make a form open on the story look stale.
    Story.objects.filter(pk=story.pk).update(related_ids=chosen)
    story.related_ids = chosen
    return True
