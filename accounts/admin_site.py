"""The admin site: the stock one, with the second factor after the password."""

from functools import wraps

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import urlencode

from accounts import views
from accounts.forms import StaffLoginForm
from accounts.twofactor import awaiting_second_factor
from newsroom.errors import NulByteInAddress, has_nul_byte
from newsroom.textsafety import refusing_controls


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

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual; every form of the model admin, its inlines included, refuses control characters.

        Done here rather than in each model admin so that the admins of other apps (users, groups, tags,
        devices) hold to it too.
        """
        super().register(model_or_iterable, admin_class, **options)
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            model_admin = self._registry[model]
            for name in ("form", "add_form"):  # add_form: the user admin's form for new accounts
                if hasattr(model_admin, name):
                    setattr(model_admin, name, refusing_controls(getattr(model_admin, name)))
            model_admin.inlines = [_refusing_inline(inline) for inline in model_admin.inlines]

    def get_urls(self):
        return [
            path("second-factor/", views.second_factor, name="second_factor"),
            path("second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
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
        response = super().login(request, extra_context)
        just_signed_in = request.method == "POST" and isinstance(response, HttpResponseRedirect)
        if just_signed_in and awaiting_second_factor(request.user):
            return self._to_second_factor(request)
        return response

    def _to_second_factor(self, request):
        query = urlencode({"next": views.safe_next(request)})
        return HttpResponseRedirect(f"{reverse('admin:second_factor', current_app=self.name)}?{query}")


def _refusing_inline(inline: type) -> type:
    form = refusing_controls(inline.form)
    return inline if form is inline.form else type(inline.__name__, (inline,), {"form": form})
