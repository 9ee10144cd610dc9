"""Breaking-news alerts: an editor sends a breaking story, after a confirmation, to the breaking-news list
by e-mail and to subscribed browsers by Web Push (a stand-in push service on 127.0.0.1), once per story."""

import base64
import json
import os
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail
from django.test import Client
from django.utils import timezone
from py_vapid import Vapid

from newsletters import sending
from newsletters.models import BreakingAlert, PushSubscription
from tests.factories import log_in, make_staff, make_story
from tests.newsletter_helpers import make_breaking_list, make_list, publication_with_address, subscribe_confirmed

pytestmark = pytest.mark.django_db


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class PushService(BaseHTTPRequestHandler):
    """A push service: takes each encrypted message; an endpoint ending in /gone is a browser that left."""

    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        PushService.received.append(
            {"path": self.path, "headers": {name.lower(): value for name, value in self.headers.items()}, "body": body}
        )
        self.send_response(410 if self.path.endswith("/gone") else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), PushService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PushService.received = []
    vapid = Vapid()
    vapid.generate_keys()
    settings.NEWSROOM_VAPID_PRIVATE_KEY = vapid.private_pem().decode()
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    settings.NEWSROOM_VAPID_PUBLIC_KEY = b64url(public)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.NEWSROOM_PUSH_SERVICES = [base]
    yield base
    server.shutdown()
    server.server_close()


