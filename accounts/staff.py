"""Staff accounts as the newsroom thinks of them: a person with one role and a byline.

The roles themselves (their groups and permissions) are the table in ``articles.roles``; these
functions only put an account in one of them and keep its byline profile beside it.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from articles import roles
from articles.models import Author


def byline_name(user) -> str:
    """The name a byline shows for the account: the full name, else the user name."""
    return user.get_full_name().strip() or user.get_username()


@transaction.atomic
def set_role(*, user, role: str | None) -> None:
    """Give ``user`` exactly one role (or none), and staff access to the admin with it.

    Other groups the account is in are left alone. An account with no role keeps admin access only
    if it is a superuser.
    """
    held = user.groups.filter(name__in=roles.ROLE_PERMISSIONS)
    user.groups.remove(*held.exclude(name=role))  # only roles held: the audit log records each change
    if role is not None and not held.filter(name=role).exists():
        user.groups.add(Group.objects.get(name=role))
    is_staff = role is not None or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def sync_byline(*, user) -> Author:
    """The account's byline profile, made if it has none and renamed when the account's name changed.

    The profile's address (its slug) stays as it was, so links to a writer's page keep working.
    """
    name = byline_name(user)
    author = Author.objects.filter(user=user).first()
    if author is None:
        return Author.objects.create(name=name, user=user)
    if author.name != name:
        author.name = name
        author.save(update_fields=["name"])
    return author
