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
