"""The audit log in the admin: read only for everyone, superusers included."""

import json

from django.contrib import admin
from django.utils.html import format_html

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor_name", "object_type", "object_repr", "address"]
    list_filter = [
        "action",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("object_type", admin.RelatedOnlyFieldListFilter),
        "at",
    ]
    list_select_related = ["object_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "address"]
    search_help_text = "Search by user name, object or address."
    date_hierarchy = "at"
    fields = [
        "at",
        "action",
        "actor",
        "actor_name",
        "address",
        "object_type",
        "object_id",
        "object_repr",
        "details_text",
    ]
    readonly_fields = fields
    actions = None

    @admin.display(description="details")
    def details_text(self, entry):
        return format_html("<pre>{}</pre>", json.dumps(entry.details, indent=2, ensure_ascii=False, sort_keys=True))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