def browser_keys() -> dict:
    """The keys a browser's push subscription carries: its P-256 public key and a 16-byte secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"p256dh": b64url(public), "auth": b64url(os.urandom(16))}


def subscribe_browser(endpoint: str, **headers):
    body = json.dumps({"endpoint": endpoint, "keys": browser_keys()})
    return Client(enforce_csrf_checks=True).post("/newsletters/push/", body, "application/json", **headers)


@pytest.fixture
def breaking_story():
    publication_with_address()
    return make_story("Fire closes the M1 at Killarney", breaking_until=timezone.now() + timedelta(hours=2))


@pytest.fixture
def editor():
    return make_staff("editor", roles=["Editor"])


def test_an_editor_confirms_then_the_alert_goes_once_by_email_and_push(breaking_story, editor, push_service, client):
    breaking = make_breaking_list()
    subscribe_confirmed(breaking, "a@example.org", "b@example.org")
    subscribe_confirmed(make_list(), "briefing-only@example.org")
    assert subscribe_browser(f"{push_service}/send/one").status_code == 201
    log_in(client, editor)

    listing = client.get("/admin/newsletters/breakingalert/add/").content.decode()
    assert "Fire closes the M1 at Killarney" in listing
    confirm = client.get(f"/admin/newsletters/breakingalert/add/?story={breaking_story.pk}").content.decode()
    assert "to 2 subscribers of Breaking news by e-mail" in " ".join(confirm.split())
    assert mail.outbox == [] and PushService.received == []

    unticked = client.post("/admin/newsletters/breakingalert/add/", {"story": breaking_story.pk})
    assert unticked.status_code == 200 and mail.outbox == []
    sent = client.post("/admin/newsletters/breakingalert/add/", {"story": breaking_story.pk, "confirm": "on"})
    assert sent.status_code == 302

    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    assert "Fire closes the M1 at Killarney" in mail.outbox[0].subject
    assert [request["path"] for request in PushService.received] == ["/send/one"]
    pushed = PushService.received[0]
    assert pushed["headers"]["content-encoding"] == "aes128gcm"
    assert pushed["headers"]["authorization"].startswith("vapid t=")
    assert b"Fire closes" not in pushed["body"]  # encrypted for the browser
    alert = BreakingAlert.objects.get()
    assert (alert.sent_by, alert.sent_by_name, alert.pushes) == (editor, "editor", 1)
    record = client.get("/admin/newsletters/breakingalert/").content.decode()
    assert "Fire closes the M1 at Killarney" in record and "editor" in record

    again = client.post(
        "/admin/newsletters/breakingalert/add/", {"story": breaking_story.pk, "confirm": "on"}, follow=True
    )
    assert "not breaking news, or its alert was sent already" in again.content.decode()
    with pytest.raises(sending.AlreadySent):
        sending.send_alert(story=breaking_story, by=make_staff("second", roles=["Editor"]))
    assert len(mail.outbox) == 2 and len(PushService.received) == 1


def test_a_story_without_its_banner_up_cannot_be_alerted(editor):
    make_breaking_list()
    quiet = make_story("Council meets on Tuesday")
    with pytest.raises(sending.ValidationError):
        sending.send_alert(story=quiet, by=editor)
    assert not BreakingAlert.objects.exists()


def test_a_reporter_cannot_send_alerts(breaking_story, client):
    make_breaking_list()
    reporter = make_staff("reporter", roles=["Reporter"])
    log_in(client, reporter)
    assert client.get("/admin/newsletters/breakingalert/add/").status_code == 403
    assert (
        client.post("/admin/newsletters/breakingalert/add/", {"story": breaking_story.pk, "confirm": "on"}).status_code
        == 403
    )
    with pytest.raises(sending.PermissionDenied):
        sending.send_alert(story=breaking_story, by=reporter)
    assert not BreakingAlert.objects.exists()


def test_a_browser_that_left_is_forgotten_and_each_browser_gets_an_alert_once(breaking_story, editor, push_service):
    subscribe_browser(f"{push_service}/send/stays")
    subscribe_browser(f"{push_service}/send/gone")
    alert = sending.send_alert(story=breaking_story, by=editor)

    assert alert.issue is None  # no breaking-news list: browsers only
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [f"{push_service}/send/stays"]
    from newsletters import push

    assert push.push_alert(alert.pk) == 0  # run again: nobody is pushed twice
    assert len(PushService.received) == 2


def test_only_known_push_services_are_accepted(push_service):
    assert subscribe_browser("https://attacker.example/hook").status_code == 400
    assert subscribe_browser("http://10.0.0.5/internal").status_code == 400
    assert subscribe_browser(f"{push_service}/x", HTTP_ORIGIN="https://evil.example").status_code == 403
    bad = Client().post("/newsletters/push/", "not json", "application/json")
    assert bad.status_code == 400
    assert not PushSubscription.objects.exists()


def test_push_is_off_without_keys(settings):
    settings.NEWSROOM_VAPID_PRIVATE_KEY = ""
    assert subscribe_browser("https://fcm.googleapis.com/fcm/send/abc").status_code == 400


def test_the_home_page_offers_browser_alerts_only_with_keys(push_service, settings):
    make_breaking_list()
    page = Client().get("/").content.decode()
    assert "data-push-subscribe" in page and settings.NEWSROOM_VAPID_PUBLIC_KEY in page
    settings.NEWSROOM_VAPID_PUBLIC_KEY = ""
    assert "data-push-subscribe" not in Client().get("/").content.decode()


def test_a_browser_stops_alerts(push_service):
    subscribe_browser(f"{push_service}/send/one")
    body = json.dumps({"endpoint": f"{push_service}/send/one"})
    assert Client().post("/newsletters/push/delete/", body, "application/json").status_code == 200
    assert not PushSubscription.objects.exists()


def test_a_breaking_story_in_the_admin_links_to_its_alert(breaking_story, editor, client):
    make_breaking_list()
    log_in(client, editor)
    page = client.get(f"/admin/articles/story/{breaking_story.pk}/change/").content.decode()
    assert f'/admin/newsletters/breakingalert/add/?story={breaking_story.pk}">Send breaking alert<' in page

    confirm = client.get(f"/admin/newsletters/breakingalert/add/?story={breaking_story.pk}").content.decode()
    assert "Send “Fire closes the M1 at Killarney”?" in confirm and "It cannot be sent again" in confirm

    calm = make_story("Library opens on Saturdays")
    assert "Send breaking alert" not in client.get(f"/admin/articles/story/{calm.pk}/change/").content.decode()
