from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from newsletters import sending
from newsletters.models import Issue, NewsletterList

DEFAULT_LIST = "daily-briefing"


class Command(BaseCommand):
    help = "Send a list's current issue (the newest one) to one address, as the admin's test send does."

    def add_arguments(self, parser):
        parser.add_argument("address")
        parser.add_argument("--list", default=DEFAULT_LIST, help=f"The list's slug (default: {DEFAULT_LIST}).")

    def handle(self, *args, address, **options):
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f"Not an e-mail address: {address}") from None
        newsletter = NewsletterList.objects.filter(slug=options["list"]).first()
        if newsletter is None:
            slugs = ", ".join(NewsletterList.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f'No list "{options["list"]}" (lists: {slugs}).')
        issue = Issue.objects.filter(newsletter=newsletter).order_by("-created_at", "-pk").first()
        with transaction.atomic():
            made = issue is None
            if made:
                # No issue yet: one of the day's top stories, made for the test and not kept.
                issue = Issue.objects.create(newsletter=newsletter, subject=newsletter.name)
                sending.fill_with_top_stories(issue)
            sending.send_test(issue, address=address)
            transaction.set_rollback(made)
        self.stdout.write(self.style.SUCCESS(f"Sent “{issue.subject}” to {address}."))
