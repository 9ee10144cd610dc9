"""Small presentation helpers for the public templates."""

from django import template

register = template.Library()


@register.filter
def join_and(items) -> str:
    """["Facebook", "X", "TikTok"] -> "Facebook, X and TikTok"."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@register.filter
def platform_names(links) -> list[str]:
    """Display names of social links, in order."""
    return [link.platform_name for link in links]
