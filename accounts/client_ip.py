"""The client's address, as seen through the trusted reverse proxies in front of the site."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The address the outermost trusted proxy saw, or REMOTE_ADDR when no proxies are trusted.

    Each proxy appends the address that connected to it to X-Forwarded-For, so with N trusted
    proxies the client is the N-th entry from the right. Entries further left came from the
    client itself and may be forged; they are never used.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
