"""Load a portable archive made by export_content into an empty installation."""

from django.core.management.base import BaseCommand, CommandError

from interchange.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = "Load an archive from export_content into this (empty) installation, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            summary = import_archive(path)
        except (ArchiveError, OSError) as exc:
            raise CommandError(f"{path} was not loaded: {exc}") from exc
        rows = sum(summary.counts.values())
        self.stdout.write(
            f"Loaded {path}: {rows} rows, {summary.users} new users (passwords must be reset), "
            f"{summary.media_files} media files."
        )
