"""Load the invented demo publication into a database that has no stories yet."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.demo_content import load_demo_content


class Command(BaseCommand):
    help = "Load demo sections, authors, pictures and stories when the database has no stories; else do nothing."

    def handle(self, *args, **options):
        created = load_demo_content(now=timezone.now())
        if not created:
            self.stdout.write("The database already has stories; the demo content was not loaded.")
            return
        summary = ", ".join(f"{count} {what}" for what, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo content: {summary}."))
