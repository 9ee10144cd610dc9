"""Staff sign-in forms: the password form and the one-time code form."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from newsroom.textsafety import ControlCharactersRefused
from newsroom.wording import counted


def _wait(details: dict | None) -> str:
    """How long the throttle still holds: each wrong code in a row doubles the pause (1 s, 2 s, 4 s...)."""
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return "Wait a moment"
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 120:
        return f"Wait {counted(seconds, 'second', 'seconds')}"
    return f"Wait {counted(math.ceil(seconds / 60), 'minute', 'minutes')}"


class OneTimeCodeForm(ControlCharactersRefused, forms.Form):
    """A six-digit code from the user's authenticator app, checked against ``device`` (throttled)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, device, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        allowed, details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(f"Too soon after a wrong code. {_wait(details)}, then try the newest code.")
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError("That code is not right. Check the time on your phone and try the newest code.")
        return code


class StaffLoginForm(ControlCharactersRefused, AdminAuthenticationForm):
    """The admin's password form, refusing over-long user names before any sign-in attempt is made.

    Django only sets the length as an HTML attribute; without this check a 5,000-character name
    would reach the authentication backends and the lockout records (a database error on PostgreSQL).
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
