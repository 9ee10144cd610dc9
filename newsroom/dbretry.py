"""A request that loses its database connection before it has changed anything runs once more.

Connections kept between requests (``CONN_MAX_AGE``) die when PostgreSQL restarts. Health checks
(``CONN_HEALTH_CHECKS``) replace a dead connection before a request's first query, but a request
that arrives while the server is going down or coming back, or whose connection is cut under it,
still fails. ``RetryOnLostConnectionMiddleware`` runs such a request again, on a fresh connection,
once the database accepts connections (it waits up to ``WAIT_SECONDS``), and only when running it
again cannot repeat anything:

- the request failed with a database error (``OperationalError``, ``InterfaceError``) after which a
  connection is gone or unusable; a query error on a working connection (a timeout) is not retried;
- nothing had been sent to the database yet, or the request is a GET or HEAD that had sent only
  reads (statements starting with SELECT); a request that sent a write is never run again;
- nothing of the response has gone out: the failed attempt's response is still in this middleware.

It runs again once; a second failure is answered like any database error (the friendly 503 of
``newsroom.errors``). When the wait ends with the database still unreachable, the process stops
waiting until a query succeeds again, so during a long outage requests fail at once and pages the
page cache holds keep being served without delay. The wait is meant for a restart, which takes a
second or two.
"""

import contextvars
import logging
import sys
import time
from contextlib import ExitStack, suppress

from django.core.signals import got_request_exception
from django.db import connections

from newsroom.errors import DATABASE_ERRORS

logger = logging.getLogger(__name__)

WAIT_SECONDS = 3.0  # how long a request waits for the database to accept connections again
POLL_SECONDS = 0.1
SAFE_METHODS = ("GET", "HEAD")

_current = contextvars.ContextVar("newsroom_dbretry_attempt", default=None)
_unreachable = False  # the last wait in this process ended with the database still down


class _Attempt:
    """What one run of a request sent to the database, and whether it failed on a database error."""

    def __init__(self, method: str):
        self.method = method
        self.sent = self.wrote = self.answered = self.failed = False

    def __call__(self, execute, sql, params, many, context):
        """An execute wrapper (``connection.execute_wrapper``): notes each statement before it is sent."""
        self.sent = True
        if many or sql.lstrip()[:6].upper() != "SELECT":
            self.wrote = True
        result = execute(sql, params, many, context)
        self.answered = True
        return result

    def may_run_again(self) -> bool:
        return not self.wrote and (self.method in SAFE_METHODS or not self.sent)


def _note_failure(sender, request, **kwargs):
    attempt = _current.get()
    if attempt is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        attempt.failed = True


got_request_exception.connect(_note_failure, dispatch_uid="newsroom-dbretry")


def _lost_connections() -> list:
    """Connections that failed and are now closed or unusable (the error was the connection, not a query)."""
    return [
        connection
        for connection in connections.all(initialized_only=True)
        if connection.errors_occurred and (connection.connection is None or not connection.is_usable())
    ]


def _reconnect(lost: list) -> bool:
    """Replace the lost connections, waiting up to ``WAIT_SECONDS`` for the database; False if it stays down."""
    global _unreachable
    deadline = time.monotonic() + WAIT_SECONDS
    for connection in lost:
        with suppress(*DATABASE_ERRORS):
            connection.close()
    while True:
        try:
            for connection in lost:
                connection.ensure_connection()
        except DATABASE_ERRORS:
            if time.monotonic() + POLL_SECONDS > deadline:
                _unreachable = True
                return False
            time.sleep(POLL_SECONDS)
        else:
            return True


class RetryOnLostConnectionMiddleware:
    """Run a request once more on a fresh connection when its connection died before it changed anything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        attempt = _Attempt(request.method)
        response = self._run(request, attempt)
        if not attempt.failed or _unreachable or not attempt.may_run_again():
            return response
        lost = _lost_connections()
        if not lost or not _reconnect(lost):
            return response
        logger.warning("Database connection lost; running %s %s again", request.method, request.path)
        return self._run(request, _Attempt(request.method))

    def _run(self, request, attempt: _Attempt):
        global _unreachable
        token = _current.set(attempt)
        try:
            with ExitStack() as stack:
                for alias in connections:
                    stack.enter_context(connections[alias].execute_wrapper(attempt))
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if attempt.answered and not attempt.failed:
            _unreachable = False
        return response
