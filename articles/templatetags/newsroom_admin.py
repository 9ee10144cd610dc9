"""Template tags for the newsroom's admin pages."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.dashboard import dashboard
from newsroom import wording

register = template.Library()

_CELL_START = re.compile(r"^<(td|th)\b")


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


@register.filter
def isolated_cell(cell: SafeString) -> SafeString:
    """A change list cell as Django renders it, marked ``dir="auto"``: a headline or name in any direction,
    or holding an override character, is laid out on its own and cannot reorder the rest of the row."""
    if not isinstance(cell, SafeString):
        return cell
    return mark_safe(_CELL_START.sub(r'<\1 dir="auto"', cell, count=1))
