"""What stored text may hold: no control characters, no lone surrogates, no direction overrides in names.

Tab, newline and carriage return are the only C0 control characters any text keeps. NUL is refused
by PostgreSQL (a DataError) and the others are invisible, so copy holding them is never what its
writer meant. A lone surrogate cannot be written as UTF-8 at all (a UnicodeEncodeError on either
database); JSON escapes such as ``"\\ud800"`` are how one arrives.

Forms refuse such text with a message (``ControlCharactersRefused``); importers remove it
(``remove_controls``), since wire copy often carries stray controls nobody can see or fix by hand.

Explicit direction controls (embeddings, overrides, isolates and marks) are legitimate in prose, so
text fields keep them and templates isolate what people wrote; they are removed from names that
become addresses or file names (``remove_bidi_controls``), where they can only disguise.
"""

import re

from django import forms
from django.core.exceptions import ValidationError

# C0 controls except tab (09), newline (0A) and carriage return (0D); and lone UTF-16 surrogates.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# Left-to-right and right-to-left marks, embeddings and overrides (202A-202E), isolates (2066-2069).
# What forms refuse: the same less NUL, which Django's own text fields already refuse with their message.
FORM_CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def remove_controls(text: str) -> str:
    """``text`` without control characters other than tab and line breaks, and without lone surrogates."""
    return CONTROLS.sub("", text)


def remove_bidi_controls(text: str) -> str:
    """``text`` without explicit direction controls, for names used in addresses and file names."""
    return BIDI_CONTROLS.sub("", text)


def safe_name(text: str) -> str:
    """A name for an address or a file: no control characters and no direction controls."""
    return remove_bidi_controls(remove_controls(text))


def refuse_control_characters(value) -> None:
    """Validator: refuse text holding a control character or a lone surrogate (Django refuses NUL itself)."""
    if not isinstance(value, str):
        return
    found = FORM_CONTROLS.search(value)
    if found:
        raise ValidationError(
            "This text holds an invisible control character (%(code)s) at position %(position)s: "
            "remove it (it often comes with text pasted from another program) and try again.",
            code="control_character",
            params={"code": f"U+{ord(found.group()):04X}", "position": found.start() + 1},
        )


class ControlCharactersRefused:
    """Form mixin: every text field of the form refuses control characters, with a message naming one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            refuse_controls_in(field)


def refuse_controls_in(field: forms.Field) -> None:
    """Add the validator to a text field (once); other fields are left as they are."""
    if isinstance(field, forms.CharField) and refuse_control_characters not in field.validators:
        field.validators.append(refuse_control_characters)


def refusing_controls(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """``form_class`` with ``ControlCharactersRefused`` mixed in (itself when it has it already)."""
    if issubclass(form_class, ControlCharactersRefused):
        return form_class
    return type(form_class.__name__, (ControlCharactersRefused, form_class), {"__module__": form_class.__module__})
