"""The media library: photos uploaded once and used in any number of stories."""

import re
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager

from media.processing import ProcessedImage, process_upload
from media.renditions import refresh_renditions, rendition_files, renditions_outdated
from newsroom.celery import enqueue, runs_eagerly

# File names that every storage writes into an address unchanged (renditions are named like "teaser-50-50-w320.webp").
_PLAIN_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def image_upload_to(instance: "Image", filename: str) -> str:
    """A generated name: the uploaded name is kept only as display text."""
    suffix = PurePath(filename).suffix.lower() or ".jpg"
    return f"images/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


@dataclass(frozen=True)
class Crop:
    """A crop's renditions as a page writes them: a srcset per format, a fallback and the crop's size."""

    srcset_webp: str
    srcset_jpeg: str
    fallback_url: str
    width: int
    height: int


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
    # Set with the file, so feeds can state the file's length without asking the storage (slow on S3).
    file_size = models.PositiveBigIntegerField("file size in bytes", default=0, editable=False)
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
    # The one record of the picture's renditions (media.renditions): a page writes srcset with no query or storage call.
    rendition_index = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(focal_x__gte=0, focal_x__lte=1), name="image_focal_x_in_range"),
            models.CheckConstraint(condition=Q(focal_y__gte=0, focal_y__lte=1), name="image_focal_y_in_range"),
        ]

    def __str__(self):
        return self.title or self.original_filename or f"Image {self.pk}"

    def save(self, *args, **kwargs):
        """Store the cleaned upload; its renditions are a job for the worker once the row is committed.

        Pages show the original file until the renditions exist. When jobs run eagerly (no broker) they
        are made here, from the picture just decoded, and a failure leaves no row behind.
        """
        from media import tasks

        pending = self._process_pending_upload()  # decoding and re-encoding need no transaction
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Every field but the rendition index, which the worker may have written since this copy was read.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "rendition_index"
            ]
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
                if not pending and renditions_outdated(self):  # this copy's index may predate the worker's
                    self.rendition_index = Image.objects.filter(pk=self.pk).values_list("rendition_index", flat=True)[0]
                if renditions_outdated(self):
                    if runs_eagerly():  # made now, from the picture decoded above rather than read back
                        refresh_renditions(self, picture=pending.picture if pending else None)
                    else:
                        enqueue(tasks.render_renditions, self.pk)
        finally:
            if pending:
                pending.picture.close()

    def clean(self):
        errors = {
            field: "This field cannot be blank." for field in ("alt_text", "credit") if not getattr(self, field).strip()
        }
        if errors:
            raise ValidationError(errors)
        try:
            self._process_pending_upload()
        except ValidationError as error:
            raise ValidationError({"file": error}) from None

    def _process_pending_upload(self) -> ProcessedImage | None:
        """A newly assigned file always goes through the upload pipeline, whichever way it arrived."""
        if not self.file or self.file._committed:
            return None
        pending = self.file.file
        if not isinstance(pending, ProcessedImage):
            pending = process_upload(pending)
            self.file = pending
        self.file_size = pending.size
        if pending.original_name:
            self.original_filename = pending.original_name
        return pending

    @property
    def srcset_webp(self) -> str:
        return self._srcset(self._sources("webp"))

    @property
    def srcset_jpeg(self) -> str:
        return self._srcset(self._sources("jpeg"))

    @property
    def fallback_url(self) -> str:
        """The JPEG for browsers that ignore srcset: the rendition nearest 960 pixels wide."""
        sources = self._sources("jpeg")
        if not sources:
            return self.file.url if self.file else ""
        width, _height, name = min(sources, key=lambda source: abs(source[0] - 960))
        return self._url(name)

    @property
    def thumbnail_url(self) -> str:
        """The smallest JPEG rendition, for lists and choosers."""
        sources = self._sources("jpeg")
        return self._url(sources[0][2]) if sources else (self.file.url if self.file else "")

    @property
    def open_graph(self) -> dict | None:
        """The 1200x630 sharing crop (smaller for small pictures): url, width and height."""
        og = (self.rendition_index or {}).get("og")
        if not og:
            return None
        return {"url": self._url(og["name"]), "width": og["width"], "height": og["height"]}

    @property
    def teaser(self) -> Crop | None:
        """The 3:2 crop around the focal point that story teasers show; None for a picture without one yet."""
        return self._crop("teaser")

    @property
    def lead(self) -> Crop | None:
        """The 16:9 crop the home page's lead story shows, or the 3:2 teaser crop for a picture without one yet."""
        return self._crop("lead", fallback_width=960) or self.teaser

    def _crop(self, name: str, fallback_width: int = 640) -> Crop | None:
        crop = (self.rendition_index or {}).get(name) or {}
        jpeg, webp = crop.get("jpeg"), crop.get("webp")
        if not (jpeg and webp):
            return None
        width, height, _name = jpeg[-1]
        _width, _height, fallback = min(jpeg, key=lambda source: abs(source[0] - fallback_width))
        return Crop(
            srcset_webp=self._srcset(webp),
            srcset_jpeg=self._srcset(jpeg),
            fallback_url=self._url(fallback),
            width=width,
            height=height,
        )

    def stored_names(self) -> list[str]:
        """Every file this picture has in storage: the original and its renditions."""
        names = [self.file.name, *(found.name for found in rendition_files(self.rendition_index or {}))]
        return [name for name in names if name]

    def _sources(self, key: str) -> list:
        return (self.rendition_index or {}).get(key) or []

    def _srcset(self, sources: list) -> str:
        return ", ".join(f"{self._url(name)} {width}w" for width, _height, name in sources)

    def _url(self, name: str) -> str:
        """The address of a rendition. The storage is asked once per folder: the files beside it are
        addressed from its answer (a page writes up to 20 addresses per picture, and asking costs a URL
        parse each time, more on S3). A name the storage would have to escape is always asked for."""
        folder, _slash, file_name = name.rpartition("/")
        folders = self.__dict__.setdefault("_folder_urls", {})
        if folder in folders and _PLAIN_FILE_NAME.match(file_name):
            return folders[folder] + file_name
        url = self.file.storage.url(name)
        if _PLAIN_FILE_NAME.match(file_name) and url.endswith("/" + file_name):
            folders[folder] = url.removesuffix(file_name)
        return url
