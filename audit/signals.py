"""Entries for what Django and django-axes announce: sign-ins, lockouts, accounts, roles and permissions.

Connected in ``AuditConfig.ready``. The actor is whoever is signed in on the current request (None
for a command or the shell).
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model, user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_save, pre_save

from audit import context, record
from audit.models import Action

WATCHED_FLAGS = ("is_active", "is_staff", "is_superuser")


def _username(value) -> str:
    return str(value or "")[:150]


def signed_in(sender, request, user, **kwargs):
    address = context.client_address(request) if request is not None else None
    record(action=Action.SIGNED_IN, actor=user, obj=user, address=address)


def signed_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=Action.SIGNED_OUT, actor=user, obj=user, address=context.client_address(request))


def sign_in_failed(sender, credentials, request=None, **kwargs):
    """Only the name typed is kept: Django has already masked the password, and it is never read here."""
    name = _username(credentials.get(get_user_model().USERNAME_FIELD))
    account = get_user_model()._default_manager.filter(username=name).first() if name else None
    address = context.client_address(request) if request is not None else None
    record(action=Action.SIGN_IN_FAILED, actor=account, actor_name=name, obj=account, address=address)


def locked_out(sender, request, username, ip_address, **kwargs):
    name = _username(username)
    account = get_user_model()._default_manager.filter(username=name).first() if name else None
    address = context.client_address(request) if request is not None else None
    record(action=Action.LOCKED_OUT, actor=account, actor_name=name, obj=account, address=address)


def _loading(sender, instance, raw=False, **kwargs):
    """Mark rows loaded from a fixture or archive: their relations are set next, and that is no one's change."""
    instance._audit_loading = raw


def _flags_before(sender, instance, update_fields=None, raw=False, **kwargs):
    """Note the account's flags as stored, so a save can tell what it changed (logins save only last_login)."""
    _loading(sender, instance, raw)
    if raw or instance.pk is None or (update_fields is not None and not set(update_fields) & set(WATCHED_FLAGS)):
        instance._audit_flags = None
        return
    instance._audit_flags = sender._default_manager.filter(pk=instance.pk).values(*WATCHED_FLAGS).first()


def account_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        flags = {name: getattr(instance, name) for name in WATCHED_FLAGS}
        record(action=Action.USER_CREATED, obj=instance, details=flags)
        return
    before = getattr(instance, "_audit_flags", None)
    if not before:
        return
    if before["is_active"] != instance.is_active:
        action = Action.USER_REACTIVATED if instance.is_active else Action.USER_DEACTIVATED
        record(action=action, obj=instance)
    changed = {
        name: {"from": before[name], "to": getattr(instance, name)}
        for name in ("is_staff", "is_superuser")
        if before[name] != getattr(instance, name)
    }
    if changed:
        record(action=Action.PERMISSIONS_CHANGED, obj=instance, details=changed)


def _names(model, pks) -> list[str]:
    if model is Permission:
        rows = Permission.objects.filter(pk__in=pks).select_related("content_type")
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows)
    field = "username" if model is get_user_model() else "name"
    return sorted(model._default_manager.filter(pk__in=pks).values_list(field, flat=True))


def _relation_changed(entry_action: str, kind: str):
    """A receiver for one many-to-many relation of accounts, roles and permissions."""

    def receiver(sender, instance, action, reverse, model, pk_set=None, **kwargs):
        if getattr(instance, "_audit_loading", False):
            return
        if action == "pre_clear":
            instance._audit_cleared = _current_pks(sender, instance, model)
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        pks = instance.__dict__.pop("_audit_cleared", []) if action == "post_clear" else pk_set
        if pks:
            change = "added" if action == "post_add" else "removed"
            record(action=entry_action, obj=instance, details={change: _names(model, pks), "of": kind})

    return receiver


def _current_pks(through, instance, model) -> list:
    """The primary keys related to ``instance`` through ``through`` right before a clear."""
    fields = {getattr(field, "related_model", None): field.name for field in through._meta.get_fields()}
    source, target = fields[type(instance)], fields[model]
    return list(through._default_manager.filter(**{source: instance.pk}).values_list(f"{target}_id", flat=True))


def connect() -> None:
    User = get_user_model()
    user_logged_in.connect(signed_in, dispatch_uid="audit-signed-in")
    user_logged_out.connect(signed_out, dispatch_uid="audit-signed-out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit-sign-in-failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit-locked-out")
    pre_save.connect(_flags_before, sender=User, dispatch_uid="audit-account-flags")
    pre_save.connect(_loading, sender=Group, dispatch_uid="audit-role-loading")
    post_save.connect(account_saved, sender=User, dispatch_uid="audit-account-saved")
    relations = [
        (User.groups.through, Action.ROLES_CHANGED, "roles"),
        (User.user_permissions.through, Action.PERMISSIONS_CHANGED, "permissions of the account"),
        (Group.permissions.through, Action.PERMISSIONS_CHANGED, "permissions of the role"),
    ]
    for through, action, kind in relations:
        m2m_changed.connect(
            _relation_changed(action, kind), sender=through, weak=False, dispatch_uid=f"audit-{through._meta.label}"
        )
