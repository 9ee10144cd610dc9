"""Errors reported to Sentry (or a service speaking its protocol) when ``SENTRY_DSN`` is set; nothing otherwise."""


def configure(dsn: str, *, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start the Sentry client for ``dsn``; without a DSN nothing is imported or sent. Whether it started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        integrations=[DjangoIntegration()],
        # Readers' addresses, cookies and signed-in users stay out of error reports.
        send_default_pii=False,
        before_send=_tag_request_id,
    )
    return True


def _tag_request_id(event, hint):
    """Tag each report with the request id, which also appears in the logs and the X-Request-ID header."""
    from newsroom import requestid

    if requestid.current() != requestid.NO_REQUEST:
        event.setdefault("tags", {})["request_id"] = requestid.current()
    return event
