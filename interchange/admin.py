"""Editors' side of imports: an upload page, the record of imports, and quotes to confirm.

Every change goes through ``interchange.importing``; nothing here decides anything.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles import roles
from interchange.forms import ImportUploadForm
from interchange.importing import ImportFailed, confirm_suggested_quote, dismiss_suggested_quote, import_files
from interchange.models import ImportedItem, SuggestedQuote
from newsroom.wording import counted


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["story", "format", "identifier", "filename", "imported_at", "imported_by"]
    list_filter = ["format"]
    list_select_related = ["story", "imported_by"]
    search_fields = ["identifier", "filename", "story__headline"]
    readonly_fields = ["story", "format", "identifier", "filename", "imported_at", "imported_by"]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("upload/", upload, name="interchange_import_upload"), *super().get_urls()]

    def upload_view(self, request):
        """Import uploaded copy as drafts and show what became of each file."""
        # Re-imports update drafts whoever wrote them, so importing is for those who may edit any story.
        if not (request.user.has_perm("articles.add_story") and roles.can_edit_any_story(request.user)):
            raise PermissionDenied
        outcomes = []
        form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
        if form.is_bound and form.is_valid():
            files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
            outcomes = import_files(files=files, user=request.user, section=form.cleaned_data["section"])
            imported = sum(len(o.stories) for o in outcomes)
            updated = sum(len(o.updated) for o in outcomes)
            failed = sum(not o.ok for o in outcomes)
            drafts = "its draft was" if updated == 1 else "their drafts were"
            again = f" ({updated} imported before, so {drafts} updated)" if updated else ""
            messages.add_message(
                request,
                messages.WARNING if failed else messages.SUCCESS,
                f"{counted(imported, 'draft story', 'draft stories')} imported{again};"
                f" {counted(failed, 'file', 'files')} not imported.",
            )
            form = ImportUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import copy",
            "form": form,
            "outcomes": [(o, [_story_row(s, updated=s.pk in o.updated) for s in o.stories]) for o in outcomes],
        }
        return TemplateResponse(request, "admin/interchange/import_upload.html", context)


def _story_row(story, *, updated: bool) -> dict:
    return {
        "headline": story.headline,
        "updated": updated,
        "url": reverse("admin:articles_story_change", args=[story.pk]),
        "suggestions_url": reverse("admin:interchange_suggestedquote_changelist") + f"?story__id__exact={story.pk}",
        "pending": story.suggested_quotes.pending().count(),
    }


@admin.register(SuggestedQuote)
class SuggestedQuoteAdmin(admin.ModelAdmin):
    list_display = ["name", "quote_text", "introduction", "person", "story_link", "status"]
    list_filter = ["status"]
    list_select_related = ["story", "person"]
    search_fields = ["name", "text", "story__headline"]
    autocomplete_fields = ["person"]
    fields = ["story", "name", "person", "introduction", "text", "status"]
    readonly_fields = ["story", "status"]
    actions = ["confirm", "dismiss"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        pending = obj is None or obj.status == SuggestedQuote.Status.PENDING
        return pending and super().has_change_permission(request, obj)

    @admin.display(description="What they said")
    def quote_text(self, suggestion):
        return suggestion.text[:120]

    @admin.display(description="Story")
    def story_link(self, suggestion):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_story_change", args=[suggestion.story_id]), suggestion.story
        )

    def _decide(self, request, queryset, decide, verb):
        done = 0
        for suggestion in queryset:
            try:
                decide(suggestion=suggestion, user=request.user)
                done += 1
            except ImportFailed as exc:
                self.message_user(request, f"{suggestion.name}: {exc}", messages.WARNING)
        self.message_user(request, f"{counted(done, 'suggested quote', 'suggested quotes')} {verb}.", messages.SUCCESS)

    @admin.action(description="Confirm as quotes on their stories", permissions=["change"])
    def confirm(self, request, queryset):
        if not request.user.has_perms(["articles.add_quote", "articles.add_person"]):
            raise PermissionDenied
        self._decide(request, queryset, confirm_suggested_quote, "confirmed")

    @admin.action(description="Dismiss: not quotes", permissions=["change"])
    def dismiss(self, request, queryset):
        self._decide(request, queryset, dismiss_suggested_quote, "dismissed")
