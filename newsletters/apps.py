from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """Newsletters readers subscribe to, the issues editors send, and breaking-news alerts."""

    name = "newsletters"
    verbose_name = "Newsletters"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsletters import dependencies

        dependencies.declare()
