from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    """Copy in and out of Newsroom: wire imports, the ninjs read API, archives."""

    name = "interchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from interchange.models import ArchiveExport, ImportBatch, ImportedItem, SuggestedQuote
        from newsroom import cachetags

        # Import records and batches, suggested quotes and exports are for staff; a confirmed quote is a Quote.
        cachetags.private(ImportedItem, SuggestedQuote, ArchiveExport, ImportBatch)
