"""An editor's side of newsletters: composing, testing, scheduling and sending issues, and breaking alerts.

Sending is the worker's (``newsletters.tasks``): an issue is cut into batches of subscribers, and each
batch writes a ``Delivery`` row for every reader before the message to them goes, so a batch that runs
twice, or is retried after a failure, never sends anyone the same issue twice.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from articles import roles
from articles.models import Story
from newsletters import mail, subscriptions
from newsletters.models import BreakingAlert, Delivery, Issue, IssueStory, NewsletterList, Subscriber, Subscription
from newsroom.celery import enqueue

logger = logging.getLogger(__name__)

TOP_STORIES_PER_SECTION = 3
TOP_STORIES_WINDOW = timedelta(hours=24)


def top_stories(newsletter: NewsletterList, *, now: datetime | None = None) -> list[Story]:
    """The day's top stories for a list: each section's (or the list's section's) editors' picks, then newest."""
    now = now or timezone.now()
    stories = Story.objects.published(now).published_between(now - TOP_STORIES_WINDOW, now)
    if newsletter.section_id:
        stories = stories.filter(section_id=newsletter.section_id)
    ordered = stories.select_related("section").order_by(
        "section__position", "section__name", F("home_position").asc(nulls_last=True), "-published_at", "-pk"
    )
    picked: list[Story] = []
    per_section: dict[int | None, int] = {}
    for story in ordered[:200]:
        if per_section.get(story.section_id, 0) < TOP_STORIES_PER_SECTION:
            per_section[story.section_id] = per_section.get(story.section_id, 0) + 1
            picked.append(story)
    return picked


@transaction.atomic
def fill_with_top_stories(issue: Issue, *, now: datetime | None = None) -> int:
    """Replace the issue's stories with the day's top stories; how many it now holds."""
    _check_editable(issue)
    issue.entries.all().delete()
    stories = top_stories(issue.newsletter, now=now)
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, story=story, position=n) for n, story in enumerate(stories, start=1)
    )
    return len(stories)


def send_test(issue: Issue, *, address: str) -> None:
    """Send the issue, as a subscriber would get it, to one address (which need not be subscribed)."""
    subscriber = Subscriber.objects.filter(email=address.strip().lower()).first()
    edition = mail.render_issue(issue)
    message = mail.addressed(edition, email=address, subscriber_id=subscriber.pk if subscriber else 0)
    message.subject = f"[Test] {message.subject}"
    message.send()


def _check_editable(issue: Issue) -> None:
    if not issue.is_editable():
        raise ValidationError("This issue is being sent or was sent; it can no longer change.")


def _check_sender(user) -> None:
    if user is not None and not roles.can_send_newsletters(user):
        raise PermissionDenied("Only editors send newsletters.")


@transaction.atomic
def schedule(issue: Issue, *, at: datetime | None, by) -> Issue:
    """Have the issue go out at ``at`` (by default the list's next slot); the worker sends it then."""
    _check_sender(by)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _check_editable(issue)
    at = at or issue.newsletter.next_slot()
    if at is None:
        raise ValidationError("This list has no schedule: send the issue now or give it a time.")
    issue.status, issue.send_at = Issue.Status.SCHEDULED, at
    issue.save(update_fields=["status", "send_at"])
    return issue


@transaction.atomic
def send_now(issue: Issue, *, by) -> Issue:
    """Start sending the issue to every confirmed subscriber of its list (the worker does it in batches)."""
    _check_sender(by)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _check_editable(issue)
    if not issue.entries.exists():
        raise ValidationError("The issue has no stories yet.")
    issue.status, issue.started_at = Issue.Status.SENDING, timezone.now()
    issue.save(update_fields=["status", "started_at"])
    from newsletters import tasks

    enqueue(tasks.send_issue, issue.pk)
    return issue


def recipients(issue: Issue):
    """Confirmed, reachable subscribers of the issue's list it has not been sent to yet (subscriptions)."""
    return (
        Subscription.objects.confirmed()
        .filter(newsletter_id=issue.newsletter_id)
        .exclude(subscriber__deliveries__issue_id=issue.pk)
    )


def batch_bounds(issue: Issue, size: int) -> list[tuple[int, int | None]]:
    """Subscriber id ranges of ``size`` recipients each; the last is open, for readers who confirm meanwhile."""
    ids = recipients(issue).order_by("subscriber_id").values_list("subscriber_id", flat=True)
    starts = list(ids)[::size]
    bounds = [(start, nxt - 1) for start, nxt in zip(starts, starts[1:], strict=False)]
    return [*bounds, (starts[-1] if starts else 0, None)]


def send_batch(issue_id: int, first: int, last: int | None) -> int:
    """Send the issue to its recipients with subscriber ids in [first, last]; the number sent.

    Each recipient's Delivery is committed before the message goes; a failed message gives back the
    rows of those not reached yet and raises, so a retry sends to them and to no one else.
    """
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    if issue.status != Issue.Status.SENDING:
        return 0
    edition = mail.render_issue(issue)
    with transaction.atomic():
        Issue.objects.select_for_update().filter(pk=issue_id).exists()  # one batch claims at a time
        batch = recipients(issue).filter(subscriber_id__gte=first)
        if last is not None:
            batch = batch.filter(subscriber_id__lte=last)
        claimed = list(batch.order_by("subscriber_id").values_list("subscriber_id", "subscriber__email"))
        Delivery.objects.bulk_create(Delivery(issue_id=issue_id, subscriber_id=pk) for pk, _email in claimed)
    sent = _deliver(edition, claimed)
    finish_if_done(issue)
    return sent


