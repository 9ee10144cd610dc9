from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The site-wide audit log (see ``audit.record``)."""

    name = "audit"
    verbose_name = "Audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from audit import signals
        from audit.models import AuditEntry
        from newsroom import cachetags

        # Readers never see the log: recording an entry must retire no cached page.
        cachetags.private(AuditEntry)
        signals.connect()
