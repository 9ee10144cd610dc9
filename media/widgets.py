"""Admin widgets for pictures: a chooser that shows the chosen picture, and a focal point picker."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse


class ImageChooserWidget(AutocompleteSelect):
    """The admin's autocomplete select for a library picture, with a thumbnail of the current choice."""

    template_name = "admin/media/widgets/image_chooser.html"

    def get_url(self):
        return reverse(f"{self.admin_site.name}:media_image_autocomplete")

    def build_attrs(self, base_attrs, extra_attrs=None):
        return {**super().build_attrs(base_attrs, extra_attrs), "data-image-chooser": ""}

    def get_context(self, name, value, attrs):
        from media.models import Image

        context = super().get_context(name, value, attrs)
        chosen = Image.objects.filter(pk=value).first() if value and str(value).isdigit() else None
        context["widget"]["chosen_image"] = chosen
        return context

    @property
    def media(self):
        # Listed with jquery.init.js so that merging keeps the order: the script needs django.jQuery.
        chooser = forms.Media(
            js=["admin/js/jquery.init.js", "media/js/image-chooser.js"], css={"screen": ["media/css/admin.css"]}
        )
        return super().media + chooser
