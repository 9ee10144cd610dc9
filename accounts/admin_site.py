"""The admin site: the stock one, with the second factor after the password."""

from functools import wraps

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode

from accounts import throttles, views
from accounts.forms import StaffLoginForm
from accounts.twofactor import awaiting_second_factor
from newsroom.errors import NulByteInAddress, has_nul_byte


class ExplainsProtectedDeletion:
    """For model admins of things stories point at and protect (sections, sources, pictures).

    Deleting one still in use is refused because of the stories using it. Django would also count those
    stories as objects the user may not delete (nobody deletes a published story) and show only that,
    as if deleting a section deleted its stories; the list of stories using it is the answer instead.
    """

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            perms_needed = set()  # nothing is deleted while anything is protected
        return to_delete, model_count, perms_needed, protected


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    login_form = StaffLoginForm
    # The front page is the newsroom dashboard (articles.dashboard), above the list of models.
    index_template = "admin/newsroom_index.html"

    def get_urls(self):
        return [
            path("second-factor/", views.second_factor, name="second_factor"),
            path("second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
            path("second-factor/backup-codes/", self.admin_view(views.backup_codes), name="backup_codes"),
            *super().get_urls(),
        ]

    def admin_view(self, view, cacheable=False):
        """Every admin view; a NUL byte in the address is the 400 page (list filters would pass it to the database)."""
        checked_view = super().admin_view(view, cacheable)

        @wraps(checked_view)
        def inner(request, *args, **kwargs):
            if has_nul_byte(request):
                raise NulByteInAddress("NUL byte in an admin address")
            return checked_view(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        """The password form; a password-only session is sent on to the one-time code page."""
        if awaiting_second_factor(request.signed_in_user):
            return self._to_second_factor(request)
        posted = request.method == "POST"
        if posted and (wait := throttles.sign_in_wait(request)):
            return throttles.paused(request, wait, throttles.SIGN_IN_PAUSED)
        response = super().login(request, extra_context)
        just_signed_in = posted and isinstance(response, HttpResponseRedirect)
        if posted and not just_signed_in:
            throttles.sign_in_failed(request)
        if just_signed_in and awaiting_second_factor(request.user):
            return self._to_second_factor(request)
        return response

    def _to_second_factor(self, request):
        query = urlencode({"next": views.safe_next(request)})
        return HttpResponseRedirect(f"{reverse('admin:second_factor', current_app=self.name)}?{query}")
