"""Staff accounts in the admin: one form with a role, a byline made with the account, a list that says who is who.

What a role allows is the table in ``articles.roles``; making and changing accounts is ``accounts.staff``.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import staff
from accounts.forms import StaffAccountForm, StaffChangeForm
from articles import roles
from newsroom.wording import staff_time

User = get_user_model()
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
    ]
    readonly_fields = ["last_sign_in", "two_step_sign_in", "date_joined"]
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
