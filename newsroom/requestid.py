"""A request id on every response and every log line, so one reader's request can be followed through the logs.

The id comes from the proxy in front of the site when that proxy is trusted (nginx sends its own
``$request_id`` as ``X-Request-ID``), otherwise it is made here. It goes out as the ``X-Request-ID``
response header, which gunicorn's access log writes (``deploy/gunicorn.conf.py``), and onto every log
record written while the request runs (``RequestIdFilter``), so the access line and the application's
own lines share it.

This module is read by gunicorn's logging configuration before Django is set up: it imports nothing
from Django at module level.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# Letters, digits and a little punctuation, 8 to 128 characters: enough for UUIDs and nginx's hex ids,
# and nothing that could break a log line (no spaces, quotes or line breaks).
_ACCEPTED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
NO_REQUEST = "-"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("newsroom_request_id", default=NO_REQUEST)


def current() -> str:
    """The id of the request being handled in this thread or task, or ``-`` outside a request."""
    return _current.get()


def _from_trusted_proxy(request) -> bool:
    """Whether the request reached us through a proxy the site trusts (so its headers are the proxy's)."""
    from django.conf import settings

    from newsroom.client_ip import from_trusted_proxy

    return settings.NEWSROOM_TRUSTED_PROXY_COUNT > 0 and from_trusted_proxy(request.META.get("REMOTE_ADDR", ""))


def request_id_for(request) -> str:
    """The proxy's id when a trusted proxy sent a well-formed one; a new random id otherwise."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if incoming and _ACCEPTED.fullmatch(incoming) and _from_trusted_proxy(request):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request its id (``request.request_id``), logs under it and returns it as ``X-Request-ID``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record as ``request_id`` (``-`` outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            # Django logs a 4xx or 5xx response after the middleware has finished, with the request attached.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current()
        return True


class GunicornAccessFilter(logging.Filter):
    """Lifts the request id and the main facts of a gunicorn access line onto the record, for JSON logs.

    gunicorn logs each access with its atoms (``h``, ``s``, ``D``...) as the record's arguments; the
    request id is the ``X-Request-ID`` response header that ``RequestIdMiddleware`` set.
    """

    FIELDS = {"h": "remote_addr", "m": "method", "U": "path", "s": "status", "B": "bytes", "a": "user_agent"}

    def filter(self, record):
        atoms = record.args if isinstance(record.args, dict) else {}
        if atoms:
            for atom, name in self.FIELDS.items():
                setattr(record, name, atoms.get(atom))
            record.duration_ms = round(int(atoms.get("D", 0)) / 1000, 3)
            record.request_id = atoms.get("{x-request-id}o") or NO_REQUEST
        elif not hasattr(record, "request_id"):
            record.request_id = NO_REQUEST
        return True
