from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Staff accounts"


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The stock admin app, whose default site asks staff for their second factor."""

    default = False
    default_site = "accounts.admin_site.NewsroomAdminSite"
