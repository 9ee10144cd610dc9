"""Write all content to a portable archive (zip of JSON and media files), here or by the worker."""

from django.core.management.base import BaseCommand, CommandError

from interchange.archive import export_archive
from interchange.exports import request_export


class Command(BaseCommand):
    help = "Export stories (with revisions), people, quotes, sections, sources, tags and images to a zip archive."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the archive, e.g. newsroom-2025-01-31.zip")
        parser.add_argument("--no-media", action="store_true", help="Leave the image files out (metadata only).")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Have the worker write it to NEWSROOM_EXPORT_DIR, to download from the admin (no path then).",
        )

    def handle(self, *args, path=None, no_media=False, queue=False, **options):
        if queue == bool(path):
            raise CommandError("Give a path to write the archive to, or --queue to have the worker write it.")
        if queue:
            export = request_export(include_media=not no_media)
            status = export.get_status_display().lower()
            self.stdout.write(f"Export {export.pk}: {status}. See Archive exports in the admin.")
            return
        summary = export_archive(path, include_media=not no_media)
        rows = sum(summary.counts.values())
        self.stdout.write(f"Wrote {path}: {rows} rows, {summary.users} users, {summary.media_files} media files.")
