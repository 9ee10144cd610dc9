"""Slug generation shared by every model that has a public URL."""

from django.db import models
from django.utils.text import slugify


def unique_slug(instance: models.Model, text: str, *, field: str = "slug", fallback: str = "item") -> str:
    """Return a Unicode slug for ``text`` that no other row of the model uses.

    Headlines in any script keep their letters (Cyrillic stays Cyrillic); text with no letters
    at all falls back to ``fallback``. Clashes get ``-2``, ``-3``... appended.
    """
    max_length = instance._meta.get_field(field).max_length
    base = slugify(text, allow_unicode=True)[: max_length - 8].strip("-") or fallback
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 1
    while others.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
