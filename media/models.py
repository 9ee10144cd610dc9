"""The media library: photos uploaded once and used in any number of stories."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager


def image_upload_to(instance: "Image", filename: str) -> str:
    """A generated name: the uploaded name is kept only as display text."""
    suffix = PurePath(filename).suffix.lower() or ".jpg"
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Image(models.Model):
    file = models.ImageField(upload_to=image_upload_to, width_field="width", height_field="height")
    title = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(
        max_length=300, help_text="Describes the picture for readers who cannot see it. Required."
    )
    credit = models.CharField(max_length=200, help_text="Photographer or agency. Required.")
    caption = models.CharField(max_length=300, blank=True)
    source_notes = models.TextField("source and licence notes", blank=True)
    original_filename = models.CharField(max_length=255, blank=True, editable=False)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the left edge, 1 the right.",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0 is the top edge, 1 the bottom.",
    )
    tags = TaggableManager(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(focal_x__gte=0, focal_x__lte=1), name="image_focal_x_in_range"),
            models.CheckConstraint(condition=Q(focal_y__gte=0, focal_y__lte=1), name="image_focal_y_in_range"),
        ]

    def __str__(self):
        return self.title or self.original_filename or f"Image {self.pk}"

    @property
    def is_complete(self) -> bool:
        """Whether the editorial data a published story needs is present."""
        return bool(self.alt_text.strip() and self.credit.strip())
