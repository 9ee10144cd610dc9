"""The demo publication's newsletters: a morning briefing, breaking news, and a weekly list per section."""

from datetime import time

from django.db import transaction

from articles.models import Section
from newsletters.models import NewsletterList, Schedule

LISTS = [
    {
        "slug": "daily-briefing",
        "name": "The Morning Herald",
        "description": "The day's top stories from every section, before you leave home.",
        "kind": NewsletterList.Kind.BRIEFING,
        "schedule": Schedule.DAILY,
        "send_time": time(6, 0),
        "automatic": True,
    },
    {
        "slug": "breaking-news",
        "name": "Breaking news",
        "description": "One message when something big happens in Johannesburg, and nothing otherwise.",
        "kind": NewsletterList.Kind.BREAKING,
        "schedule": Schedule.ON_NEWS,
    },
]


@transaction.atomic
def load_demo_lists() -> int:
    """Create the demo lists when there are none; the number created (0 when lists exist already)."""
    if NewsletterList.objects.exists():
        return 0
    for position, spec in enumerate(LISTS):
        NewsletterList.objects.create(position=position, **spec)
    for position, section in enumerate(Section.objects.order_by("position", "name"), start=len(LISTS)):
        NewsletterList.objects.create(
            slug=f"section-{section.slug}"[:100],
            name=f"{section.name} this week",
            description=f"Monday's pick of the week's {section.name} stories.",
            kind=NewsletterList.Kind.SECTION,
            section=section,
            schedule=Schedule.WEEKLY,
            send_time=time(7, 0),
            position=position,
        )
    return NewsletterList.objects.count()
