"""A reader's side of newsletters: subscribing with double opt-in, confirming, leaving a list, and the
address's data on request. Each is a plain function run in a transaction, used by views, admin and commands.
"""

import json
from datetime import datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from newsletters import mail
from newsletters.models import Delivery, NewsletterList, Subscriber, Subscription

# An address is sent at most one confirmation message in this long, however often it is entered.
CONFIRMATION_PAUSE = timedelta(minutes=10)


@transaction.atomic
def subscribe(*, email: str, lists: list[NewsletterList], now: datetime | None = None) -> bool:
    """Record the wish and send one confirmation message; True when a message went.

    Nothing else is ever sent to an address before it confirms. An address already confirmed on every
    chosen list, one suppressed after a bounce or complaint, or one sent a confirmation moments ago
    gets nothing; the reader is told the same in every case, so the form reveals no one's subscriptions.
    """
    now = now or timezone.now()
    subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email.strip().lower())
    for newsletter in lists:
        Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    pending = list(
        NewsletterList.objects.filter(subscriptions__subscriber=subscriber, subscriptions__confirmed_at__isnull=True)
    )
    recently = subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < CONFIRMATION_PAUSE
    if not pending or subscriber.suppressed_at or recently:
        return False
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])
    mail.confirmation(email=subscriber.email, subscriber_id=subscriber.pk, lists=pending).send()
    return True


@transaction.atomic
def confirm(*, subscriber_id: int, list_ids: list[int], now: datetime | None = None) -> list[NewsletterList]:
    """Confirm the subscriptions a confirmation link names; the lists now confirmed (empty if none were)."""
    subscriptions = Subscription.objects.filter(subscriber_id=subscriber_id, newsletter_id__in=list_ids)
    subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=now or timezone.now())
    return list(NewsletterList.objects.filter(pk__in=subscriptions.values("newsletter_id")))


@transaction.atomic
def unsubscribe(*, subscriber_id: int, list_id: int) -> bool:
    """End one subscription (its row goes); False when there was none. Nothing else about the reader changes."""
    deleted, _ = Subscription.objects.filter(subscriber_id=subscriber_id, newsletter_id=list_id).delete()
    return bool(deleted)


@transaction.atomic
def suppress(*, email: str, because: str, now: datetime | None = None) -> Subscriber:
    """Never write to this address again (a bounce, a spam complaint, or the reader's request).

    The address is kept, marked, so a later sign-up from it sends nothing; its subscriptions end.
    """
    subscriber, _ = Subscriber.objects.get_or_create(email=email.strip().lower())
    if subscriber.suppressed_at is None:
        subscriber.suppressed_at = now or timezone.now()
        subscriber.suppressed_because = because
        subscriber.save(update_fields=["suppressed_at", "suppressed_because"])
    subscriber.subscriptions.all().delete()
    return subscriber


def export(subscriber: Subscriber) -> dict:
    """Everything kept about one address, as a reader asking for their data receives it."""
    return {
        "email": subscriber.email,
        "created_at": subscriber.created_at,
        "confirmation_sent_at": subscriber.confirmation_sent_at,
        "suppressed_at": subscriber.suppressed_at,
        "suppressed_because": subscriber.suppressed_because,
        "subscriptions": [
            {"list": row.newsletter.name, "created_at": row.created_at, "confirmed_at": row.confirmed_at}
            for row in subscriber.subscriptions.select_related("newsletter").order_by("pk")
        ],
        "issues_sent": [
            {"issue": delivery.issue.subject, "sent_at": delivery.sent_at, "opened_at": delivery.opened_at}
            for delivery in subscriber.deliveries.select_related("issue").order_by("pk")
        ],
    }


def export_json(subscribers) -> str:
    return json.dumps([export(subscriber) for subscriber in subscribers], cls=DjangoJSONEncoder, indent=2)


@transaction.atomic
def erase(subscriber: Subscriber) -> None:
    """Delete the address and everything kept with it: subscriptions and the record of issues sent."""
    subscriber.delete()


def prune_deliveries(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Forget which readers were sent issues that finished sending longer ago than ``older_than``; the count.

    The rows exist so that an issue being sent reaches nobody twice; once it is long sent they only
    describe readers.
    """
    cutoff = (now or timezone.now()) - older_than
    old, deleted = Delivery.objects.filter(issue__sent_at__lt=cutoff), 0
    while chunk := list(old.values_list("pk", flat=True)[:5000]):
        deleted += Delivery.objects.filter(pk__in=chunk).delete()[0]
    return deleted


def prune_unconfirmed(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete subscriptions never confirmed, and addresses left with nothing kept for a reason; the count."""
    cutoff = (now or timezone.now()) - older_than
    with transaction.atomic():
        deleted, _ = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
        Subscriber.objects.filter(
            suppressed_at__isnull=True, created_at__lt=cutoff, subscriptions__isnull=True, deliveries__isnull=True
        ).delete()
    return deleted
