from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import checks, signals  # noqa: F401  (checks registers itself)

        signals.connect()
