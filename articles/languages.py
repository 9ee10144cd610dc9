"""Story languages as BCP 47 tags ("en", "de", "nb-NO", "sr-Latn-RS"): read, checked and written one way.

A story keeps the language it was written in; pages put it on the story's own element, JSON-LD, the API
and feeds repeat it. The site's chrome stays in the publication's language.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

MAX_LENGTH = 35  # what RFC 5646 asks storage to allow for a tag
# A well-formed tag: language (two or three letters: no longer ones are registered, and "english" is not
# a tag), then optional script, region, variants, extensions and private use.
_TAG = re.compile(
    r"""^(?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<rest>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*(?:-[a-wy-z0-9](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?)$""",
    re.IGNORECASE | re.VERBOSE,
)


def bcp47(value: str) -> str:
    """``value`` as a BCP 47 tag in its usual case ("nb_no" becomes "nb-NO"); "" if it is not one."""
    text = (value or "").strip().replace("_", "-")
    match = _TAG.match(text) if len(text) <= MAX_LENGTH else None
    if match is None:
        return ""
    parts = [match["language"].lower()]
    if match["script"]:
        parts.append(match["script"].title())
    if match["region"]:
        parts.append(match["region"].upper())
    return "-".join(parts) + match["rest"].lower()


def default_language() -> str:
    """The language of a story nobody said otherwise about: the site's LANGUAGE_CODE, as a BCP 47 tag."""
    return bcp47(settings.LANGUAGE_CODE) or "en"


def primary_subtag(tag: str) -> str:
    """The language alone, without script or region: "nb" for "nb-NO"."""
    return (tag or "").split("-", 1)[0].lower()


def validate_language_tag(value: str) -> None:
    if not bcp47(value):
        raise ValidationError(
            '"%(value)s" is not a language tag: use a BCP 47 tag such as en, de, nb-NO or sv.',
            code="invalid_language",
            params={"value": value},
        )
