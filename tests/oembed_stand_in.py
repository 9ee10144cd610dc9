"""A stand-in for the providers' oEmbed endpoints and thumbnails, on 127.0.0.1 (no test reaches the internet).

``NEWSROOM_EMBED_ENDPOINT_ORIGIN`` points every provider's endpoint at it: YouTube's answers come
from ``/youtube/oembed``, Vimeo's from ``/vimeo/api/oembed.json`` and so on. Each answer is set per
provider; the thumbnails it names are served by the stand-in too.
"""

import io
import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from PIL import Image


def thumbnail_bytes(color=(30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 54), color).save(out, "PNG")
    return out.getvalue()


class StandIn:
    def __init__(self):
        self.answers: dict[str, tuple[int, bytes, float]] = {}  # provider key: (status, body, delay)
        self.requests: list[tuple[str, dict]] = []
        self.origin = ""

    def answer(self, provider: str, data=None, *, status: int = 200, body: bytes | None = None, delay: float = 0):
        """How the stand-in answers for ``provider``: ``data`` as JSON, or ``body`` as it is, after ``delay``."""
        self.answers[provider] = (status, body if body is not None else json.dumps(data).encode(), delay)

    def oembed(self, provider: str, title: str, author: str = "A Channel", **extra) -> dict:
        """A typical answer, with a thumbnail on the stand-in and provider markup that must never be kept."""
        self.answer(
            provider,
            {
                "type": "video",
                "version": "1.0",
                "title": title,
                "author_name": author,
                "author_url": "https://example.org/channel",
                "provider_name": provider,
                "thumbnail_url": f"{self.origin}/thumbnails/{provider}.png",
                "html": '<iframe src="https://tracker.example/embed"></iframe><script src="https://tracker.example/x.js"></script>',
                "width": 640,
                "height": 360,
                **extra,
            },
        )

    def asked(self, provider: str) -> list[dict]:
        return [query for path, query in self.requests if path.startswith(f"/{provider}/")]


@contextmanager
def running():
    stand_in = StandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            parts = urlsplit(self.path)
            stand_in.requests.append((parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}))
            if parts.path.startswith("/thumbnails/"):
                self._send(200, thumbnail_bytes(), "image/png")
                return
            provider = parts.path.strip("/").split("/")[0]
            status, body, delay = stand_in.answers.get(provider, (404, b"{}", 0))
            if delay:
                time.sleep(delay)
            self._send(status, body, "application/json")

        def _send(self, status, body, content_type):
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    stand_in.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
