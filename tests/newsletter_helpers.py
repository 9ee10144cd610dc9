"""Shared set-ups for the newsletter tests: lists, confirmed subscribers, and links read out of messages."""

import re

from django.utils import timezone

from articles.models import Publication
from newsletters.models import NewsletterList, Subscriber, Subscription

LINK = re.compile(r"https?://[^\s\"<>]+")


def make_list(name="The Morning Herald", slug="daily-briefing", **fields) -> NewsletterList:
    return NewsletterList.objects.create(name=name, slug=slug, **fields)


def make_breaking_list() -> NewsletterList:
    return make_list("Breaking news", "breaking-news", kind=NewsletterList.Kind.BREAKING, schedule="news")


def subscribe_confirmed(newsletter: NewsletterList, *emails: str) -> list[Subscriber]:
    subscribers = []
    for email in emails:
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        Subscription.objects.create(subscriber=subscriber, newsletter=newsletter, confirmed_at=timezone.now())
        subscribers.append(subscriber)
    return subscribers


def publication_with_address() -> Publication:
    publication = Publication.load()
    publication.name = "Highveld Herald"
    publication.base_url = "https://herald.example"
    publication.postal_address = "14 Jorissen Street, Braamfontein"
    publication.save()
    return publication


def links_in(text: str, containing: str) -> list[str]:
    return [link for link in LINK.findall(text) if containing in link]


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
