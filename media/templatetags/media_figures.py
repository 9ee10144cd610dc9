from django import template

from media.figures import responsive_figures

register = template.Library()


@register.filter
def with_figures(body: str):
    """A sanitized story body with its library figures rendered as responsive, credited pictures."""
    return responsive_figures(body or "")
