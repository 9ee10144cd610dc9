from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = "Media library"

    def ready(self):
        from media import dependencies, signals  # noqa: F401

        dependencies.declare()
