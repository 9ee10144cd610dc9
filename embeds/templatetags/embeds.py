from django import template

from embeds.rendering import facades

register = template.Library()


@register.filter(is_safe=True)
def with_embeds(body: str):
    """A sanitized story body with each embed shown as its facade (or a plain link until it is fetched)."""
    return facades(body or "")
