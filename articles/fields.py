"""Model fields shared by the content model."""

from django.db import models


class WebAddressField(models.URLField):
    """A URL field whose form assumes https:// when an editor leaves the scheme out.

    That is Django 6's default; until then every form built from a plain URLField warns that
    the default will change. In the database and in migrations it is exactly ``models.URLField``,
    so switching a field to it needs no migration.
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs
