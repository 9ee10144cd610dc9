"""Write all content to a portable archive (zip of JSON and media files)."""

from django.core.management.base import BaseCommand

from interchange.archive import export_archive


class Command(BaseCommand):
    help = "Export stories (with revisions), people, quotes, sections, sources, tags and images to a zip archive."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write the archive, e.g. newsroom-2025-01-31.zip")
        parser.add_argument("--no-media", action="store_true", help="Leave the image files out (metadata only).")

    def handle(self, *args, path, no_media=False, **options):
        summary = export_archive(path, include_media=not no_media)
        rows = sum(summary.counts.values())
        self.stdout.write(f"Wrote {path}: {rows} rows, {summary.users} users, {summary.media_files} media files.")
