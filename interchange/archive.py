"""Portable archives of all content: a zip of JSON (Django's serialization) plus the media files.

An archive moves a newsroom's content to another Newsroom installation: stories with their
revisions, bylines, quotes, corrections and tags, people, authors, sections, sources, images with
their files, the publication's settings and the import records. Rows keep their ids; references
to users, content types and groups travel by natural key (username, model name, group name).
Staff accounts travel without passwords: they are restored unusable, to be reset on arrival.
"""

import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

import audit
from articles.models import Publication, Story
from articles.models.stories import RENDERING_FIELDS
from audit.models import Action
from media.models import Image
from newsroom import cachetags

FORMAT, VERSION = "newsroom-archive", 1
CONTENT_APPS = ("articles", "media", "taggit", "interchange")
# Tables that must be empty before an archive is loaded: loading on top of content would mix two sites.
MUST_BE_EMPTY = ("articles.Story", "articles.Section", "articles.Person", "articles.Author", "media.Image")
# Preview links carry secret tokens for one site's drafts, and exports and import batches name this site's
# own files: they are not content and stay behind.
LEFT_BEHIND = {"articles.PreviewLink", "interchange.ArchiveExport", "interchange.ImportBatch"}
# Members this small are never counted as a zip bomb, however well they pack (a page of blank JSON does).
RATIO_EXEMPT_BYTES = 1024 * 1024
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_staff", "is_active")


class ArchiveJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds: an archive loses nothing."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class ArchiveError(Exception):
    """An archive that cannot be written or loaded; the message says why."""


@dataclass
class ArchiveSummary:
    counts: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    users: int = 0


def content_models() -> list[type[models.Model]]:
    """Every concrete model of the content apps, revisions included, referenced models first."""
    return _load_order(
        [
            model
            for label in CONTENT_APPS
            for model in apps.get_app_config(label).get_models()
            if not model._meta.proxy and model._meta.managed and model._meta.label not in LEFT_BEHIND
        ]
    )


