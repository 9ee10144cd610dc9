"""Throttles per address and per account: sign-in, the one-time code, search, feeds, the API, the read beacon."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from articles.models import StoryReadCount
from articles.readership import flush
from audit.models import Action, AuditEntry
from tests.factories import make_staff, make_story, make_totp_device, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NOW = datetime(2026, 3, 2, 9, 0, 7, tzinfo=UTC)
# Accounts that signed in before: a first sign-in is sent on to set up two-step sign-in.
SIGNED_IN_BEFORE = datetime(2026, 1, 5, 9, tzinfo=UTC)
ATTACKER, READER = "203.0.113.9", "198.51.100.7"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def assert_throttled(response, *, longer_than: int = 0, at_most: int = 3600):
    assert response.status_code == 429
    assert longer_than < int(response["Retry-After"]) <= at_most
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response


# --- Sign-in ----------------------------------------------------------------------------------------


def test_password_spraying_from_one_address_is_slowed_then_blocked_while_others_sign_in(settings, clock):
    settings.NEWSROOM_THROTTLE_LOGIN_ADDRESS = "5/m,12/h"
    for number in range(20):
        make_staff(f"reporter{number}", roles=["Reporter"], last_login=SIGNED_IN_BEFORE)
    attacker, colleague = Client(REMOTE_ADDR=ATTACKER), Client(REMOTE_ADDR=READER)
    accounts = iter(f"reporter{number}" for number in range(20))

    answers = [sign_in(attacker, next(accounts), "Summer2026!").status_code for _ in range(5)]
    slowed = sign_in(attacker, next(accounts), "Summer2026!")

    assert answers == [200] * 5  # each a plain "wrong user name or password"
    assert_throttled(slowed, at_most=60)
    assert "Too many failed sign-in attempts" in text(slowed)
    assert_throttled(sign_in(attacker, "reporter19", "Summer2026!"), at_most=60)  # still paused: not recorded again
    assert sign_in(colleague, "reporter19")["Location"] == "/admin/"

    for tries_this_minute in [5, 2]:  # 12 failures in all: the hourly limit
        clock.shift(timedelta(seconds=61))
        for _ in range(tries_this_minute):
            assert sign_in(attacker, next(accounts), "Summer2026!").status_code == 200
    blocked = sign_in(attacker, "reporter18")  # even the right password of an untouched account

    assert_throttled(blocked, longer_than=60)
    paused = AuditEntry.objects.filter(action=Action.THROTTLED).order_by("at")
    assert [(entry.address, entry.details["account"]) for entry in paused] == [
        (ATTACKER, "reporter5"),
        (ATTACKER, "reporter18"),
    ]


def test_many_addresses_guessing_one_account_are_stopped_for_that_account_only(settings):
    settings.NEWSROOM_THROTTLE_LOGIN_ACCOUNT = "3/h"
    make_staff("reporter", roles=["Reporter"], last_login=SIGNED_IN_BEFORE)
    make_staff("colleague", roles=["Reporter"], last_login=SIGNED_IN_BEFORE)
    for number in range(3):
        assert sign_in(Client(REMOTE_ADDR=f"192.0.2.{number}"), "Reporter", "guess").status_code == 200

    stopped = sign_in(Client(REMOTE_ADDR="192.0.2.99"), "reporter")
    other_account = sign_in(Client(REMOTE_ADDR="192.0.2.0"), "colleague")

    assert_throttled(stopped)
    assert other_account["Location"] == "/admin/"


def test_successful_sign_ins_from_one_office_address_are_not_counted(settings):
    settings.NEWSROOM_THROTTLE_LOGIN_ADDRESS = "3/h"
    for number in range(6):
        make_staff(f"reporter{number}", roles=["Reporter"], last_login=SIGNED_IN_BEFORE)

    answers = [sign_in(Client(REMOTE_ADDR=READER), f"reporter{number}") for number in range(6)]

    assert [answer.status_code for answer in answers] == [302] * 6


def test_wrong_one_time_codes_are_limited_per_account(settings, clock):
    settings.NEWSROOM_THROTTLE_CODE_ACCOUNT = "3/m"
    # django-otp's own growing pause after a wrong code is off here, so all four tries fall in one
    # minute window of the throttle whatever the account's id (the windows are fixed per key).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)
    client = Client(REMOTE_ADDR=READER)
    sign_in(client, "editor")
    page = reverse("admin:second_factor")
    for _ in range(3):
        assert client.post(page, {"code": "000000", "next": "/admin/"}).status_code == 200

    paused = client.post(page, {"code": totp_code(device), "next": "/admin/"})

    assert_throttled(paused, at_most=60)
    assert "Too many wrong codes" in text(paused)
    assert client.get("/admin/").status_code == 302  # still not in
    clock.shift(timedelta(seconds=61))
    assert client.post(page, {"code": totp_code(device), "next": "/admin/"})["Location"] == "/admin/"


# --- Reader pages, the API and the beacon -------------------------------------------------------------


def test_search_renders_are_limited_per_address_and_a_429_is_never_cached(settings, page_cache):
    settings.NEWSROOM_THROTTLE_SEARCH = "3/m"
    make_story("Water outage in Soweto")
    attacker, reader = Client(REMOTE_ADDR=ATTACKER), Client(REMOTE_ADDR=READER)
    for word in ["water", "outage", "soweto"]:
        assert attacker.get("/search/", {"q": word}).status_code == 200

    throttled = attacker.get("/search/", {"q": "taxi"})
    stored_before = attacker.get("/search/", {"q": "water"})
    fresh_for_others = reader.get("/search/", {"q": "taxi"})
    again = attacker.get("/search/", {"q": "taxi"})

    assert_throttled(throttled, at_most=60)
    assert "Too many requests" in text(throttled)
    # The page cache answers before the throttle: stored pages cost nothing and are served to anyone.
    assert stored_before.status_code == 200 and stored_before["X-Page-Cache"] == "hit"
    assert fresh_for_others.status_code == 200 and fresh_for_others["X-Page-Cache"] == "miss"
    assert again.status_code == 200 and again["X-Page-Cache"] == "hit"


def test_feeds_are_limited_per_address(settings):
    settings.NEWSROOM_THROTTLE_FEEDS = "2/m"
    make_story("Water outage in Soweto")
    client = Client(REMOTE_ADDR=ATTACKER)

    answers = [client.get(path) for path in ["/feed/", "/feed/atom/", "/feed/"]]

    assert [answer.status_code for answer in answers[:2]] == [200, 200]
    assert_throttled(answers[2], at_most=60)
    assert Client(REMOTE_ADDR=READER).get("/feed/").status_code == 200


def test_api_answers_429_in_json_with_retry_after_and_cors(settings):
    settings.NEWSROOM_THROTTLE_API = "2/m"
    settings.NEWSROOM_API_CORS_ORIGINS = ["*"]
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(2):
        assert client.get("/api/ninjs/stories/").status_code == 200

    throttled = client.get("/api/ninjs/stories/")

    assert_throttled(throttled, at_most=60)
    assert throttled["Content-Type"] == "application/json"
    assert "try again in" in throttled.json()["error"]
    assert throttled["Access-Control-Allow-Origin"] == "*"  # a browser client can read why


def test_read_beacon_is_limited_per_address_and_excess_reads_are_not_counted(settings, clock):
    settings.NEWSROOM_THROTTLE_READS = "2/m"
    stories = [make_story(f"Story {number}", published_at=NOW - timedelta(hours=1)) for number in range(3)]
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_USER_AGENT="Mozilla/5.0")

    answers = [client.post(reverse("articles:story_read", args=[story.pk])) for story in stories]

    assert [answer.status_code for answer in answers] == [204, 204, 429]
    clock.shift(timedelta(minutes=16))
    flush()
    counted = set(StoryReadCount.objects.values_list("story_id", flat=True))
    assert counted == {stories[0].pk, stories[1].pk}


def test_an_empty_setting_switches_a_throttle_off(settings):
    settings.NEWSROOM_THROTTLE_FEEDS = ""
    client = Client(REMOTE_ADDR=ATTACKER)

    assert {client.get("/feed/").status_code for _ in range(5)} == {200}


# --- Addresses behind proxies -----------------------------------------------------------------------


def test_behind_a_proxy_throttles_count_the_real_client_whatever_it_forges(settings):
    settings.NEWSROOM_THROTTLE_FEEDS = "2/m"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    forged = [proxy.get("/feed/", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, {ATTACKER}").status_code for n in range(3)]
    reader = proxy.get("/feed/", HTTP_X_FORWARDED_FOR=READER)

    assert forged == [200, 200, 429]
    assert reader.status_code == 200


def test_without_trusted_proxies_a_client_cannot_escape_by_sending_x_forwarded_for(settings):
    settings.NEWSROOM_THROTTLE_FEEDS = "2/m"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 0
    client = Client(REMOTE_ADDR=ATTACKER)

    answers = [client.get("/feed/", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}").status_code for n in range(3)]

    assert answers == [200, 200, 429]


def test_a_proxy_not_in_the_trusted_list_cannot_choose_the_address(settings):
    settings.NEWSROOM_THROTTLE_FEEDS = "2/m"
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.2"]
    direct = Client(REMOTE_ADDR=ATTACKER)  # reaching the app server without going through the proxy

    answers = [direct.get("/feed/", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}").status_code for n in range(3)]

    assert answers == [200, 200, 429]
