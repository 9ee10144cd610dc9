"""Make the renditions pictures lack, such as teaser or lead crops for pictures uploaded before they existed."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from media.models import Image
from media.renditions import refresh_renditions
from newsroom import cachetags


class Command(BaseCommand):
    help = (
        "Make every picture's missing or out-of-date renditions (sizes, sharing, teaser and lead crops); "
        "pictures that are up to date are left alone, so the command can be run again at any time."
    )

    def handle(self, *args, **options):
        made, failed = 0, []
        pks = list(Image.objects.order_by("pk").values_list("pk", flat=True))
        for pk in pks:
            try:
                with transaction.atomic():
                    # Locked and read afresh: an editor's save in the meantime is neither lost nor redone.
                    image = Image.objects.select_for_update().filter(pk=pk).first()
                    made += bool(image and refresh_renditions(image))
            except Exception as error:  # a missing or unreadable file must not stop the rest of the library
                failed.append(pk)
                self.stderr.write(f"Picture {pk}: {error!r}")
        if made:
            cachetags.retire(cachetags.SITE)  # pages cached with the old markup are rendered again
        self.stdout.write(f"Made renditions for {made} of {len(pks)} picture(s); the rest were up to date.")
        if failed:
            raise CommandError(f"{len(failed)} picture(s) could not be read: {', '.join(map(str, failed))}.")
