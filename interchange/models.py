"""Records of imported copy: where each imported story came from, and the quotes found in it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.models import Quote
from newsroom.constraints import NotEmpty


class ImportFormat(models.TextChoices):
    TEXT = "text", "Plain text or Markdown"
    NINJS = "ninjs", "IPTC ninjs (JSON)"
    NITF = "nitf", "NITF (XML)"


class ImportedItem(models.Model):
    """The origin of an imported story or picture; its identifier makes a re-import update the same one."""

    story = models.OneToOneField(
        "articles.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="imported_item"
    )
    image = models.OneToOneField(
        "media.Image", null=True, blank=True, on_delete=models.CASCADE, related_name="imported_item"
    )
    format = models.CharField(max_length=10, choices=ImportFormat.choices)
    identifier = models.CharField(
        max_length=500, blank=True, help_text="The item's own uri or guid, as the sender gave it."
    )
    filename = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifier"], condition=~Q(identifier=""), name="importeditem_identifier_unique"
            ),
            models.CheckConstraint(
                condition=Q(story__isnull=False, image__isnull=True) | Q(story__isnull=True, image__isnull=False),
                name="importeditem_story_or_picture",
            ),
        ]

    def __str__(self):
        return f"{self.get_format_display()}: {self.identifier or self.filename or self.story_id or self.image_id}"


class SuggestedQuoteQuerySet(models.QuerySet):
    def pending(self) -> "SuggestedQuoteQuerySet":
        """Suggestions no editor has confirmed or dismissed yet."""
        return self.filter(status=SuggestedQuote.Status.PENDING)


class SuggestedQuote(models.Model):
    """Quoted speech found in imported copy; it becomes a ``Quote`` only when an editor confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="suggested_quotes")
    name = models.CharField("speaker as written", max_length=120)
    speaker = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Which speaker of the story: one speaker's statements share it."
    )
    person = models.ForeignKey(
        "articles.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person this is; left empty, confirming creates a new person with the name above.",
    )
    maybe_person = models.ForeignKey(
        "articles.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name="maybe the same as",
        help_text="Someone on file with the same first name only: the same person only if an editor says so.",
    )
    introduction = models.CharField("role or description as written", max_length=200, blank=True)
    text = models.TextField("what they said")
    kind = models.CharField(max_length=10, choices=Quote.Kind.choices, default=Quote.Kind.DIRECT)
    paragraph = models.PositiveSmallIntegerField(null=True, blank=True, editable=False, help_text="Counted from 1.")
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    quote = models.OneToOneField(
        "articles.Quote", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SuggestedQuoteQuerySet.as_manager()

    class Meta:
        ordering = ["story", "position", "pk"]
        constraints = [
            NotEmpty(field="text", name="suggestedquote_text_not_empty"),
            NotEmpty(field="name", name="suggestedquote_name_not_empty"),
        ]

    def __str__(self):
        return f"{self.name}: {self.text[:60]}"


class ArchiveExport(models.Model):
    """A content archive asked for in the admin or by ``export_content --queue``, written by the worker.

    The file holds every draft and staff names and addresses: it is kept in NEWSROOM_EXPORT_DIR, never
    with the public media, and handed out only through the admin (``interchange.exports``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Failed"

    requested_at = models.DateTimeField("asked for", default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    include_media = models.BooleanField("with picture files", default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField("size in bytes", default=0)
    rows = models.PositiveIntegerField(default=0)
    media_files = models.PositiveIntegerField("picture files", default=0)
    finished_at = models.DateTimeField("written", null=True, blank=True)
    error = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        default_permissions = ("add", "view", "delete")

    def __str__(self):
        return f"Archive export {self.pk} ({self.get_status_display().lower()})"


class ImportBatch(models.Model):
    """Uploaded copy of more than NEWSROOM_IMPORT_QUEUE_FILES files, imported by the worker.

    The files wait in NEWSROOM_IMPORT_QUEUE_DIR (a private folder) until imported; then each file's
    outcome is kept here for the upload page to list, and the files are removed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField("uploaded", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    section = models.ForeignKey("articles.Section", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    folder = models.CharField(max_length=64, editable=False)
    names = models.JSONField("file names", default=list)
    results = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"Import of {len(self.names)} files ({self.get_status_display().lower()})"
