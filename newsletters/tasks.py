"""The newsletters app's jobs: sending an issue in batches, browser alerts, the schedule and the clean-up."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from newsletters import push, sending, subscriptions
from newsletters.models import Issue
from newsroom.celery import RETRYING, enqueue


@shared_task(**RETRYING)
def send_issue(issue_id: int) -> int:
    """Cut a sending issue's recipients into batches and queue one job per batch; the number of batches."""
    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING).first()
    if issue is None:
        return 0
    bounds = sending.batch_bounds(issue, settings.NEWSROOM_NEWSLETTER_BATCH)
    for first, last in bounds:
        enqueue(send_batch, issue_id, first, last)
    return len(bounds)


@shared_task(**RETRYING)
def send_batch(issue_id: int, first: int, last: int | None) -> int:
    """One batch of an issue (newsletters.sending.send_batch): safe to run twice."""
    return sending.send_batch(issue_id, first, last)


@shared_task(**RETRYING)
def push_alert(alert_id: int) -> int:
    """A breaking-news alert to every browser that asked for them, each at most once."""
    return push.push_alert(alert_id)


@shared_task(**RETRYING)
def send_due_issues() -> list[int]:
    """Every minute: scheduled issues whose time came start sending (automatic lists' issues are made)."""
    return sending.start_due()


@shared_task(**RETRYING)
def prune_unconfirmed() -> int:
    """Daily: subscriptions never confirmed within NEWSROOM_NEWSLETTER_UNCONFIRMED_DAYS are deleted, and the
    record of who was sent an issue once the issue is NEWSROOM_NEWSLETTER_DELIVERY_DAYS old."""
    subscriptions.prune_deliveries(older_than=timedelta(days=settings.NEWSROOM_NEWSLETTER_DELIVERY_DAYS))
    return subscriptions.prune_unconfirmed(older_than=sending.unconfirmed_retention())
