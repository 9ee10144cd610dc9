"""Lists readers subscribe to, their subscriptions, the issues sent to them and breaking-news alerts.

What is kept about a reader is the least that sending needs: the address, when it subscribed to which
list and confirmed, which issues it was sent (so none is sent twice), and, once an address bounced or
complained, that it must not be written to again. A subscription ends by deleting its row.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Schedule(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKDAYS = "weekdays", "Monday to Friday"
    WEEKLY = "weekly", "Every Monday"
    ON_NEWS = "news", "When news breaks"


class NewsletterListQuerySet(models.QuerySet):
    def offered(self) -> "NewsletterListQuerySet":
        """Lists readers may choose on the subscribe form, in the order editors gave them."""
        return self.filter(offered=True).order_by("position", "name")


class NewsletterList(models.Model):
    class Kind(models.TextChoices):
        BRIEFING = "briefing", "Daily briefing"
        SECTION = "section", "One section"
        BREAKING = "breaking", "Breaking news"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True, help_text="One line on the subscribe form.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BRIEFING)
    section = models.ForeignKey(
        "articles.Section", null=True, blank=True, on_delete=models.CASCADE, help_text="For a section's list."
    )
    schedule = models.CharField(max_length=10, choices=Schedule.choices, default=Schedule.DAILY)
    send_time = models.TimeField(default=time(6, 0), help_text="Local time an issue goes out on its days.")
    automatic = models.BooleanField(
        default=False, help_text="Fill and send an issue with the day's top stories on each scheduled day."
    )
    offered = models.BooleanField("on the subscribe form", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = NewsletterListQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "list"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="section", section__isnull=False) | (~Q(kind="section") & Q(section__isnull=True)),
                name="newsletterlist_section_only_for_section_lists",
            ),
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="breaking"), name="one_breaking_news_list"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (self.kind == self.Kind.SECTION) != (self.section_id is not None):
            raise ValidationError({"section": "A section's list names its section; other lists name none."})

    def next_slot(self, now: datetime | None = None) -> datetime | None:
        """The next time on the list's schedule after ``now`` (None for lists sent when news breaks)."""
        if self.schedule == Schedule.ON_NEWS:
            return None
        zone = ZoneInfo(settings.TIME_ZONE)
        local = timezone.localtime(now or timezone.now(), zone)
        for days in range(8):
            day = local.date() + timedelta(days=days)
            slot = datetime.combine(day, self.send_time, tzinfo=zone)
            if slot > local and self.sends_on(day.weekday()):
                return slot
        return None

    def sends_on(self, weekday: int) -> bool:
        """Whether the schedule has an issue on this weekday (Monday is 0)."""
        return {Schedule.DAILY: True, Schedule.WEEKDAYS: weekday < 5, Schedule.WEEKLY: weekday == 0}.get(
            self.schedule, False
        )


class SubscriberQuerySet(models.QuerySet):
    def reachable(self) -> "SubscriberQuerySet":
        """Addresses that may be written to: not suppressed after a bounce, complaint or request."""
        return self.filter(suppressed_at__isnull=True)


class Subscriber(models.Model):
    class Suppression(models.TextChoices):
        BOUNCE = "bounce", "The address bounced"
        COMPLAINT = "complaint", "Marked as spam"
        REQUEST = "request", "Asked to hear nothing more"

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_because = models.CharField(max_length=10, choices=Suppression.choices, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        permissions = [("export_subscriber", "Can export a subscriber's data")]
        constraints = [models.CheckConstraint(condition=Q(email=models.functions.Lower("email")), name="email_lower")]

    def __str__(self):
        return self.email


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self) -> "SubscriptionQuerySet":
        """Subscriptions the reader confirmed, of addresses that may be written to."""
        return self.filter(confirmed_at__isnull=False, subscriber__suppressed_at__isnull=True)


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsletter", "subscriber"], name="one_subscription_per_list")]
        indexes = [
            models.Index(
                fields=["newsletter", "subscriber"],
                name="subscription_confirmed",
                condition=Q(confirmed_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.subscriber} to {self.newsletter}"


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    newsletter = models.ForeignKey(NewsletterList, on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=150)
    intro = models.TextField(blank=True, help_text="A few plain sentences above the stories.")
    stories = models.ManyToManyField("articles.Story", through="IssueStory", related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled issue goes out.")
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_issue", "Can send an issue to its subscribers")]

    def __str__(self):
        return self.subject

    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class IssueStory(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    story = models.ForeignKey("articles.Story", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "story"
        verbose_name_plural = "stories"
        constraints = [models.UniqueConstraint(fields=["issue", "story"], name="story_once_per_issue")]

    def __str__(self):
        return str(self.story_id)


class Delivery(models.Model):
    """One issue sent to one subscriber: written before the message goes, so it never goes twice."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="issue_once_per_subscriber")]

    def __str__(self):
        return f"Issue {self.issue_id} to subscriber {self.subscriber_id}"


class BreakingAlert(models.Model):
    """A story sent to the breaking-news list, by e-mail and Web Push: at most once per story."""

    story = models.OneToOneField("articles.Story", on_delete=models.CASCADE, related_name="+")
    issue = models.OneToOneField(Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="alert")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_by_name = models.CharField(max_length=150, help_text="Kept when the account is deleted.")
    sent_at = models.DateTimeField(default=timezone.now)
    pushes = models.PositiveIntegerField("browser alerts sent", default=0)

    class Meta:
        ordering = ["-sent_at"]
        default_permissions = ("add", "view")

    def __str__(self):
        return f"Alert {self.sent_at:%Y-%m-%d %H:%M}"


class PushSubscription(models.Model):
    """A browser that asked for breaking-news alerts: where to push them and the keys to encrypt them."""

    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_alert = models.ForeignKey(BreakingAlert, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        default_permissions = ("view", "delete")

    def __str__(self):
        return self.endpoint[:60]
