"""Throttles on the two sign-in steps: failed attempts per address and per account.

django-axes pauses one user name from one address after a few failures; these add the limits it
does not: one address trying many accounts (password spraying), and many addresses trying one
account. Only failures count, so colleagues sharing an office address all sign in.
"""

import hashlib

from django.core.cache import cache

from audit import record
from audit.models import Action
from newsroom import throttles
from newsroom.client_ip import client_ip

SIGN_IN_PAUSED = "Too many failed sign-in attempts came from this address or for this account."
CODE_PAUSED = "Too many wrong codes were entered from this address or for this account."


def _posted_account(group, request) -> str:
    return request.POST.get("username", "").strip().casefold()


def _signed_in_account(group, request) -> str:
    return str(request.signed_in_user.pk)


def sign_in_wait(request) -> int | None:
    """Seconds before this address or this user name may try a password again, or None."""
    return throttles.longest(
        throttles.peek(request, "login_address"), throttles.peek(request, "login_account", key=_posted_account)
    )


def sign_in_failed(request) -> None:
    throttles.hit(request, "login_address")
    throttles.hit(request, "login_account", key=_posted_account)


def code_wait(request) -> int | None:
    """Seconds before this address or this signed-in account may try a one-time code again, or None."""
    return throttles.longest(
        throttles.peek(request, "code_address"), throttles.peek(request, "code_account", key=_signed_in_account)
    )


def code_failed(request) -> None:
    throttles.hit(request, "code_address")
    throttles.hit(request, "code_account", key=_signed_in_account)


def paused(request, wait: int, reason: str):
    """The 429 answer to a paused sign-in step, recorded in the audit log with the address and name tried
    (public pages' throttles are not recorded: a flood would become a flood of writes)."""
    # Once per address and step while the pause lasts: an attacker hammering the form adds no rows.
    step = hashlib.blake2b(reason.encode(), digest_size=8).hexdigest()
    if cache.add(f"newsroom:throttle-recorded:{client_ip(request)}:{step}", 1, timeout=wait):
        account = request.POST.get("username", "").strip()[:150] or getattr(request, "signed_in_user", None)
        record(action=Action.THROTTLED, details={"step": reason, "account": str(account or ""), "wait": wait})
    return throttles.too_many_requests(request, wait, reason=reason)
