"""Staff forms: signing in (the password, then the one-time code) and the staff account forms."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.html import format_html

from accounts.twofactor import normalized_backup_code
from articles import roles
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


BACKUP_CODE_LENGTH = 8  # django-otp's static tokens; authenticator apps show six digits


class SignInCodeForm(OneTimeCodeForm):
    """The code page: the authenticator app's six digits, or one of the user's single-use backup codes.

    ``used_device`` is the device that accepted the code (a backup code is consumed by accepting it).
    """

    code = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "autofocus": True}),
    )

    def __init__(self, device, backup_device, *args, **kwargs):
        super().__init__(device, *args, **kwargs)
        self.backup_device = backup_device
        self.used_device = device

    def clean_code(self):
        code = normalized_backup_code(self.cleaned_data["code"])
        if self.backup_device is None or (code.isdigit() and len(code) < BACKUP_CODE_LENGTH):
            return super().clean_code()
        allowed, details = self.backup_device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(f"Too soon after a wrong code. {_wait(details)}, then try again.")
        if not self.backup_device.verify_token(code):
            raise forms.ValidationError("That backup code is not right, or it was used before.")
        self.used_device = self.backup_device
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

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Read before Django stamps the sign-in time: a first sign-in is offered the second factor.
        if self.request is not None:
            self.request.first_sign_in = user.last_login is None


def _role_choices() -> list[tuple[str, str]]:
    return [
        (role, format_html('<strong>{}</strong> <span class="role-choice__what">{}</span>', role, description))
        for role, description in roles.ROLE_DESCRIPTIONS.items()
    ]


def _role_field(*, required: bool) -> forms.ChoiceField:
    choices = _role_choices()
    if not required:
        choices.append(("", format_html("<strong>{}</strong>", "No role: cannot sign in to the admin")))
    return forms.ChoiceField(label="Role", choices=choices, required=required, widget=forms.RadioSelect)


class StaffAccountForm(UserCreationForm):
    """A colleague's account in one go: name, e-mail, user name, role and a first password."""

    role = _role_field(required=True)

    class Meta(UserCreationForm.Meta):
        fields = ("first_name", "last_name", "email", "username")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = True
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["first_name"].widget.attrs["autofocus"] = True
        self.fields["email"].help_text = "Where the newsroom reaches them; not shown to readers."
        self.fields["password1"].help_text = (
            "A first password to give them in person or by phone; they can change it once signed in. "
            + self.fields["password1"].help_text
        )


class StaffChangeForm(UserChangeForm):
    """An account's name, e-mail, role and whether it may sign in; no raw permission lists."""

    role = _role_field(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("role", roles.role_of(self.instance) or "")

    def clean_role(self):
        return self.cleaned_data["role"] or None
