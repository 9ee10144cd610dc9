"""The user admin: Django's own, plus the share links each account made, to see and revoke them."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from articles import previews
from articles.models import PreviewLink

User = get_user_model()


class NewsroomUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Share links", {"fields": ["share_links"]}))
    readonly_fields = ["share_links"]
    actions = ["revoke_share_links"]

    @admin.display(description="Share links made")
    def share_links(self, user):
        """How many of the user's preview links still open their story, with the list of them all."""
        if user.pk is None:
            return "None yet."
        made = list(PreviewLink.objects.filter(created_by=user).live().select_related("story", "created_by"))
        working = sum(1 for link in made if link.opens_story())
        total = PreviewLink.objects.filter(created_by=user).count()
        url = reverse("admin:articles_previewlink_changelist") + "?" + urlencode({"created_by__id__exact": user.pk})
        return format_html('{} working, of {} made. <a href="{}">See and revoke them</a>.', working, total, url)

    @admin.action(description="Revoke every share link the selected users made", permissions=["change"])
    def revoke_share_links(self, request, queryset):
        count = sum(previews.revoke_user_links(user=user, by=request.user) for user in queryset)
        self.message_user(request, f"{count} share link{'s' if count != 1 else ''} revoked.", messages.SUCCESS)


admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
