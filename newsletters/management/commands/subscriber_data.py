from django.core.management.base import BaseCommand, CommandError

from newsletters import subscriptions
from newsletters.models import Subscriber


class Command(BaseCommand):
    help = "A reader's data on request: print everything kept about an address (export), or delete it all."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "delete"])
        parser.add_argument("address")

    def handle(self, *args, action, address, **options):
        subscriber = Subscriber.objects.filter(email=address.strip().lower()).first()
        if subscriber is None:
            raise CommandError(f"Nothing is kept about {address}.")
        if action == "export":
            self.stdout.write(subscriptions.export_json([subscriber]))
            return
        subscriptions.erase(subscriber)
        self.stdout.write(self.style.SUCCESS(f"Deleted {address} with its subscriptions and the issues sent to it."))
