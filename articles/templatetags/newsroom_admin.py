"""Template tags for the newsroom's admin pages."""

from django import template

from articles.dashboard import dashboard

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
