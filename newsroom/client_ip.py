"""The client's address, as seen through the trusted reverse proxies in front of the site.

One function for everything that counts or records addresses: throttles (django-ratelimit's
``RATELIMIT_IP_META_KEY``), sign-in lockouts (django-axes' ``AXES_CLIENT_IP_CALLABLE``) and the read
counter. gunicorn's ``forwarded_allow_ips`` comes from the same settings (``forwarded_allow_ips``, read by
``gunicorn.conf.py`` and ``deploy/gunicorn.conf.py``).
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry) for entry in trusted if entry != "*")


def from_trusted_proxy(remote: str) -> bool:
    """Whether a connection from ``remote`` comes from one of ``NEWSROOM_TRUSTED_PROXIES``.

    A connection without an address (a UNIX socket) can only come from this machine, and gunicorn
    trusts it too.
    """
    trusted = tuple(settings.NEWSROOM_TRUSTED_PROXIES)
    if not remote or "*" in trusted:
        return True
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    return any(address in network for network in _networks(trusted))


def forwarded_allow_ips() -> str:
    """gunicorn's ``forwarded_allow_ips`` from the same settings: nobody when no proxy is trusted
    (gunicorn's own default would trust 127.0.0.1 whatever is in front of it)."""
    return ",".join(settings.NEWSROOM_TRUSTED_PROXIES) if settings.NEWSROOM_TRUSTED_PROXY_COUNT else ""


def client_ip(request) -> str:
    """The address the outermost trusted proxy saw, or REMOTE_ADDR when no proxies are trusted.

    Each proxy appends the address that connected to it to X-Forwarded-For, so with N trusted
    proxies the client is the N-th entry from the right. Entries further left came from the
    client itself and may be forged; they are never used, and neither is the header when the
    connection does not come from a trusted proxy (someone reaching the app server directly).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    if count <= 0 or not from_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
