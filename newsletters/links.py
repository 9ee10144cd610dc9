"""Signed links in newsletters: confirming a subscription, leaving a list, counting an opened issue.

Each link carries its own proof (a signature made with SECRET_KEY and a salt per purpose), so it works
without an account or a login, and one made for one reader and list cannot be turned into another's.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "newsletters.confirm"
UNSUBSCRIBE_SALT = "newsletters.unsubscribe"
OPENED_SALT = "newsletters.opened"


def confirm_token(subscriber_id: int, list_ids: list[int]) -> str:
    return signing.dumps({"s": subscriber_id, "l": sorted(list_ids)}, salt=CONFIRM_SALT, compress=False)


def read_confirm_token(token: str) -> tuple[int, list[int]] | None:
    """The subscriber and lists a confirmation link names, or None when forged or older than its days."""
    max_age = settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS * 24 * 3600
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        return int(payload["s"]), [int(pk) for pk in payload["l"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _pair_token(first: int, second: int, salt: str) -> str:
    return signing.Signer(salt=salt).sign(f"{first}-{second}")


def _read_pair(token: str, salt: str) -> tuple[int, int] | None:
    try:
        first, second = signing.Signer(salt=salt).unsign(token).split("-")
        return int(first), int(second)
    except (signing.BadSignature, ValueError):
        return None


def unsubscribe_token(subscriber_id: int, list_id: int) -> str:
    return _pair_token(subscriber_id, list_id, UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(subscriber id, list id) of an unsubscribe link, or None when forged. Such links never expire."""
    return _read_pair(token, UNSUBSCRIBE_SALT)


def opened_token(subscriber_id: int, issue_id: int) -> str:
    return _pair_token(subscriber_id, issue_id, OPENED_SALT)


def read_opened_token(token: str) -> tuple[int, int] | None:
    return _read_pair(token, OPENED_SALT)


def confirm_path(token: str) -> str:
    return reverse("newsletters:subscription_confirm", args=[token])


def unsubscribe_path(token: str) -> str:
    return reverse("newsletters:subscription_unsubscribe", args=[token])


def opened_path(token: str) -> str:
    return reverse("newsletters:delivery_opened", args=[token])
