"""What the newsletters app's changes retire in the page cache.

Readers see only the lists offered on the subscribe form (home page); everything else is private.
"""

from newsroom import cachetags

LISTS = "newsletter-lists"


def lists_retire(newsletter, *, before, deleted, related=None) -> set[str]:
    return {LISTS}


def declare() -> None:
    from newsletters.models import (
        BreakingAlert,
        Delivery,
        Issue,
        IssueStory,
        NewsletterList,
        PushSubscription,
        Subscriber,
        Subscription,
    )

    cachetags.on_change(NewsletterList, lists_retire)
    cachetags.private(Subscriber, Subscription, Issue, IssueStory, Delivery, BreakingAlert, PushSubscription)
