"""The story form's buttons: one primary action for each state and role, everything else in a menu.

A reporter's draft offers "Save draft" and "Submit for review"; an editor's story offers "Publish"
(or "Schedule" when a later publish time is set); a live story offers "Update". What the form shows
is read from the workflow's table (``publishing.TRANSITIONS``), and a posted action is checked against the same
table before anything is saved (``refusal``): the button a browser sends proves nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime

from articles import publishing, roles
from articles.models import Story


@dataclass(frozen=True)
class Button:
    """A submit button of the story form: the field it posts (``_continue``, ``_transition``...) and its words."""

    name: str
    value: str
    label: str
    # For the publish button: the label to show while the publish time is empty or past, and when it is later.
    label_now: str = ""
    label_later: str = ""


@dataclass(frozen=True)
class StoryButtons:
    """The buttons shown beside each other (the primary one last) and those in the "More actions" menu."""

    main: list[Button] = field(default_factory=list)
    menu: list[Button] = field(default_factory=list)

    @property
    def primary(self) -> Button | None:
        return self.main[-1] if self.main else None


SAVE_DRAFT = Button("_continue", "1", "Save draft")
SAVE_CHANGES = Button("_continue", "1", "Save changes")
UPDATE_LIVE = Button("_continue", "1", "Update")
SAVE_AND_CLOSE = Button("_save", "1", "Save and close")
SAVE_AND_START_ANOTHER = Button("_addanother", "1", "Save and start another story")


def _transition_button(name: str, story: Story, now: datetime | None) -> Button:
    transition = publishing.TRANSITIONS_BY_NAME[name]
    if not transition.label_later:
        return Button("_transition", name, transition.label)
    later = story.pk is not None and story.is_scheduled(now)
    return Button(
        "_transition",
        name,
        transition.label_later if later else transition.label,
        label_now=transition.label,
        label_later=transition.label_later,
    )


def _primary(allowed: list[str]) -> str | None:
    """The allowed transition the table ranks first as the primary action, if any."""
    ranked = sorted((t.primary, t.name) for t in publishing.TRANSITIONS if t.primary and t.name in allowed)
    return ranked[0][1] if ranked else None


def _save_button(story: Story, now: datetime | None) -> Button:
    if story.pk is None or story.status == Story.Status.DRAFT:
        return SAVE_DRAFT
    return UPDATE_LIVE if story.is_published(now) else SAVE_CHANGES


def story_buttons(story: Story, user, *, can_add: bool = False, now: datetime | None = None) -> StoryButtons:
    """The story form's buttons for ``user`` on ``story`` (a new story when it has no pk).

    The primary action is Publish/Schedule for those who may publish a story not yet live, else
    Submit for review for a draft, else saving; a retracted story is never put back with one click.
    """
    allowed = publishing.allowed_transitions(story, user, now)
    primary_name = None if story.is_retracted else _primary(allowed)
    main = [_save_button(story, now)]
    if primary_name is not None:
        main.append(_transition_button(primary_name, story, now))
    menu = [_transition_button(name, story, now) for name in allowed if name != primary_name]
    menu.append(SAVE_AND_CLOSE)
    if can_add:
        menu.append(SAVE_AND_START_ANOTHER)
    return StoryButtons(main=main, menu=menu)


def refusal(story: Story, user, posted: str | None, now: datetime | None = None) -> str:
    """Why the transition ``posted`` with the form may not be applied ("" when it may, or none was posted).

    Checked before the form is saved, so a refused action saves nothing at all.
    """
    if not posted:
        return ""
    transition = publishing.TRANSITIONS_BY_NAME.get(posted)
    if transition is None:
        return "The form asked for an action the newsroom does not know. Nothing was saved."
    if posted in publishing.allowed_transitions(story, user, now):
        return ""
    if transition.editors_only and not roles.can_publish(user):
        return f"Only editors may use “{transition.label}”: submit the story for review instead. Nothing was saved."
    state = "new" if story.pk is None else story.get_status_display().lower()
    return f"“{transition.label}” is not possible for a {state} story. Nothing was saved."
