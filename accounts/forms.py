"""The one-time code form shared by sign-in and enrolment."""

from django import forms


class OneTimeCodeForm(forms.Form):
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
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError("Too many wrong codes. Wait a minute, then try the newest code.")
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError("That code is not right. Check the time on your phone and try the newest code.")
        return code
