"""Live coverage: the short, timestamped entries of a story running as a live blog."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles.richtext import sanitize_entry
from newsroom.constraints import NotEmpty


class LiveEntryQuerySet(models.QuerySet):
    def shown(self) -> "LiveEntryQuerySet":
        """Entries readers see (deleted ones never), the pinned one first, then newest first, with what each shows."""
        return (
            self.filter(deleted_at__isnull=True)
            .select_related("author", "picture", "person")
            .order_by("-pinned", "-posted_at", "-pk")
        )

    def public(self, now: datetime | None = None) -> "LiveEntryQuerySet":
        """Entries of published stories readers see (``LiveEntry.is_public`` is its row-level twin)."""
        from articles.models.stories import Story

        return self.shown().filter(story__in=Story.objects.published(now).values("pk"))

    def by_story(self, stories) -> dict[int, list["LiveEntry"]]:
        """The shown entries of those ``stories`` that are live blogs, by story id: one query, none if no
        story is live."""
        ids = [story.pk for story in stories if story.live]
        found: dict[int, list[LiveEntry]] = {pk: [] for pk in ids}
        for entry in self.shown().filter(story_id__in=ids) if ids else ():
            found[entry.story_id].append(entry)
        return found

    def newer_than(self, entry_id: int) -> "LiveEntryQuerySet":
        """Entries posted after the entry ``entry_id`` (ids grow with every entry), newest first."""
        return self.filter(pk__gt=entry_id).order_by("-posted_at", "-pk")


class LiveEntry(models.Model):
    """One post of a live blog: a few lines, maybe a picture or a quote, under its own byline and time.

    A correction rewrites the text and leaves a note with its time for readers; a deletion hides the
    entry from readers and keeps the row (and the audit log says who and when).
    """

    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="live_entries")
    posted_at = models.DateTimeField("time", default=timezone.now)
    body = models.TextField("text", help_text="A few lines. Bold, italic, links and lists are kept.")
    author = models.ForeignKey(
        "articles.Author", null=True, blank=True, on_delete=models.PROTECT, related_name="live_entries"
    )
    picture = models.ForeignKey("media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quote_text = models.TextField("quote", blank=True, help_text="Words someone said, shown as a quote.")
    person = models.ForeignKey(
        "articles.Person",
        verbose_name="who said it",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="live_entries",
    )
    pinned = models.BooleanField(default=False, help_text="Shown above the other entries; one per story.")
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    correction_note = models.CharField(max_length=300, blank=True, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        ordering = ["-pinned", "-posted_at", "-pk"]
        indexes = [models.Index(fields=["story", "-posted_at"], name="liveentry_story_posted")]
        constraints = [
            models.UniqueConstraint(
                fields=["story"],
                condition=Q(pinned=True),
                name="liveentry_one_pinned_per_story",
                violation_error_message="Another entry of this story is pinned; unpin it first.",
            ),
            NotEmpty(field="body", name="liveentry_body_not_empty"),
            models.CheckConstraint(
                condition=Q(pinned=False) | Q(deleted_at__isnull=True), name="liveentry_deleted_not_pinned"
            ),
            models.CheckConstraint(
                condition=Q(corrected_at__isnull=True, correction_note="")
                | (Q(corrected_at__isnull=False) & ~Q(correction_note="")),
                name="liveentry_correction_has_note_and_time",
            ),
        ]

    def __str__(self):
        return f"{self.story_id} at {self.posted_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.body = sanitize_entry(self.body)
        self.quote_text = self.quote_text.strip()
        super().save(*args, **kwargs)

    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_public(self, now: datetime | None = None) -> bool:
        """Readers see it: not deleted, on a published story (row twin of ``LiveEntryQuerySet.public``)."""
        return not self.is_deleted() and self.story.is_published(now)

    @property
    def anchor(self) -> str:
        """The entry's id on the page, for links to one entry."""
        return f"entry-{self.pk}"
