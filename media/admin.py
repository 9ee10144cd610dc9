"""The media library in the admin: upload once, describe, set the focal point, see where a picture is used."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import Count
from django.http import JsonResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from media import usage
from media.forms import ImageForm, PlacedImageForm
from media.models import Image
from media.widgets import ImageChooserWidget
from newsroom.protected_deletion import ExplainsProtectedDeletion


class ImageAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete results, each with a thumbnail for the chooser's preview and what the story
    editor's picture panel needs to place the picture in the text."""

    def serialize_result(self, obj, to_field_name):
        return super().serialize_result(obj, to_field_name) | placed_image(obj)


def placed_image(image: Image) -> dict:
    """What the story editor needs to show a library picture and place it in the text (JSON)."""
    return {
        "thumbnail": image.thumbnail_url,
        "url": image.fallback_url,
        "alt": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "title": str(image),
    }


class ImageChooserMixin:
    """For model admins with a picture in ``autocomplete_fields``: the chooser shows the chosen picture."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Image and db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", ImageChooserWidget(db_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Image)
class ImageAdmin(ExplainsProtectedDeletion, admin.ModelAdmin):
    form = ImageForm
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "story_count", "created_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    search_fields = ["title", "caption", "credit", "alt_text", "original_filename", "tags__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["focal_point_picker", "used_in", "original_filename", "dimensions", "uploaded_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["file", "title", "alt_text", "credit", "caption", "source_notes", "tags"]}),
        (
            "Focal point",
            {
                "fields": ["focal_point_picker", ("focal_x", "focal_y")],
                "description": "Crops for sharing, story teasers and the home page's lead keep this point in view.",
            },
        ),
        ("Where it is used", {"fields": ["used_in"]}),
        ("File", {"fields": ["original_filename", "dimensions", "uploaded_by", "created_at"]}),
    ]

    class Media:
        css = {"screen": ["media/css/admin.css"]}
        js = ["media/js/focal-point.js"]

    def get_queryset(self, request):
        # A grouped query ignores Meta.ordering, so the library's order is restated.
        images = super().get_queryset(request).annotate(hero_count=Count("hero_of", distinct=True))
        return images.order_by(*Image._meta.ordering)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "upload/",
                self.admin_site.admin_view(require_POST(self.upload_view)),
                name="{}_{}_upload".format(*info),
            ),
            path(
                "autocomplete/",
                self.admin_site.admin_view(ImageAutocompleteView.as_view(admin_site=self.admin_site)),
                name="{}_{}_autocomplete".format(*info),
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """A picture uploaded from a story's editor (JSON): saved to the library, described, ready to place.

        Naming the object it is for (``story``), that object must be one the user may change
        (``media.usage.upload_refusal``); an upload that is refused or fails its checks saves nothing and says why.
        """
        if not self.has_add_permission(request):
            return JsonResponse({"message": "You may not add pictures to the library."}, status=403)
        refused = usage.upload_refusal(request.POST, request.user)
        if refused:
            status, message = refused
            return JsonResponse({"message": message}, status=status)
        form = PlacedImageForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = {name: [e["message"] for e in found] for name, found in form.errors.get_json_data().items()}
            return JsonResponse({"message": next(iter(errors.values()))[0], "errors": errors}, status=400)
        image = form.save(commit=False)
        image.uploaded_by = request.user
        image.save()
        return JsonResponse({"id": image.pk, **placed_image(image)}, status=201)

    def get_object(self, request, object_id, from_field=None):
        image = super().get_object(request, object_id, from_field)
        if image is not None:
            # "Used in" names only the places this user may open: a reporter's picture can sit in
            # another reporter's unpublished story, whose headline is not theirs to read.
            image.viewer = request.user
        return image

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Picture")
    def thumbnail(self, image):
        if not image.file:
            return ""
        return format_html('<img class="image-thumb" src="{}" alt="" width="96">', image.thumbnail_url)

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width} x {image.height}" if image.width else ""

    @admin.display(description="Story pictures", ordering="hero_count")
    def story_count(self, image):
        return image.hero_count

    @admin.display(description="Click the picture on its subject")
    def focal_point_picker(self, image):
        if not image.pk or not image.file:
            return "Save the picture first; then click its subject here."
        return format_html(
            '<div class="focal-picker" data-focal-picker><img src="{}" alt="" width="{}" height="{}">'
            '<span class="focal-picker__marker" aria-hidden="true"></span></div>',
            image.fallback_url,
            image.width,
            image.height,
        )

    @admin.display(description="Used in")
    def used_in(self, image):
        if not image.pk:
            return ""
        found, hidden = usage.uses(image, getattr(image, "viewer", None))
        items = [self._usage_item(label, obj) for label, obj in found]
        if not items and not hidden:
            return "Not used yet."
        listed = format_html(
            '<ul class="image-usage">{}</ul>', format_html_join("", "<li>{}</li>", ((item,) for item in items))
        )
        if not hidden:
            return listed
        others = "1 story" if hidden == 1 else f"{hidden} stories"
        return format_html("{}<p>Also used in {} you cannot open.</p>", listed if items else "", others)

    def _usage_item(self, label, obj):
        opts = obj._meta
        try:
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        except NoReverseMatch:
            return format_html("{}: {}", label, obj)
        return format_html('{}: <a href="{}">{}</a>', label, url, obj)