def _deliver(edition: mail.Edition, claimed: list[tuple[int, str]]) -> int:
    connection = get_connection()
    connection.open()
    sent = 0
    try:
        for n, (subscriber_id, email) in enumerate(claimed):
            try:
                mail.addressed(edition, email=email, subscriber_id=subscriber_id, connection=connection).send()
                sent += 1
            except smtplib.SMTPRecipientsRefused:
                logger.warning("Newsletter: %s refused; the address is suppressed", email)
                Delivery.objects.filter(issue_id=edition.issue_id, subscriber_id=subscriber_id).delete()
                subscriptions.suppress(email=email, because=Subscriber.Suppression.BOUNCE)
            except Exception:
                unsent = [pk for pk, _email in claimed[n:]]
                Delivery.objects.filter(issue_id=edition.issue_id, subscriber_id__in=unsent).delete()
                raise
    finally:
        connection.close()
    return sent


def finish_if_done(issue: Issue) -> bool:
    """Mark the issue sent once no recipient is left; True if it is sent."""
    if recipients(issue).exists():
        return False
    Issue.objects.filter(pk=issue.pk, status=Issue.Status.SENDING).update(
        status=Issue.Status.SENT, sent_at=timezone.now()
    )
    return True


def start_due(now: datetime | None = None) -> list[int]:
    """Issues whose time came: automatic lists' issues of the day are made, and every due one starts."""
    now = now or timezone.now()
    for newsletter in NewsletterList.objects.filter(automatic=True):
        _make_automatic_issue(newsletter, now)
    started = []
    for issue in Issue.objects.filter(status=Issue.Status.SCHEDULED, send_at__lte=now):
        try:
            send_now(issue, by=None)
            started.append(issue.pk)
        except ValidationError as error:
            logger.warning("Newsletter issue %s not sent: %s", issue.pk, error.messages[0])
    return started


def _make_automatic_issue(newsletter: NewsletterList, now: datetime) -> Issue | None:
    """Today's issue of an automatic list, made at its slot (not later than an hour after it)."""
    slot = newsletter.next_slot(now - timedelta(hours=1))
    if slot is None or slot > now or newsletter.issues.filter(send_at=slot).exists():
        return None
    local = timezone.localtime(slot)
    publication_day = f"{local.day} {local:%B %Y}"
    with transaction.atomic():
        issue = Issue.objects.create(
            newsletter=newsletter,
            subject=f"{newsletter.name}, {publication_day}",
            send_at=slot,
            status=Issue.Status.SCHEDULED,
        )
        if not fill_with_top_stories(issue, now=now):
            issue.delete()
            return None
    return issue


# --- breaking-news alerts ---------------------------------------------------------------------------


class AlreadySent(Exception):
    """The story's alert went out before: each story is alerted at most once."""


def alert_candidates(now: datetime | None = None):
    """Published stories with a breaking-news banner up that have not been alerted yet."""
    alerted = BreakingAlert.objects.values("story_id")
    return Story.objects.published(now).breaking(now).exclude(pk__in=alerted)


def send_alert(*, story: Story, by, now: datetime | None = None) -> BreakingAlert:
    """Send a breaking story to the breaking-news list by e-mail and to every browser that asked, once.

    The alert's row (one per story, a database constraint) is written first: a second editor, or a
    second click, gets ``AlreadySent`` and sends nothing.
    """
    if not roles.can_send_alerts(by):
        raise PermissionDenied("Only editors send breaking-news alerts.")
    if BreakingAlert.objects.filter(story=story).exists():
        raise AlreadySent("An alert for this story was already sent.")
    if not alert_candidates(now).filter(pk=story.pk).exists():
        raise ValidationError("Only a published story with its breaking-news banner up can be alerted.")
    try:
        with transaction.atomic():
            alert = BreakingAlert.objects.create(story=story, sent_by=by, sent_by_name=by.get_username())
            breaking = NewsletterList.objects.filter(kind=NewsletterList.Kind.BREAKING).first()
            if breaking is not None:
                subject = " ".join(story.headline.split())[:150]
                issue = Issue.objects.create(newsletter=breaking, subject=subject, created_by=by)
                IssueStory.objects.create(issue=issue, story=story, position=1)
                alert.issue = issue
                alert.save(update_fields=["issue"])
                send_now(issue, by=by)
    except IntegrityError:
        raise AlreadySent("An alert for this story was already sent.") from None
    from newsletters import tasks

    enqueue(tasks.push_alert, alert.pk)
    return alert


def unconfirmed_retention() -> timedelta:
    return timedelta(days=settings.NEWSROOM_NEWSLETTER_UNCONFIRMED_DAYS)
