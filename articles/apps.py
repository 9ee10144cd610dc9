from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import checks, dependencies, readership  # noqa: F401  (checks and the most-read piece register themselves)

        dependencies.declare()
