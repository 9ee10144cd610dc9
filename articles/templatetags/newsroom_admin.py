"""Template tags for the newsroom's admin pages."""

from django import template

from articles.dashboard import dashboard
from newsroom import wording

register = template.Library()


@register.inclusion_tag("admin/includes/dashboard.html")
def newsroom_dashboard(user):
    """The newsroom dashboard for ``user``."""
    return dashboard(user)


@register.filter
def staff_name(user) -> str:
    """A staff member's full name, else their username; a dash when the account is gone."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


@register.filter
def staff_time(value) -> str:
    """A time in the admin's one format ("27 Nov 2026, 10:46"); empty when there is none."""
    return wording.staff_time(value) if value else ""
