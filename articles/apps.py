from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import checks, chrome, dependencies, readership, rendering  # noqa: F401  (checks and the most-read piece register themselves)
        from newsroom import cachetags

        dependencies.declare()
        cachetags.on_retire(rendering.forget)
        cachetags.on_retire(chrome.forget)
