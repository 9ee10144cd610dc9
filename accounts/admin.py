"""Staff accounts in the admin: one form with a role, a byline made with the account, a list that says who is who,
the share links each account made (to see and revoke them) and resetting a colleague's second factor.

What a role allows is the table in ``articles.roles``; making and changing accounts is ``accounts.staff``.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import staff
from accounts.forms import StaffAccountForm, StaffChangeForm
from accounts.twofactor import can_reset_second_factor, reset_second_factor
from articles import previews, roles
from articles.models import PreviewLink
from newsroom.wording import staff_time

User = get_user_model()

# Devices are added only by their owner's enrolment and removed only by the reset below, both
# recorded in the audit log: an admin page that adds a device would let one person sign in as another.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    add_form = StaffAccountForm
    form = StaffChangeForm
    add_fieldsets = [
        (None, {"fields": [("first_name", "last_name"), "email", "username"]}),
        ("Role", {"fields": ["role"]}),
        ("First password", {"fields": ["password1", "password2"]}),
    ]
    fieldsets = [
        (None, {"fields": [("first_name", "last_name"), "email", "username", "password"]}),
        ("Role", {"fields": ["role", "is_active"]}),
        ("Sign-ins", {"fields": ["last_sign_in", "two_step_sign_in", "date_joined"]}),
        ("Share links", {"fields": ["share_links"]}),
    ]
    readonly_fields = ["last_sign_in", "two_step_sign_in", "date_joined", "share_links"]
    actions = ["revoke_share_links", "reset_second_factor"]
    list_display = ["username", "full_name", "email", "role", "last_sign_in", "two_step_sign_in", "is_active"]
    list_filter = ["groups", "is_active"]
    filter_horizontal = []

    def get_queryset(self, request):
        enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).prefetch_related("groups").annotate(enrolled=Exists(enrolled))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            # Only a superuser may make or unmake another one.
            fieldsets = [*fieldsets, ("Superuser", {"fields": ["is_superuser"], "classes": ["collapse"]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        staff.set_role(user=obj, role=form.cleaned_data.get("role"))
        if not change or {"first_name", "last_name"} & set(form.changed_data):
            staff.sync_byline(user=obj)

    def response_add(self, request, obj, post_url_continue=None):
        # Everything is in the one form, so "Save" goes back to the list (the stock user admin
        # continues to a second form for the rest).
        return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)

    @admin.display(description="Name", ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description="Role")
    def role(self, user):
        return roles.role_of(user) or "No role"

    @admin.display(description="Last sign-in", ordering="last_login")
    def last_sign_in(self, user):
        return staff_time(user.last_login) if user.last_login else "Never"

    @admin.display(description="Two-step sign-in")
    def two_step_sign_in(self, user):
        enrolled = getattr(user, "enrolled", None)
        if enrolled is None:
            enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if enrolled:
            return "Set up"
        if roles.role_of(user) == roles.REPORTER and not settings.NEWSROOM_OTP_REQUIRED_FOR_REPORTERS:
            return "Not set up (optional for reporters)"
        return "Not set up: asked for at next sign-in"

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
