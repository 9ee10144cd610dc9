"""Failed jobs in the admin, under "Site": read only, for admins (old ones are pruned, see jobs/tasks.py)."""

from django.contrib import admin
from django.utils.html import format_html

from jobs.models import JobFailure


@admin.register(JobFailure)
class JobFailureAdmin(admin.ModelAdmin):
    list_display = ["at", "task", "error", "retries"]
    list_filter = ["task", "at"]
    search_fields = ["task", "error", "arguments", "task_id"]
    search_help_text = "Search by job, error, arguments or job id."
    date_hierarchy = "at"
    fields = ["at", "task", "task_id", "arguments", "retries", "error", "traceback_text"]
    readonly_fields = fields

    @admin.display(description="traceback (last lines)")
    def traceback_text(self, failure):
        return format_html("<pre>{}</pre>", failure.traceback)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
