"""The newsletter's real messages through a real SMTP server on 127.0.0.1 (aiosmtpd), configured the way
production is, by EMAIL_URL: the headers, both parts, and that the unsubscribe links in them work."""

import email
import socket
from email import policy

import environ
import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from newsletters import sending
from newsletters.models import Issue, IssueStory, Subscription
from tests.factories import make_story
from tests.newsletter_helpers import links_in, make_list, path_of, publication_with_address, subscribe_confirmed

pytestmark = pytest.mark.django_db


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    # The settings module reads EMAIL_URL with django-environ; the same parse, for this server.
    config = environ.Env.email_url_config(f"smtp://127.0.0.1:{controller.port}")
    for name, value in config.items():
        setattr(settings, name, value)
    yield inbox
    controller.stop()


def test_an_issue_arrives_at_a_real_smtp_server_with_working_unsubscribe_links(smtp_server, settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    publication_with_address()
    briefing = make_list()
    subscribe_confirmed(briefing, "thandi@example.org", "pieter@example.org")
    issue = Issue.objects.create(newsletter=briefing, subject="Wednesday: water back in Soweto")
    story = make_story("Water is back in Soweto", standfirst="Rand Water finished the repair overnight.")
    IssueStory.objects.create(issue=issue, story=story)

    sending.send_now(issue, by=None)

    assert sorted(rcpt for rcpts, _message in smtp_server.received for rcpt in rcpts) == [
        "pieter@example.org",
        "thandi@example.org",
    ]
    rcpts, message = next(item for item in smtp_server.received if item[0] == ["thandi@example.org"])
    assert message["Subject"] == "Wednesday: water back in Soweto"
    assert message["From"] == "Highveld Herald <newsletters@localhost>"
    assert message["List-Id"] == "The Morning Herald <daily-briefing.herald.example>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Water is back in Soweto" in text and "Rand Water finished the repair overnight." in html
    assert "14 Jorissen Street, Braamfontein" in text and "14 Jorissen Street, Braamfontein" in html
    one_click = "".join(str(message["List-Unsubscribe"]).split()).strip("<>")  # the header may be folded
    assert one_click in text and one_click in html

    # The mail program's one-click unsubscribe: a POST without any cookie or CSRF token.
    response = Client(enforce_csrf_checks=True).post(path_of(one_click), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert list(Subscription.objects.values_list("subscriber__email", flat=True)) == ["pieter@example.org"]

    # The other reader follows the link in the text part and presses the button.
    _rcpts, other = next(item for item in smtp_server.received if item[0] == ["pieter@example.org"])
    link = links_in(other.get_body(("plain",)).get_content(), "/newsletters/unsubscribe/")[0]
    assert link != one_click
    reader = Client(enforce_csrf_checks=True)
    assert "Unsubscribe from The Morning Herald?" in reader.get(path_of(link)).content.decode()
    assert reader.post(path_of(link)).status_code == 200
    assert not Subscription.objects.exists()


def test_the_confirmation_message_arrives_and_its_link_confirms(smtp_server):
    publication_with_address()
    briefing = make_list()
    Client().post("/newsletters/subscribe/", {"email": "lerato@example.org", "lists": [briefing.pk]})

    ((rcpts, message),) = smtp_server.received
    assert rcpts == ["lerato@example.org"]
    assert message.get_content_type() == "multipart/alternative"
    link = links_in(message.get_body(("plain",)).get_content(), "/newsletters/confirm/")[0]
    assert link in message.get_body(("html",)).get_content()
    assert Client().post(path_of(link)).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None
