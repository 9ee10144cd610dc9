"""Staff accounts in the admin: the stock user pages, plus resetting a colleague's second factor."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import can_reset_second_factor, reset_second_factor

User = get_user_model()

# Devices are added only by their owner's enrolment and removed only by the reset below, both
# recorded in the audit log: an admin page that adds a device would let one person sign in as another.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["reset_second_factor"]

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
