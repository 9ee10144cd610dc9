from django import forms

from articles.models import Section

# Copy, and the picture files that ninjs picture items name.
ACCEPTED = ".txt,.md,.markdown,.json,.xml,.nitf,.jpg,.jpeg,.png,.webp,.gif"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked like a single upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if not files:
            return [super().clean(None, initial)]  # raises "required"
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label="Copy to import",
        help_text="Plain text or Markdown (.txt, .md), IPTC ninjs (.json) or NITF (.xml). Several files at once; "
        "a ninjs picture item goes to the media library with its picture file uploaded beside it.",
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(),
        required=False,
        help_text="For copy whose first line names no section.",
    )
