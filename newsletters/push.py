"""Web Push: breaking-news alerts to browsers that asked for them, signed with the publication's VAPID keys.

A browser's subscription names its push service's address; only the known push services (setting
NEWSROOM_PUSH_SERVICES) are accepted, so the site never posts to an address a visitor chose.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from articles.models import Publication
from newsletters.models import BreakingAlert, PushSubscription

logger = logging.getLogger(__name__)
GONE = (404, 410)  # the browser unsubscribed: its subscription is deleted


def enabled() -> bool:
    return bool(settings.NEWSROOM_VAPID_PUBLIC_KEY and settings.NEWSROOM_VAPID_PRIVATE_KEY)


def is_push_service(endpoint: str) -> bool:
    """Whether ``endpoint`` is at one of NEWSROOM_PUSH_SERVICES ("https://host/" or "https://*.domain/")."""
    parts = urlsplit(endpoint)
    for service in settings.NEWSROOM_PUSH_SERVICES:
        allowed = urlsplit(service)
        host = allowed.netloc
        if parts.scheme != allowed.scheme or parts.username or parts.password:
            continue
        if host.startswith("*.") and (parts.netloc or "").endswith(host[1:]) or parts.netloc == host:
            return True
    return False


def vapid_key() -> Vapid:
    """The private VAPID key from settings: PEM, or base64url (the raw 32 bytes, or DER)."""
    value = settings.NEWSROOM_VAPID_PRIVATE_KEY.strip()
    if value.startswith("-----BEGIN"):
        return Vapid.from_pem(value.encode())
    return Vapid.from_string(private_key=value)


def push_alert(alert_id: int) -> int:
    """Push the alert's story to each subscribed browser not yet sent it; the number pushed."""
    if not enabled():
        return 0
    alert = BreakingAlert.objects.select_related("story").get(pk=alert_id)
    publication = Publication.load()
    data = json.dumps(
        {
            "title": f"{publication.name}: breaking news",
            "body": alert.story.headline,
            "url": publication.absolute_url(alert.story.get_absolute_url()),
        }
    )
    key = vapid_key()
    pushed = 0
    for subscription in PushSubscription.objects.exclude(last_alert_id=alert_id).iterator():
        # Claimed before the push: an alert job run twice pushes to each browser once.
        if (
            not PushSubscription.objects.filter(pk=subscription.pk)
            .exclude(last_alert_id=alert_id)
            .update(last_alert_id=alert_id)
        ):
            continue
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        try:
            webpush(
                info,
                data=data,
                vapid_private_key=key,
                vapid_claims={"sub": settings.NEWSROOM_VAPID_CONTACT},
                timeout=10,
                ttl=3600,
            )
            pushed += 1
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in GONE:
                subscription.delete()
            else:
                logger.warning("Web Push to %s failed: %s", urlsplit(subscription.endpoint).netloc, status or error)
    BreakingAlert.objects.filter(pk=alert_id).update(pushes=F("pushes") + pushed)
    return pushed
