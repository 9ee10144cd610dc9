"""Error responses: a database outage is a 503 that tells readers to retry, never a traceback."""

import logging
import sys

from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


class NulByteInAddress(SuspiciousOperation):
    """A NUL byte in the path or query string; Django answers SuspiciousOperation with the 400 page."""


def has_nul_byte(request) -> bool:
    """Whether the request's path or query string holds a NUL byte (never meaningful; PostgreSQL refuses it)."""
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


def service_unavailable(request=None) -> HttpResponse:
    """The friendly 503 page, rendered without the database, with Retry-After and no caching.

    Staff in the admin get a page saying their change was not saved and that the story form keeps
    their unsaved text in the browser until a save succeeds. The response is marked, so the page
    cache can serve a stored copy of a reader's page instead (``database_unavailable``).
    """
    staff = request is not None and request.path.startswith("/admin/")
    template = "admin/503.html" if staff else "503.html"
    context = {"method": getattr(request, "method", "GET")}
    response = HttpResponse(loader.render_to_string(template, context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response.database_unavailable = True
    return response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """Django's 500 handler, except that a lost database connection is a temporary outage (503).

    Django calls this while the uncaught exception is being handled, wherever it was raised (view,
    template, middleware), so ``sys.exc_info()`` names it.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return defaults.server_error(request, template_name)
