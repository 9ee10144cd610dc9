"""Until the second factor is confirmed, a signed-in session is anonymous everywhere."""

from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from accounts.twofactor import awaiting_second_factor


def _fully_signed_in(user):
    return AnonymousUser() if awaiting_second_factor(user) else user


class SecondFactorMiddleware:
    """Keeps ``request.user`` anonymous for a session that still owes its one-time code.

    Every view, the admin and any staff page elsewhere, then treats a half-finished login as no
    login at all. The second-factor pages read ``request.signed_in_user`` instead. Both stay lazy,
    so pages that never look at the user do not touch the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user
        request.signed_in_user = signed_in
        request.user = SimpleLazyObject(partial(_fully_signed_in, signed_in))
        return self.get_response(request)
