"""The story form's buttons: one primary action for each state and role, everything else in a menu.

A reporter's draft offers "Save draft" and "Submit for review"; an editor's story offers "Publish"
(or "Schedule" when a later publish time is set); a live story offers "Update". What the form shows
is read from ``publishing.allowed_transitions``, and a posted action is checked against the same
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

# What each transition's button says in the story form (the list actions keep their own words).
TRANSITION_LABELS = {
    "submit": "Submit for review",
    "return": "Return to reporter",
    "publish": "Publish",
    "unschedule": "Cancel schedule",
    "retract": "Retract",
}
# The transition that is the primary action when the user may use it, best first.
PRIMARY_TRANSITIONS = ("publish", "submit")


def _transition_button(name: str, story: Story, now: datetime | None) -> Button:
    if name != "publish":
        return Button("_transition", name, TRANSITION_LABELS[name])
    scheduled = story.pk is not None and story.is_scheduled(now)
    return Button(
        "_transition", name, "Schedule" if scheduled else "Publish", label_now="Publish", label_later="Schedule"
    )


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
    primary_name = None if story.is_retracted else next((n for n in PRIMARY_TRANSITIONS if n in allowed), None)
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
    if posted not in TRANSITION_LABELS:
        return "The form asked for an action the newsroom does not know. Nothing was saved."
    if posted in publishing.allowed_transitions(story, user, now):
        return ""
    if posted in ("publish", "unschedule", "retract", "return") and not user.has_perm(roles.PUBLISH_STORY):
        return (
            f"Only editors may use “{TRANSITION_LABELS[posted]}”: submit the story for review instead. "
            "Nothing was saved."
        )
    state = "new" if story.pk is None else story.get_status_display().lower()
    return f"“{TRANSITION_LABELS[posted]}” is not possible for a {state} story. Nothing was saved."
