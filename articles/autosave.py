"""Unsaved work kept for the writer: one copy per user and story, never a revision or a publication."""

from django.db import connection, transaction
from django.http import QueryDict
from django.utils import timezone

from articles.models import Story, StoryAutosave

# Form fields that are about sending the form, not about the story.
NOT_KEPT = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_transition", "_popup", "_changelist_filters"}
MAX_FIELDS = 400


def keep(*, user, story: Story | None, data: QueryDict) -> StoryAutosave:
    """Store the posted form fields as the user's unsaved copy of the story (replacing the last one)."""
    kept = {name: data.getlist(name) for name in list(data)[:MAX_FIELDS] if name not in NOT_KEPT}
    base_version = _version(kept.get("base_version", [""])[0])
    with transaction.atomic():
        autosave, _ = StoryAutosave.objects.update_or_create(
            user=user,
            story=story,
            defaults={"data": kept, "base_version": base_version, "saved_at": timezone.now()},
        )
    return autosave


def _version(text: str) -> int | None:
    """The story version a kept form was based on, or None when the form's value cannot be one."""
    if not (text.isascii() and text.isdigit()):
        return None
    lowest, highest = connection.ops.integer_field_range(
        StoryAutosave._meta.get_field("base_version").get_internal_type()
    )
    return int(text) if lowest <= int(text) <= highest else None


def pending(*, user, story: Story | None) -> StoryAutosave | None:
    """The user's unsaved copy: saving the story deletes it, so any copy left is work not yet saved."""
    return StoryAutosave.objects.filter(user=user, story=story).first()


def discard(*, user, story: Story | None) -> None:
    StoryAutosave.objects.filter(user=user, story=story).delete()


def initial_from(autosave: StoryAutosave, form_class) -> dict:
    """Initial values for ``form_class`` from a kept copy, read the way each widget reads a post."""
    data = QueryDict(mutable=True)
    for name, values in autosave.data.items():
        data.setlist(name, [str(value) for value in values])
    initial = {}
    for name, field in form_class.base_fields.items():
        if field.disabled:
            continue
        value = field.widget.value_from_datadict(data, {}, name)
        if value is not None and not field.widget.value_omitted_from_data(data, {}, name):
            initial[name] = value
    if autosave.base_version is not None:
        initial["base_version"] = autosave.base_version
    return initial
