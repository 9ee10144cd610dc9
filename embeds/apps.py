from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    """Posts, videos, audio, maps and documents from other services, shown behind a facade in stories."""

    name = "embeds"
    verbose_name = "Embeds"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from embeds import dependencies, signals

        dependencies.declare()
        signals.connect()
