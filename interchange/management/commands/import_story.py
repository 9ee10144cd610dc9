"""Import wire or partner copy (plain text, Markdown, ninjs JSON, NITF XML) as draft stories."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from interchange.importing import find_section, import_files
from newsroom.wording import counted


class Command(BaseCommand):
    help = "Import each FILE as draft stories; a bad file is reported and imports nothing, the others go on."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--section", help="File stories whose copy names no section under this section.")
        parser.add_argument("--user", help="Username recorded as the importer and creator of new drafts.")

    def handle(self, *args, files, section=None, user=None, **options):
        default_section = None
        if section:
            default_section = find_section(section)
            if default_section is None:
                raise CommandError(f'Unknown section "{section}".')
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f'Unknown user "{user}".')
        contents = []
        for name in files:
            try:
                contents.append((name, Path(name).read_bytes()))
            except OSError as exc:
                contents.append((name, None))
                self.stderr.write(f"{name}: cannot be read ({exc.strerror}).")
        outcomes = import_files(
            files=[(n, c) for n, c in contents if c is not None], user=importer, section=default_section
        )
        for outcome in outcomes:
            if outcome.ok:
                for story in outcome.stories:
                    pending = counted(story.suggested_quotes.pending().count(), "suggested quote", "suggested quotes")
                    again = "updated " if story.pk in outcome.updated else ""
                    draft = f'{again}draft {story.pk} "{story.headline}"'
                    self.stdout.write(f"{outcome.name}: {draft} ({pending})")
                for note in outcome.notes:
                    self.stdout.write(f"{outcome.name}: {note}")
            else:
                self.stderr.write(f"{outcome.name}: {outcome.error}")
        failed = sum(not o.ok for o in outcomes) + sum(c is None for _, c in contents)
        if failed:
            raise CommandError(f"{failed} of {len(files)} files were not imported.")
