from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Copy in and out of Newsroom: wire imports, the ninjs read API, archives."""

    name = "interchange"
    default_auto_field = "django.db.models.BigAutoField"
