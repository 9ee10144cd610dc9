"""The admin site: the stock one in the publication's name, with the second factor after the password."""

from functools import wraps

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from accounts import throttles, views
from accounts.forms import StaffLoginForm
from accounts.twofactor import awaiting_second_factor
from articles import roles
from articles.context_processors import site_chrome
from newsroom.errors import NulByteInAddress, has_nul_byte
from newsroom.protected_deletion import ExplainsProtectedDeletion  # noqa: F401  (admins import it from here too)
from newsroom.textsafety import refusing_controls
from newsroom.wording import time_zone_name

# Apps that come with libraries, and failed jobs: out of editors' and reporters' sight, kept for admins under "Site".
SITE_APPS = {"auth", "axes", "otp_totp", "otp_static", "otp_email", "simple_history", "jobs"}
# Models that belong with the newsroom's own (editors look after tags), wherever their app is.
NEWSROOM_MODELS = {("taggit", "Tag")}
# The publication's own settings, also kept for admins under "Site".
SITE_MODELS = {("articles", "Publication"), ("articles", "SocialLink")}


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom"
    site_title = "Newsroom admin"
    index_title = "Dashboard"
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
            path("second-factor/backup-codes/", self.admin_view(views.backup_codes), name="backup_codes"),
            path("site/", self.admin_view(self.site_index), name="site_index"),
            *super().get_urls(),
        ]

    def each_context(self, request):
        """The publication's name and logo in place of the stock branding, and the zone times are shown in."""
        publication = site_chrome(request)["publication"]
        return {
            **super().each_context(request),
            "site_header": publication.name,
            "site_title": f"{publication.name} newsroom",
            "site_logo": publication.logo,
            "newsroom_time_zone": time_zone_name(),
        }

    def get_app_list(self, request, app_label=None):
        """The newsroom's apps first; the libraries' apps and the site settings under "Site", for admins only."""
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        newsroom, site = [], {"name": "Site", "app_label": "site", "app_url": reverse("admin:site_index"), "models": []}
        moved = []
        for app in app_list:
            kept = []
            for model in app["models"]:
                key = (app["app_label"], model["object_name"])
                if key in NEWSROOM_MODELS:
                    moved.append(model)
                elif app["app_label"] in SITE_APPS or key in SITE_MODELS:
                    site["models"].append(model)
                else:
                    kept.append(model)
            if kept:
                newsroom.append({**app, "models": kept})
        home = next((app for app in newsroom if app["app_label"] == "articles"), None)
        if home is not None and moved:
            home["models"] = sorted([*home["models"], *moved], key=lambda model: model["name"])
        if site["models"] and roles.is_site_admin(request.user):
            site["models"].sort(key=lambda model: model["name"])
            newsroom.append(site)
        return newsroom

    def index(self, request, extra_context=None):
        # Accounts that may go without a second factor (reporters) are reminded until they set one up.
        extra = {"second_factor_missing": not user_has_device(request.user), **(extra_context or {})}
        return super().index(request, extra)

    def site_index(self, request):
        """The "Site" group's own page, like an app's: accounts, sign-in records, the publication."""
        site = [app for app in self.get_app_list(request) if app["app_label"] == "site"]
        if not site:
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Site",
            "subtitle": None,
            "app_list": site,
            "app_label": "site",
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)

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
        if just_signed_in and getattr(request, "first_sign_in", False) and not user_has_device(request.user):
            # Not required of this account (a reporter), but asked for on the first sign-in all the same.
            query = urlencode({"next": views.safe_next(request)})
            return HttpResponseRedirect(f"{reverse('admin:second_factor_setup', current_app=self.name)}?{query}")
        return response

    def _to_second_factor(self, request):
        query = urlencode({"next": views.safe_next(request)})
        return HttpResponseRedirect(f"{reverse('admin:second_factor', current_app=self.name)}?{query}")


def _refusing_inline(inline: type) -> type:
    form = refusing_controls(inline.form)
    return inline if form is inline.form else type(inline.__name__, (inline,), {"form": form})
