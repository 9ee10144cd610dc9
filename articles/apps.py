from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import checks, chrome, dependencies, pictures, readership, rendering  # noqa: F401  (checks and the most-read piece register themselves)
        from media import usage
        from newsroom import cachetags

        dependencies.declare()
        usage.register_finder(pictures.picture_uses)
        usage.register_upload_check("story", pictures.story_upload_refusal)
        cachetags.on_retire(rendering.forget)
        cachetags.on_retire(chrome.forget)
        cachetags.on_schedule(chrome.next_change, dependencies.changed_between)
