"""After-commit cache invalidation: any change to content readers can see starts a new content generation.

Only this decoupled side effect lives in signals; the publishing workflows themselves are plain
functions. ``QuerySet.update()`` and ``bulk_create()`` send no signals: code that changes public
content that way calls ``articles.generation.content_changed()`` itself.
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save

from articles import generation


def _is_public_content(sender) -> bool:
    # Staff-only rows (autosaved drafts, preview links) change nothing readers see.
    return sender._meta.app_label in settings.NEWSROOM_PUBLIC_CONTENT_APPS and not getattr(sender, "staff_only", False)


def _on_change(sender, **kwargs):
    if _is_public_content(sender):
        generation.content_changed()


def _on_relation_change(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _is_public_content(sender):
        generation.content_changed()


def connect() -> None:
    """Listen to saves, deletes and relation changes of every model in the public content apps."""
    post_save.connect(_on_change, dispatch_uid="newsroom-content-saved")
    post_delete.connect(_on_change, dispatch_uid="newsroom-content-deleted")
    m2m_changed.connect(_on_relation_change, dispatch_uid="newsroom-content-related")
