from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import checks, dependencies, readership, rendering  # noqa: F401  (checks and the most-read piece register themselves)
        from newsroom import cachetags

        dependencies.declare()
        cachetags.on_retire(rendering.forget)
