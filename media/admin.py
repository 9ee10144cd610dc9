from django.contrib import admin
from django.utils.html import format_html

from media.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "width", "height", "created_at"]
    search_fields = ["title", "caption", "credit", "alt_text", "tags__name"]
    fields = ["file", "title", "alt_text", "credit", "caption", "source_notes", ("focal_x", "focal_y"), "tags"]

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.file:
            return ""
        return format_html('<img src="{}" alt="" width="80" style="height:auto">', image.file.url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
            obj.original_filename = getattr(form.cleaned_data.get("file"), "name", "")[:255]
        super().save_model(request, obj, form, change)
