"""URL converters for the public site."""

from django.urls import register_converter


class UnicodeSlugConverter:
    """A slug that may hold letters of any script, as ``slugify(allow_unicode=True)`` makes."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UnicodeSlugConverter, "uslug")
