from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from newsletters import subscriptions
from newsletters.models import Subscriber


class Command(BaseCommand):
    help = "Never write to these addresses again (a bounce, a complaint, or the reader's request)."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+")
        parser.add_argument("--because", choices=Subscriber.Suppression.values, default=Subscriber.Suppression.BOUNCE)

    def handle(self, *args, addresses, because, **options):
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                raise CommandError(f"Not an e-mail address: {address}") from None
        for address in addresses:
            subscriptions.suppress(email=address, because=because)
        self.stdout.write(self.style.SUCCESS(f"Suppressed {len(addresses)} address(es)."))
