from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from accounts import sessions  # noqa: F401  (ends a deactivated account's sessions)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The stock admin app, whose default site asks staff for their second factor."""

    default = False
    default_site = "accounts.admin_site.NewsroomAdminSite"
