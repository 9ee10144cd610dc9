"""Ending an account's sessions on every server when it is deactivated.

Sessions live in the database (Django's default engine), shared by all app servers, so deleting
an account's rows signs it out everywhere at once; the ``cached_db`` engine's cached copies go with
them (``SessionStore.delete``). Whatever the engine, Django's ``ModelBackend`` also refuses an
inactive account on every request, so a session that could not be found is still worthless.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from articles import previews


def end_sessions(user) -> int:
    """Delete every unexpired session signed in as ``user``; how many were deleted."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):  # cache or cookie sessions cannot be listed
        return 0
    ended = 0
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.deactivated")
def _deactivated(sender, instance, **kwargs):
    """A deactivated account is signed out everywhere and its share links are revoked for good."""
    if instance.is_active:
        return

    def close():
        end_sessions(instance)
        previews.revoke_user_links(user=instance, by=None, reason="its maker was deactivated")

    transaction.on_commit(close)
