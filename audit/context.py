"""The request being answered, so an entry recorded deep inside a workflow knows who asked and from where."""

import ipaddress
from contextvars import ContextVar

from newsroom.client_ip import client_ip

_current_request = ContextVar("audit_current_request", default=None)


def client_address(request) -> str | None:
    """The client's address for the log: the one lookup to change when the proxy handling changes."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # a request made in code (tests, force_login) has no address


def current_request():
    """The request this thread or task is answering, or None outside a request (commands, the shell)."""
    return _current_request.get()


def current_user():
    """Who is fully signed in on the current request (password and any second factor), or None."""
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class RequestContextMiddleware:
    """Remembers the request while it is answered (after authentication, so its user is known)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
