"""Editors' side of imports: an upload page, the record of imports, and quotes to confirm; archive exports.

Every change goes through ``interchange.importing``; nothing here decides anything.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles import roles
from interchange import batches, exports
from interchange.forms import ImportUploadForm
from interchange.importing import ImportFailed, confirm_suggested_quote, dismiss_suggested_quote, import_files
from interchange.models import ArchiveExport, ImportedItem, SuggestedQuote
from newsroom.wording import counted


@admin.register(ImportedItem)
class ImportedItemAdmin(admin.ModelAdmin):
    list_display = ["story", "image", "format", "identifier", "filename", "imported_at", "imported_by"]
    list_filter = ["format"]
    list_select_related = ["story", "image", "imported_by"]
    search_fields = ["identifier", "filename", "story__headline", "image__title"]
    readonly_fields = ["story", "image", "format", "identifier", "filename", "imported_at", "imported_by"]

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [path("upload/", upload, name="interchange_import_upload"), *super().get_urls()]

    def upload_view(self, request):
        """Import uploaded copy as drafts and show what became of each file."""
        # Re-imports update drafts whoever wrote them, so importing is for those who may edit any story.
        if not (request.user.has_perm(roles.ADD_STORY) and roles.can_edit_any_story(request.user)):
            raise PermissionDenied
        outcomes = []
        form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
        if form.is_bound and form.is_valid():
            files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
            if batches.is_large(files):
                batches.queue_import(files=files, user=request.user, section=form.cleaned_data["section"])
                messages.success(
                    request,
                    f"{counted(len(files), 'file', 'files')} handed to the background import: what became of each"
                    " is listed below once it is done (reload the page to see).",
                )
                return HttpResponseRedirect(request.path)
            outcomes = import_files(files=files, user=request.user, section=form.cleaned_data["section"])
            imported = sum(len(o.stories) for o in outcomes)
            updated = sum(len(o.updated) for o in outcomes)
            failed = sum(not o.ok for o in outcomes)
            images = sum(len(o.images) for o in outcomes)
            drafts = "its draft was" if updated == 1 else "their drafts were"
            again = f" ({updated} imported before, so {drafts} updated)" if updated else ""
            pictures = f"; {counted(images, 'picture', 'pictures')} in the media library" if images else ""
            messages.add_message(
                request,
                messages.WARNING if failed else messages.SUCCESS,
                f"{counted(imported, 'draft story', 'draft stories')} imported{again}{pictures};"
                f" {counted(failed, 'file', 'files')} not imported.",
            )
            form = ImportUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import copy",
            "form": form,
            "outcomes": _outcome_rows(outcomes),
            "queue_files": settings.NEWSROOM_IMPORT_QUEUE_FILES,
            "batches": [
                (batch, _outcome_rows(batches.outcomes_of(batch)) if batch.status == batch.Status.DONE else [])
                for batch in batches.recent_batches(request.user)
            ],
        }
        return TemplateResponse(request, "admin/interchange/import_upload.html", context)


def _outcome_rows(outcomes) -> list[tuple]:
    return [
        (o, [_story_row(s, updated=s.pk in o.updated) for s in o.stories], [_picture_row(i) for i in o.images])
        for o in outcomes
    ]


def _picture_row(image) -> dict:
    return {"title": str(image), "url": reverse("admin:media_image_change", args=[image.pk])}


def _story_row(story, *, updated: bool) -> dict:
    pending = story.suggested_quotes.pending()
    return {
        "headline": story.headline,
        "updated": updated,
        "url": reverse("admin:articles_story_change", args=[story.pk]),
        "suggestions_url": reverse("admin:interchange_suggestedquote_changelist") + f"?story__id__exact={story.pk}",
        "pending": pending.count(),
        "speakers": pending.values("speaker").distinct().count(),
        "maybe": pending.exclude(maybe_person=None).values("speaker").distinct().count(),
    }


@admin.register(SuggestedQuote)
class SuggestedQuoteAdmin(admin.ModelAdmin):
    list_display = ["name", "introduction", "kind", "paragraph", "quote_text", "on_file", "story_link", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["story", "person", "maybe_person"]
    search_fields = ["name", "text", "story__headline"]
    autocomplete_fields = ["person"]
    fields = ["story", "name", "introduction", "on_file", "person", "kind", "paragraph", "text", "status"]
    readonly_fields = ["story", "on_file", "paragraph", "status"]
    actions = ["confirm", "confirm_as_maybe", "dismiss"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        pending = obj is None or obj.status == SuggestedQuote.Status.PENDING
        return pending and super().has_change_permission(request, obj)

    @admin.display(description="What they said")
    def quote_text(self, suggestion):
        return suggestion.text[:120]

    @admin.display(description="Who on file")
    def on_file(self, suggestion):
        """The same person, a person it may be (the editor decides), or a new person on confirming."""
        if suggestion.quote_id or suggestion.person_id:
            return format_html('<span class="on-file on-file--same">Same as {}</span>', suggestion.person)
        if suggestion.maybe_person_id:
            return format_html(
                '<span class="on-file on-file--maybe">Maybe the same as <a href="{}">{}</a>: only the first name '
                "matches. Confirm as the same person only if you know it is them; confirming otherwise creates a "
                "new person.</span>",
                reverse("admin:articles_person_change", args=[suggestion.maybe_person_id]),
                suggestion.maybe_person,
            )
        return format_html('<span class="on-file on-file--new">{}</span>', "New person")

    @admin.display(description="Story")
    def story_link(self, suggestion):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:articles_story_change", args=[suggestion.story_id]), suggestion.story
        )

    def _decide(self, request, queryset, decide, verb, **kwargs):
        done = 0
        for suggestion in queryset:
            try:
                decide(suggestion=suggestion, user=request.user, **kwargs)
                done += 1
            except ImportFailed as exc:
                self.message_user(request, f"{suggestion.name}: {exc}", messages.WARNING)
        self.message_user(request, f"{counted(done, 'suggested quote', 'suggested quotes')} {verb}.", messages.SUCCESS)

    def _may_confirm(self, request):
        if not request.user.has_perms([roles.ADD_QUOTE, roles.ADD_PERSON]):
            raise PermissionDenied

    @admin.action(description="Confirm as quotes (a new person unless one is chosen)", permissions=["change"])
    def confirm(self, request, queryset):
        self._may_confirm(request)
        self._decide(request, queryset, confirm_suggested_quote, "confirmed")

    @admin.action(description="Confirm as quotes by the person they may be the same as", permissions=["change"])
    def confirm_as_maybe(self, request, queryset):
        self._may_confirm(request)
        self._decide(request, queryset, confirm_suggested_quote, "confirmed as said by someone on file", as_maybe=True)

    @admin.action(description="Dismiss: not quotes", permissions=["change"])
    def dismiss(self, request, queryset):
        self._decide(request, queryset, dismiss_suggested_quote, "dismissed")


@admin.register(ArchiveExport)
class ArchiveExportAdmin(admin.ModelAdmin):
    """Whole-site archives: asked for here, written by the worker, downloaded here by who may see them."""

    list_display = ["requested_at", "requested_by", "status", "rows", "media_files", "file_size", "download"]
    list_select_related = ["requested_by"]
    fields = ["requested_at", "requested_by", "include_media", "status", "rows", "media_files", "file_size", "error"]
    readonly_fields = fields
    change_list_template = "admin/interchange/archiveexport/change_list.html"

    def get_urls(self):
        return [
            path("request/", self.admin_site.admin_view(self.request_view), name="interchange_archiveexport_request"),
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="interchange_archiveexport_download",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        return False  # asked for with the button on the list, never filled in as a form

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="file")
    def download(self, export):
        if export.status != ArchiveExport.Status.DONE:
            return export.error or "—"
        url = reverse("admin:interchange_archiveexport_download", args=[export.pk])
        return format_html('<a href="{}">{}</a>', url, export.file_name)

    def changelist_view(self, request, extra_context=None):
        may_request = request.user.has_perm(roles.ADD_ARCHIVEEXPORT)
        return super().changelist_view(request, {"may_request_export": may_request, **(extra_context or {})})

    def request_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm(roles.ADD_ARCHIVEEXPORT):
            raise PermissionDenied
        export = exports.request_export(user=request.user, include_media=request.POST.get("media") != "no")
        if export.status == ArchiveExport.Status.DONE:
            messages.success(request, "The archive is written: download it below.")
        else:
            messages.success(request, "The export is queued: it is listed here, ready to download, once written.")
        return HttpResponseRedirect(reverse("admin:interchange_archiveexport_changelist"))

    def download_view(self, request, pk: int):
        export = ArchiveExport.objects.filter(pk=pk).first()
        if export is None or not self.has_view_permission(request, export):
            raise Http404("No such export.")
        archive = exports.archive_path(export)
        if archive is None:
            raise Http404("This export has no file to download.")
        return FileResponse(archive.open("rb"), as_attachment=True, filename=archive.name)

    def delete_model(self, request, obj):
        exports.delete_file(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for export in queryset:
            exports.delete_file(export)
        super().delete_queryset(request, queryset)
