from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Copy in and out of Newsroom: wire imports, the ninjs read API, archives."""

    name = "interchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from interchange.models import ImportedItem, SuggestedQuote
        from newsroom import cachetags

        # Import records and suggested quotes are for staff; a confirmed quote is an articles.Quote.
        cachetags.private(ImportedItem, SuggestedQuote)
