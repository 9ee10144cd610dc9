from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_migrate

        from articles import checks, chrome, dependencies, pictures, readership, releases, rendering  # noqa: F401  (checks and the most-read piece register themselves)
        from media import usage
        from newsroom import cachetags

        dependencies.declare()
        usage.register_finder(pictures.picture_uses)
        usage.register_upload_check("story", pictures.story_upload_refusal)
        cachetags.on_retire(rendering.forget)
        cachetags.on_retire(chrome.forget)
        cachetags.on_schedule(chrome.next_change, dependencies.changed_between)
        # A release's migrations end with a look at its templates: kept markup from others is forgotten.
        post_migrate.connect(releases.forget_markup_of_other_templates, sender=self, dispatch_uid="articles-releases")
