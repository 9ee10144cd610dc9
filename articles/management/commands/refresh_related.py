"""Choose again the related stories of every published story (after an upgrade, or to take in newer stories)."""

from django.core.management.base import BaseCommand

from articles import publishing
from newsroom.wording import counted


class Command(BaseCommand):
    help = (
        "Choose again the related stories every live or scheduled story offers, as publishing does; stories "
        "published before related stories were kept get theirs, the rest take in stories published since."
    )

    def handle(self, *args, **options):
        changed = publishing.choose_all_related()
        stories = counted(changed, "story now offers", "stories now offer")
        self.stdout.write(f"Chose related stories again: {stories} different ones.")
