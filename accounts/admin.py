"""Staff accounts in the admin: the stock user pages, plus the share links each account made (to see and
revoke them) and resetting a colleague's second factor."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import can_reset_second_factor, reset_second_factor
from articles import previews
from articles.models import PreviewLink

User = get_user_model()

# Devices are added only by their owner's enrolment and removed only by the reset below, both
# recorded in the audit log: an admin page that adds a device would let one person sign in as another.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Share links", {"fields": ["share_links"]}))
    readonly_fields = ["share_links"]
    actions = ["revoke_share_links", "reset_second_factor"]

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

    @admin.action(description="Reset two-step sign-in (they set it up again at their next sign-in)")
    def reset_second_factor(self, request, queryset):
        done, refused = [], []
        for user in queryset:
            if can_reset_second_factor(request.user, user):
                reset_second_factor(user=user, by=request.user)
                done.append(user.get_username())
            else:
                refused.append(user.get_username())
        if done:
            names = ", ".join(done)
            messages.success(
                request, f"Two-step sign-in reset for {names}; they set it up again at their next sign-in."
            )
        if refused:
            messages.error(request, f"Not reset (your own, or a superuser's): {', '.join(refused)}.")
