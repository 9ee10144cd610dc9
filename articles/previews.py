"""Share links for previews: signed, bound to one story, expiring and revocable."""

from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles import rendering, roles
from articles.context_processors import site_chrome
from articles.models import PreviewLink, Story
from audit import record
from audit.models import Action
from embeds.rendering import allow_players, players_in

SALT = "articles.preview-link"

# Headers on every preview: never cached or indexed, and the secret URL never leaks as a referrer.
PREVIEW_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def token_for(link: PreviewLink) -> str:
    """The signed token in a share link's URL: names the story and the link's random key."""
    return signing.dumps({"story": link.story_id, "key": link.key}, salt=SALT, compress=False)


def url_for(link: PreviewLink) -> str:
    return reverse("articles:story_preview", kwargs={"token": token_for(link)})


def story_for_token(token: str, now: datetime | None = None) -> Story | None:
    """The story a share link shows, or None if the token is tampered with or the link no longer opens it.

    Checked at every use (``PreviewLink.why_closed``): revoked, expired, the story retracted or deleted,
    its maker deactivated or no longer allowed to see the story.
    """
    try:
        payload = signing.loads(token, salt=SALT)
        story_id, key = int(payload["story"]), str(payload["key"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    links = PreviewLink.objects.live(now).select_related("story", "created_by")
    link = links.filter(story_id=story_id, key=key).first()
    return link.story if link and link.opens_story(now) else None


def links_of_story(story: Story) -> list[PreviewLink]:
    """Every link of a story, newest first, ready for ``why_closed`` (each maker's roles read once)."""
    links = list(story.preview_links.select_related("created_by", "revoked_by"))
    makers = {}
    for link in links:
        link.story = story
        if link.created_by is not None:  # one object per maker, so its permission cache is shared
            link.created_by = makers.setdefault(link.created_by_id, link.created_by)
    return links


def create_link(*, story: Story, by, expires_at: datetime, note: str = "", now: datetime | None = None) -> PreviewLink:
    """A new share link for a story the user may see."""
    if not roles.can_view_story(by, story):
        raise PermissionDenied("You may not share this story.")
    with transaction.atomic():
        link = PreviewLink.objects.create(
            story=story, created_by=by, created_at=now or timezone.now(), expires_at=expires_at, note=note
        )
        # The link's id and expiry, never its key or token: the entry must not be a way in.
        record(
            action=Action.PREVIEW_LINK_CREATED, actor=by, obj=story, details={"link": link.pk, "expires": expires_at}
        )
    return link


def revoke_link(*, link: PreviewLink, by, now: datetime | None = None) -> PreviewLink:
    """Switch a share link off for good."""
    if not roles.can_view_story(by, link.story):
        raise PermissionDenied("You may not change the links of this story.")
    revoke_links(PreviewLink.objects.filter(pk=link.pk), by=by, reason=f"by {by.get_username()}", now=now)
    link.refresh_from_db()
    return link


def revoke_links(links, *, by=None, reason: str, now: datetime | None = None) -> int:
    """Switch off for good every link of ``links`` not already revoked; how many were. Callers check who may."""
    with transaction.atomic():
        revoking = list(links.filter(revoked_at__isnull=True).values_list("pk", "story_id"))
        PreviewLink.objects.filter(pk__in=[pk for pk, _story in revoking], revoked_at__isnull=True).update(
            revoked_at=now or timezone.now(), revoked_by=by, revoked_reason=reason[:200]
        )
        stories = Story.objects.in_bulk({story for _pk, story in revoking})
        for pk, story in revoking:
            details = {"link": pk, "reason": reason[:200]}
            record(action=Action.PREVIEW_LINK_REVOKED, actor=by, obj=stories.get(story), details=details)
        return len(revoking)


def revoke_story_links(*, story: Story, by, now: datetime | None = None) -> int:
    """Revoke every live link of a story (the share page's "Revoke all")."""
    if not roles.can_view_story(by, story):
        raise PermissionDenied("You may not change the links of this story.")
    return revoke_links(story.preview_links.active(now), by=by, reason=f"by {by.get_username()}", now=now)


def revoke_user_links(*, user, by, reason: str = "", now: datetime | None = None) -> int:
    """Revoke every link ``user`` made, on any story (the user admin's "Revoke all")."""
    if by is not None and not by.has_perm(roles.CHANGE_PREVIEWLINK):
        raise PermissionDenied("You may not revoke other people's links.")
    reason = reason or (f"by {by.get_username()}" if by is not None else "")
    return revoke_links(PreviewLink.objects.filter(created_by=user).active(now), by=by, reason=reason, now=now)


def render_preview(request, story: Story, *, staff: bool) -> HttpResponse:
    """The story as readers will see it, marked as a preview and kept out of caches and search engines."""
    story = Story.objects.for_detail().get(pk=story.pk)
    chrome = site_chrome(request)
    # Those it would get if it were published now: a story chooses its related ones when it is.
    related = Story.objects.published().teasers_in_order(story.related_story_ids())
    pieces = rendering.render_page(story, chrome, request=request, head=False, preview_for_staff=staff)
    players = players_in(pieces["article"])
    context = {
        "story_summary": story,
        "story": story,
        # Rendered for this viewer and kept nowhere: share links use the address the viewer reached.
        "story_pieces": pieces,
        "embed_players": players,
        "related_teasers": [rendering.render_teaser(other)["teaser"] for other in related],
        "current_section": story.section,
        "preview_for_staff": staff,
    }
    response = render(request, "articles/story_preview.html", context)
    response = allow_players(response, players)
    for header, value in PREVIEW_HEADERS.items():
        response[header] = value
    return response
