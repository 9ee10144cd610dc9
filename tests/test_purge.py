"""Purging by tag: what each style sends to a stand-in purge endpoint on 127.0.0.1, and how failures end."""

import json
import logging
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsroom.purge import purge

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["story-12", "section-3", "chrome"]


@dataclass
class StandIn:
    """A purge endpoint that records every request and answers with ``status`` after ``delay`` seconds."""

    url: str
    requests: list = field(default_factory=list)
    status: int = 200
    delay: float = 0
    location: str = ""
    released: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def endpoint():
    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            stand_in.requests.append({"method": self.command, "path": self.path, "headers": self.headers, "body": body})
            if stand_in.delay:
                stand_in.released.wait(stand_in.delay)
            self.send_response(stand_in.status)
            if stand_in.location:
                self.send_header("Location", stand_in.location)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        do_PURGE = do_PURGEKEYS = do_POST = do_GET = answer

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in = StandIn(url=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield stand_in
    stand_in.released.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    """Requests go straight to 127.0.0.1 whatever proxy the machine running the tests has set."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def purging(settings, endpoint):
    """Purging turned on against the stand-in; each test picks a style and path."""

    def configure(style, path="/", **extra):
        settings.NEWSROOM_PURGE_URL = endpoint.url + path
        settings.NEWSROOM_PURGE_STYLE = style
        settings.NEWSROOM_PURGE_TOKEN = "secret-token"
        settings.NEWSROOM_PURGE_TIMEOUT = 2.0
        for name, value in extra.items():
            setattr(settings, f"NEWSROOM_PURGE_{name.upper()}", value)
        return endpoint

    return configure


def test_an_empty_url_opens_no_connection(settings, monkeypatch):
    connections = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connections.append(args))
    settings.NEWSROOM_PURGE_URL = ""
    settings.NEWSROOM_PURGE_STYLE = "xkey"

    purge(TAGS)

    assert connections == []


def test_xkey_sends_a_purge_request_with_the_tags_in_an_xkey_purge_header(purging):
    endpoint = purging("xkey", path="/")

    purge(TAGS)

    [request] = endpoint.requests
    assert request["method"] == "PURGE" and request["path"] == "/"
    assert request["headers"]["xkey-purge"] == "story-12 section-3 chrome"
    assert request["headers"]["xkey-softpurge"] is None
    assert request["headers"]["Authorization"] is None and request["body"] == b""


def test_xkey_soft_purge_uses_the_softpurge_header_and_the_method_can_be_changed(purging):
    endpoint = purging("xkey", soft=True, method="PURGEKEYS")

    purge(TAGS)

    [request] = endpoint.requests
    assert request["method"] == "PURGEKEYS"
    assert request["headers"]["xkey-softpurge"] == "story-12 section-3 chrome"
    assert request["headers"]["xkey-purge"] is None


def test_fastly_posts_the_surrogate_keys_with_the_api_token(purging):
    endpoint = purging("fastly", path="/service/SU1Z0isxPaozGVKXdv0eY/purge")

    purge(TAGS)

    [request] = endpoint.requests
    assert request["method"] == "POST" and request["path"] == "/service/SU1Z0isxPaozGVKXdv0eY/purge"
    assert request["headers"]["Surrogate-Key"] == "story-12 section-3 chrome"
    assert request["headers"]["Fastly-Key"] == "secret-token"
    assert request["headers"]["Fastly-Soft-Purge"] is None


def test_fastly_soft_purge_sends_fastly_soft_purge(purging):
    endpoint = purging("fastly", path="/service/abc/purge", soft=True)

    purge(TAGS)

    assert endpoint.requests[0]["headers"]["Fastly-Soft-Purge"] == "1"


def test_cloudflare_posts_the_tags_as_json_with_a_bearer_token(purging):
    endpoint = purging("cloudflare", path="/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache")

    purge(TAGS)

    [request] = endpoint.requests
    assert (
        request["method"] == "POST"
        and request["path"] == "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"
    )
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    assert request["headers"]["Content-Type"] == "application/json"
    assert json.loads(request["body"]) == {"tags": TAGS}


@pytest.mark.parametrize(
    ("style", "sizes"),
    [("xkey", [256, 256, 88]), ("fastly", [256, 256, 88]), ("cloudflare", [100] * 6)],
)
def test_many_tags_go_in_batches_the_endpoint_accepts(purging, style, sizes):
    endpoint = purging(style)
    tags = [f"story-{number}" for number in range(600)]

    purge(tags)

    if style == "cloudflare":
        sent = [json.loads(request["body"])["tags"] for request in endpoint.requests]
    else:
        header = "Surrogate-Key" if style == "fastly" else "xkey-purge"
        sent = [request["headers"][header].split(" ") for request in endpoint.requests]
    assert [len(batch) for batch in sent] == sizes
    assert [tag for batch in sent for tag in batch] == tags


def test_long_tags_are_split_so_no_header_passes_eight_kilobytes(purging):
    endpoint = purging("xkey")
    tags = [f"person-{number:03d}-" + "x" * 200 for number in range(100)]

    purge(tags)

    headers = [request["headers"]["xkey-purge"] for request in endpoint.requests]
    assert len(headers) > 1 and all(len(header) < 8000 for header in headers)
    assert " ".join(headers).split(" ") == tags


def test_repeated_empty_and_malformed_tags_are_left_out(purging, caplog):
    endpoint = purging("xkey")

    purge(["story-12", "story-12", "", "two words", "a,b", "evil\r\nX-Injected: 1", "chrome"])

    assert endpoint.requests[0]["headers"]["xkey-purge"] == "story-12 chrome"
    assert endpoint.requests[0]["headers"]["X-Injected"] is None
    assert "skipped 3 tags" in caplog.text


def test_a_server_error_is_logged_with_its_status_and_stops_the_remaining_batches(purging, caplog):
    endpoint = purging("fastly")
    endpoint.status = 500

    with caplog.at_level(logging.WARNING, logger="newsroom.purge"):
        purge([f"story-{number}" for number in range(300)])

    assert len(endpoint.requests) == 1
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "HTTP 500" in record.getMessage() and "300 tags not purged" in record.getMessage()
    assert "secret-token" not in caplog.text


def test_a_redirect_is_a_failure_and_is_not_followed(purging, caplog):
    endpoint = purging("cloudflare", path="/purge")
    endpoint.status, endpoint.location = 302, endpoint.url + "/elsewhere"

    purge(TAGS)

    assert [request["path"] for request in endpoint.requests] == ["/purge"]
    assert "HTTP 302" in caplog.text and "3 tags not purged" in caplog.text


def test_a_closed_port_is_logged_and_not_raised(settings, caplog):
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.NEWSROOM_PURGE_URL = f"http://127.0.0.1:{port}/"
    settings.NEWSROOM_PURGE_STYLE = "xkey"

    with caplog.at_level(logging.WARNING, logger="newsroom.purge"):
        purge(TAGS)

    [record] = caplog.records
    assert record.levelno == logging.WARNING and "3 tags not purged" in record.getMessage()
    assert "refused" in record.getMessage().lower()


def test_a_slow_endpoint_times_out_quickly_and_is_logged(purging, caplog):
    endpoint = purging("xkey", timeout=0.2)
    endpoint.delay = 10

    started = time.monotonic()
    purge([f"story-{number}" for number in range(600)])  # three batches: only the first is tried
    elapsed = time.monotonic() - started

    assert elapsed < 2
    assert len(endpoint.requests) == 1
    assert "timed out" in caplog.text and "600 tags not purged" in caplog.text


def manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    """Run manage.py with only ``environ`` in its environment."""
    env = {"PATH": "", **environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_purging_is_off_by_default():
    code = "from django.conf import settings as s; print(repr(s.NEWSROOM_PURGE_URL), s.NEWSROOM_CACHE_TAG_HEADER)"

    result = manage("shell", "--no-imports", "-c", code)

    assert result.stdout.split() == ["''", "False"], result.stderr


def test_an_unknown_style_stops_the_site_from_starting():
    result = manage("check", NEWSROOM_PURGE_URL="https://purge.example.org/", NEWSROOM_PURGE_STYLE="akamai")

    assert result.returncode != 0
    assert "NEWSROOM_PURGE_STYLE" in result.stderr
