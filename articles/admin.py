"""The newsroom's admin: laid out the way a writer works. No business rules live here."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from articles.models import (
    Author,
    AuthorLink,
    Byline,
    Correction,
    Person,
    Publication,
    Quote,
    Section,
    SocialLink,
    Source,
    Story,
)
from media.admin import ImageChooserMixin


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["person"]
    fields = [("person", "position"), "text", ("introduction", "context")]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["kind", "text", "created_at"]


@admin.register(Story)
class StoryAdmin(ImageChooserMixin, admin.ModelAdmin):
    list_display = ["headline", "status", "section", "kind", "authors_list", "published_at", "updated_at"]
    list_filter = ["status", "section", "kind", ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "source", "hero_image", "related"]
    inlines = [BylineInline, QuoteInline, CorrectionInline]
    save_on_top = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["headline", "standfirst", "body"]}),
        ("Filing", {"fields": [("section", "kind"), "tags", "slug"]}),
        ("Picture", {"fields": ["hero_image", "hero_caption"]}),
        ("Syndication", {"fields": ["source", "original_url"], "classes": ["collapse"]}),
        ("Publishing", {"fields": ["status", "published_at", "embargo_until", "review_note", "editor_note"]}),
        ("Curation", {"fields": ["home_position", "breaking_until", "related"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    @admin.display(description="By")
    def authors_list(self, story):
        return ", ".join(author.name for author in story.byline_authors)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "canonical_to_original"]
    search_fields = ["name"]


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 0


@admin.register(Author)
class AuthorAdmin(ImageChooserMixin, admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    raw_id_fields = ["user"]
    inlines = [AuthorLinkInline]


@admin.register(Person)
class PersonAdmin(ImageChooserMixin, admin.ModelAdmin):
    list_display = ["name", "description", "has_profile"]
    list_filter = ["has_profile"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]


@admin.register(SocialLink)
class SocialLinkAdmin(admin.ModelAdmin):
    list_display = ["platform", "link", "position", "is_active"]
    list_editable = ["position", "is_active"]

    @admin.display(description="Link")
    def link(self, social_link):
        return format_html('<a href="{}" rel="noopener">{}</a>', social_link.url, social_link.url)


@admin.register(Publication)
class PublicationAdmin(ImageChooserMixin, admin.ModelAdmin):
    list_display = ["name", "base_url"]
    autocomplete_fields = ["logo"]

    def has_add_permission(self, request):
        return not Publication.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
