from django.core.management.base import BaseCommand

from newsletters.demo_content import load_demo_lists


class Command(BaseCommand):
    help = "Create the demo newsletters (daily briefing, breaking news, one per section) when there are none."

    def handle(self, *args, **options):
        created = load_demo_lists()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {created} newsletters."))
        else:
            self.stdout.write("Newsletters exist already; none were created.")
