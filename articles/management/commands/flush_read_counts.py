"""Write the read counts of closed periods from the cache to the database (reads also do it by themselves)."""

from django.core.management.base import BaseCommand

from articles import readership


class Command(BaseCommand):
    help = "Write the most-read counts of closed periods from the cache to the database, and drop old counts."

    def handle(self, *args, **options):
        rows = readership.flush()
        self.stdout.write(f"Wrote read counts for {rows} story period(s).")
