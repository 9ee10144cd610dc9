"""Embeds in the admin: what was fetched for each link, what failed, and a way to fetch again."""

from django.contrib import admin, messages
from django.utils.html import format_html

from embeds.models import Embed
from embeds.tasks import refetch_embed
from newsroom.celery import enqueue


@admin.register(Embed)
class EmbedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "provider", "fetched_at", "error"]
    list_filter = ["provider", ("error", admin.EmptyFieldListFilter)]
    search_fields = ["url", "title", "author_name"]
    search_help_text = "Search by link, title or author."
    fields = ["url", "provider", "title", "author_name", "author_url", "thumbnail_preview", "player_url"]
    fields += ["width", "height", "fetched_at", "error"]
    readonly_fields = [field for field in fields if field != "url"]
    actions = ["fetch_again"]

    @admin.display(description="thumbnail (our copy)")
    def thumbnail_preview(self, embed):
        if not embed.thumbnail:
            return "none"
        return format_html('<img src="{}" alt="" width="240">', embed.thumbnail.url)

    def has_add_permission(self, request):
        return False  # embeds are made by saving a story that holds their link

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "url"]

    @admin.action(description="Fetch the selected embeds again from their providers", permissions=["change"])
    def fetch_again(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for embed_id in ids:
            enqueue(refetch_embed, embed_id)
        self.message_user(request, f"{len(ids)} embed(s) will be fetched again.", messages.SUCCESS)
