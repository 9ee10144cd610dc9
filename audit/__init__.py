"""The site-wide audit log: who did what, to what, from which address and when.

Everything that records calls ``audit.record``; nothing else writes entries. Entries hold names,
ids and outcomes, never passwords, codes, tokens or keys.
"""

from collections.abc import Mapping

# Keys that would hold a secret: refused in details whatever the caller passes (a second line of defence).
SECRET_WORDS = ("password", "secret", "token", "code", "key", "otp")
UNSET = object()


def _without_secrets(details: Mapping | None) -> dict:
    cleaned = {}
    for name, value in (details or {}).items():
        if any(word in str(name).lower() for word in SECRET_WORDS):
            continue
        cleaned[str(name)] = _without_secrets(value) if isinstance(value, Mapping) else value
    return cleaned


def record(*, action: str, actor=UNSET, obj=None, address=UNSET, details: Mapping | None = None, actor_name=None):
    """Add one entry to the audit log and return it.

    ``actor`` defaults to whoever is signed in on the current request and ``address`` to that
    request's client address (both None outside a request); pass None to record no one.
    ``obj`` is the model instance acted on, if any. ``details`` must be JSON-serializable.
    """
    from django.contrib.contenttypes.models import ContentType

    from audit import context
    from audit.models import AuditEntry

    request = context.current_request()
    if actor is UNSET:
        actor = context.current_user()
    if address is UNSET:
        address = context.client_address(request) if request is not None else None
    entry = AuditEntry(action=action, actor=actor, address=address, details=_without_secrets(details))
    entry.actor_name = (actor_name if actor_name is not None else getattr(actor, "username", ""))[:150]
    if obj is not None:
        entry.object_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)[:64]
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
