"""The messages newsletters send: multipart (a table laid out with inline styles, and plain text).

An issue is rendered once; each subscriber's copy differs only in its signed links, put in place of
markers, so sending a large list costs a string replacement per reader, not a template render.
Every copy names its list (``List-Id``) and carries ``List-Unsubscribe`` with one-click unsubscribing
(RFC 8058). The open-counting picture is there only when NEWSROOM_NEWSLETTER_TRACKING is on.
"""

from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from articles.models import Publication, Story
from newsletters import links
from newsletters.models import Issue, NewsletterList

UNSUBSCRIBE_MARK = "__newsroom_unsubscribe__"
OPENED_MARK = "__newsroom_opened__"


@dataclass(frozen=True)
class Edition:
    """An issue rendered once, ready to be addressed to each subscriber."""

    issue_id: int
    newsletter_id: int
    subject: str
    html: str
    text: str
    from_email: str
    list_id: str
    base_url: str


def sender(publication: Publication) -> str:
    """DEFAULT_FROM_EMAIL's address under the publication's name."""
    return formataddr((publication.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def issue_stories(issue: Issue) -> list[Story]:
    """The issue's stories in the editor's order, leaving out any no longer published."""
    published = Story.objects.published().select_related("section")
    by_id = {story.pk: story for story in published.filter(pk__in=issue.entries.values("story_id"))}
    order = issue.entries.values_list("story_id", flat=True)
    return [by_id[pk] for pk in order if pk in by_id]


def render_issue(issue: Issue, *, publication: Publication | None = None) -> Edition:
    """The issue as e-mail, with markers where each subscriber's links go."""
    publication = publication or Publication.load()
    newsletter = issue.newsletter
    stories = [
        {
            "headline": story.headline,
            "standfirst": story.standfirst,
            "section": story.section.name if story.section_id else "",
            "url": publication.absolute_url(story.get_absolute_url()),
        }
        for story in issue_stories(issue)
    ]
    context = {
        "publication": publication,
        "newsletter": newsletter,
        "issue": issue,
        "stories": stories,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "opened_url": OPENED_MARK if settings.NEWSROOM_NEWSLETTER_TRACKING else "",
        "home_url": publication.absolute_url("/"),
    }
    return Edition(
        issue_id=issue.pk,
        newsletter_id=newsletter.pk,
        subject=" ".join(issue.subject.split()),  # a header: no line breaks, whatever was typed
        html=render_to_string("newsletters/email/issue.html", context),
        text=render_to_string("newsletters/email/issue.txt", context),
        from_email=sender(publication),
        list_id=list_id(newsletter, publication),
        base_url=publication.base_url,
    )


def list_id(newsletter: NewsletterList, publication: Publication) -> str:
    """The List-Id header (RFC 2919): the list's name and a stable identifier under the site's host."""
    host = urlsplit(publication.base_url).hostname or "localhost"
    return f"{newsletter.name} <{newsletter.slug}.{host}>"


def addressed(edition: Edition, *, email: str, subscriber_id: int, connection=None) -> EmailMultiAlternatives:
    """The edition for one subscriber: their own unsubscribe (and, if switched on, open-counting) link."""
    base = edition.base_url.rstrip("/")
    unsubscribe = base + links.unsubscribe_path(links.unsubscribe_token(subscriber_id, edition.newsletter_id))
    html = edition.html.replace(UNSUBSCRIBE_MARK, unsubscribe)
    text = edition.text.replace(UNSUBSCRIBE_MARK, unsubscribe)
    if OPENED_MARK in html:
        html = html.replace(OPENED_MARK, base + links.opened_path(links.opened_token(subscriber_id, edition.issue_id)))
    message = EmailMultiAlternatives(
        subject=edition.subject,
        body=text,
        from_email=edition.from_email,
        to=[email],
        connection=connection,
        headers={
            "List-Id": edition.list_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation(*, email: str, subscriber_id: int, lists: list[NewsletterList]) -> EmailMultiAlternatives:
    """The one message an unconfirmed address gets: what it asked for, and the signed link to confirm."""
    publication = Publication.load()
    token = links.confirm_token(subscriber_id, [newsletter.pk for newsletter in lists])
    context = {
        "publication": publication,
        "lists": lists,
        "confirm_url": publication.absolute_url(links.confirm_path(token)),
        "days": settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your subscription to {publication.name}",
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=sender(publication),
        to=[email],
    )
    message.attach_alternative(render_to_string("newsletters/email/confirm.html", context), "text/html")
    return message
