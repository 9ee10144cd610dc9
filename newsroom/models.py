"""What the project-wide machinery keeps in the database."""

from django.db import models


class UndeliveredRetirement(models.Model):
    """Cache tags a committed change retired while the shared cache could not be reached.

    Kept so the retirement survives the process that made it: any app server delivers it once the
    cache answers again (``newsroom.cachetags.deliver_undelivered``), and then the row goes.
    """

    tags = models.TextField(help_text="The tags, separated by spaces.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.tags
