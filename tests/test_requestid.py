"""Every response carries a request id, which is also on every log line written while it was handled."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from newsroom import logs, requestid
from newsroom.requestid import RequestIdMiddleware

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


def log_stream(log_format: str) -> tuple[logging.Handler, io.StringIO]:
    """A handler built from the application's logging configuration, writing to a string."""
    config = logs.config(log_format)
    configurator = logging.config.DictConfigurator(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(config["formatters"][log_format]))
    handler.addFilter(requestid.RequestIdFilter())
    return handler, stream


@pytest.fixture
def captured_json_log():
    handler, stream = log_stream("json")
    logger = logging.getLogger("newsroom.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_every_response_gets_its_own_request_id(client):
    first, second = client.get("/"), client.get("/health/live/")

    assert GENERATED.fullmatch(first["X-Request-ID"])
    assert GENERATED.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_an_incoming_request_id_is_ignored_unless_a_trusted_proxy_sent_it(client, settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    if hasattr(settings, "NEWSROOM_TRUSTED_PROXIES"):
        settings.NEWSROOM_TRUSTED_PROXIES = []

    response = client.get("/", HTTP_X_REQUEST_ID="chosen-by-the-client-1234")

    assert response["X-Request-ID"] != "chosen-by-the-client-1234"
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_the_trusted_proxys_request_id_is_kept(client, settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    if hasattr(settings, "NEWSROOM_TRUSTED_PROXIES"):
        settings.NEWSROOM_TRUSTED_PROXIES = ["127.0.0.1"]

    response = client.get("/", HTTP_X_REQUEST_ID="3f2a9c0e5b7d41a8b6c2e9f0a1b2c3d4")

    assert response["X-Request-ID"] == "3f2a9c0e5b7d41a8b6c2e9f0a1b2c3d4"


@pytest.mark.parametrize(
    "sent", ["short", "has spaces in it", "line\nbreak-injected-here", "x" * 200, 'quote"d-id-123']
)
def test_a_malformed_request_id_is_replaced_even_from_a_trusted_proxy(client, settings, sent):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1

    response = client.get("/health/live/", HTTP_X_REQUEST_ID=sent)

    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_log_lines_written_during_a_request_carry_its_id(captured_json_log):
    logger, stream = captured_json_log

    def view(request):
        logger.warning("Picture %s could not be read", 42, extra={"image": 42})
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    logger.info("Between requests")

    during, between = (json.loads(line) for line in stream.getvalue().splitlines())
    assert during["request_id"] == response["X-Request-ID"]
    assert during["message"] == "Picture 42 could not be read"
    assert during["level"] == "WARNING"
    assert during["logger"] == "newsroom.test"
    assert during["image"] == 42
    assert "time" in during
    assert between["request_id"] == "-"


def test_djangos_log_of_an_error_response_carries_the_request_id(client):
    handler, stream = log_stream("plain")
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/section/no-such-section/")
    finally:
        logger.removeHandler(handler)

    assert response.status_code == 404
    assert f"[{response['X-Request-ID']}] Not Found: /section/no-such-section/" in stream.getvalue()


def test_the_log_format_is_json_or_plain():
    assert logs.config("plain")["handlers"]["console"]["formatter"] == "plain"
    with pytest.raises(ValueError, match="NEWSROOM_LOG_FORMAT"):
        logs.config("xml")


def test_gunicorn_access_lines_carry_the_request_id_from_the_response_header():
    config = logs.gunicorn_config("json")
    configurator = logging.config.DictConfigurator(config)
    formatter = configurator.configure_formatter(config["formatters"]["json"])
    atoms = {"h": "10.0.0.7", "m": "GET", "U": "/story/x/", "s": "200", "B": 5120, "a": "probe", "D": 12500}
    atoms["{x-request-id}o"] = "3f2a9c0e5b7d41a8b6c2e9f0a1b2c3d4"
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(s)s", atoms, None)

    requestid.GunicornAccessFilter().filter(record)
    line = json.loads(formatter.format(record))

    assert line["request_id"] == "3f2a9c0e5b7d41a8b6c2e9f0a1b2c3d4"
    assert line["message"] == "10.0.0.7 200"
    assert (line["status"], line["path"], line["duration_ms"]) == ("200", "/story/x/", 12.5)
    assert config["loggers"]["gunicorn.access"]["handlers"] == ["access_console"]