def _load_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models referenced by natural key (tags, say) before the models that refer to them."""
    by_app: dict = {}
    for model in chosen:
        by_app.setdefault(model._meta.app_config, []).append(model)
    return serializers.sort_dependencies(list(by_app.items()), allow_cycles=True)


# What the site works out again after a change (a story's markup, the publication's chrome): never archived.
_WORKED_OUT = {Story: RENDERING_FIELDS, Publication: Publication.KEPT_FIELDS}


def exported_fields(model) -> list[str] | None:
    """The fields of ``model`` an archive holds (None: all); what is kept worked out on a row is left out."""
    if model not in _WORKED_OUT:
        return None
    fields = [*model._meta.local_fields, *model._meta.local_many_to_many]
    return [field.name for field in fields if not field.primary_key and field.name not in _WORKED_OUT[model]]


def _file_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def export_archive(destination, *, include_media: bool = True, now: datetime | None = None) -> ArchiveSummary:
    """Write every content row (and, unless told not to, every file they point at) to a zip archive."""
    summary = ArchiveSummary()
    media: set[str] = set()
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for model in content_models():
            label = model._meta.label
            queryset = model._default_manager.order_by("pk")
            data = serializers.serialize(
                "json",
                queryset.iterator(),
                fields=exported_fields(model),
                use_natural_foreign_keys=True,
                indent=1,
                cls=ArchiveJSONEncoder,
            )
            archive.writestr(f"data/{label}.json", data)
            summary.counts[label] = queryset.count()
            for name in _file_fields(model):
                media.update(v for v in queryset.values_list(name, flat=True) if v)
            if model is Image:  # a picture's renditions are named in its index, not in a file field
                pictures = queryset.only("file", "rendition_index")
                media.update(name for image in pictures for name in image.stored_names())
        users = list(get_user_model()._default_manager.order_by("pk").prefetch_related("groups"))
        archive.writestr("users.json", json.dumps([_user_record(u) for u in users], indent=1))
        summary.users = len(users)
        if include_media:
            for name in sorted(media):
                if default_storage.exists(name):
                    with default_storage.open(name, "rb") as file:
                        archive.writestr(f"media/{name}", file.read())
                    summary.media_files += 1
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": (now or timezone.now()).isoformat(),
            "models": [model._meta.label for model in content_models()],
            "counts": summary.counts,
            "media": include_media,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    audit.record(action=Action.EXPORTED, details=_audit_details(summary))
    return summary


def _audit_details(summary: ArchiveSummary) -> dict:
    return {"rows": sum(summary.counts.values()), "users": summary.users, "media_files": summary.media_files}


def _user_record(user) -> dict:
    return {name: getattr(user, name) for name in USER_FIELDS} | {"groups": [g.name for g in user.groups.all()]}


def check_limits(archive: zipfile.ZipFile) -> None:
    """Refuse an archive that would unpack to too many files or bytes, before anything is unpacked.

    The sizes come from the zip's directory; a member that claims less than it holds is cut off there
    by ``zipfile`` and then fails its checksum, so a lie cannot unpack more than the limits allow.
    """
    members = archive.infolist()
    if len(members) > settings.NEWSROOM_ARCHIVE_MAX_MEMBERS:
        raise ArchiveError(
            f"The archive holds {len(members)} files; at most {settings.NEWSROOM_ARCHIVE_MAX_MEMBERS} are loaded."
        )
    total = sum(member.file_size for member in members)
    if total > settings.NEWSROOM_ARCHIVE_MAX_BYTES:
        limit = settings.NEWSROOM_ARCHIVE_MAX_BYTES // (1024 * 1024)
        raise ArchiveError(f"The archive unpacks to {total // (1024 * 1024)} MB; at most {limit} MB are loaded.")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_EXEMPT_BYTES and ratio > settings.NEWSROOM_ARCHIVE_MAX_RATIO:
            raise ArchiveError(
                f"{member.filename} unpacks to {ratio:.0f} times its packed size, which no content does: "
                "the archive was refused as a zip bomb."
            )


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise ArchiveError("This is not a Newsroom archive: it has no manifest.json.") from exc
    except ValueError as exc:
        raise ArchiveError(f"manifest.json is not valid JSON: {exc}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("This is not a Newsroom archive: manifest.json names another format.")
    if manifest.get("version") != VERSION:
        raise ArchiveError(f"Archive version {manifest.get('version')} is not supported (this site reads {VERSION}).")
    unknown = [label for label in manifest.get("models", []) if not _model_or_none(label)]
    if unknown:
        raise ArchiveError(f"The archive holds content this installation has no place for: {', '.join(unknown)}.")
    return manifest


def _model_or_none(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _check_empty() -> None:
    present = [label for label in MUST_BE_EMPTY if apps.get_model(label)._default_manager.exists()]
    if present:
        raise ArchiveError(
            f"This installation already has content ({', '.join(present)}): load archives into an empty one."
        )


def _restore_users(archive: zipfile.ZipFile) -> int:
    User, created = get_user_model(), 0
    try:
        records = json.loads(archive.read("users.json")) if "users.json" in archive.namelist() else []
    except ValueError as exc:
        raise ArchiveError(f"users.json is not valid JSON: {exc}.") from exc
    groups = {g.name: g for g in Group.objects.all()}
    for record in records:
        if User._default_manager.filter(username=record["username"]).exists():
            continue
        user = User(**{name: record.get(name) for name in USER_FIELDS if name in record})
        user.set_unusable_password()
        user.save()
        user.groups.set([groups[name] for name in record.get("groups", []) if name in groups])
        created += 1
    return created


def _load_rows(archive: zipfile.ZipFile, labels: list[str], summary: ArchiveSummary) -> list[type[models.Model]]:
    loaded = []
    for label in labels:
        name = f"data/{label}.json"
        try:
            objects = list(serializers.deserialize("json", archive.read(name)))
        except KeyError as exc:
            raise ArchiveError(f"The archive lists {label} but has no {name}.") from exc
        except DeserializationError as exc:
            raise ArchiveError(f"{name} cannot be read: {exc}") from exc
        for obj in objects:
            obj.save()
        summary.counts[label] = len(objects)
        loaded.append(apps.get_model(label))
    return loaded


def _restore_media(archive: zipfile.ZipFile, written: list[str]) -> None:
    for member in archive.namelist():
        if not member.startswith("media/") or member.endswith("/"):
            continue
        name = member.removeprefix("media/")
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise ArchiveError(f"The archive holds a file with an unsafe name: {member}.")
        data = archive.read(member)
        try:
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as existing:
                    if existing.read() == data:
                        continue  # the same file is already in place
                raise ArchiveError(f"{name} already exists in the media storage: load archives into an empty one.")
            saved = default_storage.save(name, ContentFile(data))
        except SuspiciousFileOperation as exc:
            raise ArchiveError(f"The archive holds a file with an unsafe name: {member}.") from exc
        written.append(saved)


def import_archive(source, *, now: datetime | None = None) -> ArchiveSummary:
    """Load an archive into an empty installation in one transaction: all of it, or on any problem nothing."""
    summary, written = ArchiveSummary(), []
    try:
        with zipfile.ZipFile(source) as archive, transaction.atomic():
            check_limits(archive)
            manifest = _read_manifest(archive)
            _check_empty()
            summary.users = _restore_users(archive)
            order = _load_order([apps.get_model(label) for label in manifest["models"]])
            loaded = _load_rows(archive, [m._meta.label for m in order], summary)
            connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
            _restore_media(archive, written)
            summary.media_files = len(written)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), loaded):
                    cursor.execute(sql)
            audit.record(action=Action.ARCHIVE_LOADED, details=_audit_details(summary))
            cachetags.retire(cachetags.SITE)  # rows loaded as they are send no signals: every page may show them
    except zipfile.BadZipFile as exc:
        _remove(written)
        raise ArchiveError(f"The file is not a readable zip archive: {exc}.") from exc
    except (IntegrityError, DatabaseError) as exc:
        _remove(written)
        raise ArchiveError(f"The archive's content does not fit together: {exc}") from exc
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError, NotImplementedError) as exc:
        # Rows or records of the wrong shape, text no database can hold, nesting no archive has (a
        # RecursionError), members encrypted (RuntimeError) or packed in a way zipfile cannot unpack.
        _remove(written)
        raise ArchiveError(f"The archive's content cannot be read: {type(exc).__name__}: {exc}") from exc
    except ArchiveError:
        _remove(written)
        raise
    return summary


def _remove(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
