"""Forms for the media library. Every upload path uses ``ImageUploadField``, so every upload is checked."""

from django import forms

from media.models import Image
from media.processing import ACCEPT_ATTRIBUTE, process_upload
from newsroom.textsafety import ControlCharactersRefused


class ImageUploadField(forms.FileField):
    """A picture upload: judged by content, limited in size, and re-encoded without metadata."""

    widget = forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})
    default_error_messages = {"empty": "The uploaded file is empty."}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return process_upload(upload)


class ImageForm(ControlCharactersRefused, forms.ModelForm):
    file = ImageUploadField(
        label="Picture",
        help_text="JPEG, PNG, WebP or GIF. Location and camera data are removed; an animated GIF keeps its first "
        "frame.",
    )

    class Meta:
        model = Image
        fields = ["file", "title", "alt_text", "credit", "caption", "source_notes", "focal_x", "focal_y", "tags"]


class PlacedImageForm(ImageForm):
    """A picture uploaded from the story editor's panel and placed at once: described in the same panel."""

    class Meta(ImageForm.Meta):
        fields = ["file", "title", "alt_text", "credit", "caption", "focal_x", "focal_y"]
        error_messages = {
            "alt_text": {"required": "Describe the picture for readers who cannot see it (alt text)."},
            "credit": {"required": "Give the photographer or agency to credit."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Choose a picture to upload."
        # Left out, the focal point is the middle of the picture.
        self.fields["focal_x"].required = self.fields["focal_y"].required = False

    def clean_focal_x(self):
        return 0.5 if self.cleaned_data.get("focal_x") is None else self.cleaned_data["focal_x"]

    def clean_focal_y(self):
        return 0.5 if self.cleaned_data.get("focal_y") is None else self.cleaned_data["focal_y"]
