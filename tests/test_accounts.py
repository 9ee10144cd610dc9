"""Staff sign-in: password, second factor, lockout, and sessions that end when they should."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.client_ip import client_ip
from tests.factories import log_in, make_staff, make_totp_device, make_user, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NOW = datetime(2026, 3, 2, 9, 0, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    """One-time codes depend on the clock: every test here runs at a known instant."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **extra)


def error_notes(response) -> list[str]:
    return [note.get_text(" ", strip=True) for note in soup(response).select(".errornote")]


# --- Second factor --------------------------------------------------------------------------------


def test_editor_password_alone_leads_to_the_code_page_not_the_admin(client, _frozen_clock):
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)

    response = sign_in(client, "editor")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:second_factor"))
    assert client.get("/admin/").status_code == 302  # still not in
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert soup(page).select_one("input[name=code]")["autocomplete"] == "one-time-code"

    wrong = client.post(response["Location"], {"code": "000000", "next": "/admin/"})
    assert "That code is not right" in " ".join(error_notes(wrong))
    assert client.get("/admin/").status_code == 302

    _frozen_clock.shift(timedelta(seconds=2))  # a wrong code pauses verification for a second
    right = client.post(response["Location"], {"code": totp_code(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_code_cannot_be_used_twice(client):
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)
    code = totp_code(device)
    sign_in(client, "editor")
    client.post(reverse("admin:second_factor"), {"code": code})
    client.post(reverse("admin:logout"))

    other = Client()
    sign_in(other, "editor")
    replay = other.post(reverse("admin:second_factor"), {"code": code})

    assert replay.status_code == 200
    assert other.get("/admin/").status_code == 302


def test_repeated_wrong_codes_are_throttled_for_the_wait_the_page_states(client, _frozen_clock):
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)
    sign_in(client, "editor")
    client.post(reverse("admin:second_factor"), {"code": "111111"})

    throttled = " ".join(error_notes(client.post(reverse("admin:second_factor"), {"code": totp_code(device)})))

    assert "Wait 1 second, then try the newest code." in throttled
    assert "minute" not in throttled
    assert client.get("/admin/").status_code == 302

    _frozen_clock.shift(timedelta(seconds=2))
    client.post(reverse("admin:second_factor"), {"code": "111111"})
    again = " ".join(error_notes(client.post(reverse("admin:second_factor"), {"code": totp_code(device)})))

    assert "Wait 2 seconds, then try the newest code." in again
    assert client.get("/admin/").status_code == 302


def test_a_long_run_of_wrong_codes_states_the_wait_in_minutes(client):
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)
    device.throttling_failure_count = 8  # the pause doubles with each wrong code: 128 seconds after the eighth
    device.throttling_failure_timestamp = NOW
    device.save()
    sign_in(client, "editor")

    throttled = " ".join(error_notes(client.post(reverse("admin:second_factor"), {"code": totp_code(device)})))

    assert "Wait 3 minutes, then try the newest code." in throttled


def test_editor_without_a_device_enrols_with_a_qr_code_then_is_in(client):
    make_staff("editor", roles=["Editor"])

    first = sign_in(client, "editor")
    setup = client.get(client.get(first["Location"])["Location"])

    assert setup.status_code == 200
    page = soup(setup)
    assert page.select_one(".qr-code svg path") is not None
    device = TOTPDevice.objects.get(user__username="editor", confirmed=False)
    secret = page.select_one("#totp-secret code").get_text()
    assert len(secret) == 32 and secret.isalnum()

    done = client.post(reverse("admin:second_factor_setup"), {"code": totp_code(device), "next": "/admin/"})

    assert done.status_code == 200  # the backup codes, shown this once (tests/test_two_factor_recovery.py)
    assert soup(done).select_one("a.button")["href"] == "/admin/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_cannot_add_a_second_device(client):
    editor = make_staff("editor", roles=["Editor"])
    make_totp_device(editor)
    sign_in(client, "editor")

    response = client.get(reverse("admin:second_factor_setup"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:second_factor"))
    assert TOTPDevice.objects.filter(user=editor).count() == 1


@pytest.mark.parametrize(
    ("roles", "superuser"), [(["Admin"], False), (["Editor"], False), ([], True), ([], False)], ids=str
)
def test_editors_admins_superusers_and_unassigned_staff_need_the_second_factor(client, roles, superuser):
    make_staff("someone", roles=roles, is_superuser=superuser)

    response = sign_in(client, "someone")

    assert response["Location"].startswith(reverse("admin:second_factor"))


def test_reporter_signs_in_with_password_only_by_default(client):
    # Signed in before: the first sign-in offers the second factor (tests/test_staff_accounts.py).
    make_staff("reporter", roles=["Reporter"], last_login=NOW - timedelta(days=1))

    response = sign_in(client, "reporter")

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_reporters_need_the_second_factor_when_the_newsroom_asks(client, settings):
    settings.NEWSROOM_OTP_REQUIRED_FOR_REPORTERS = True
    make_staff("reporter", roles=["Reporter"])

    response = sign_in(client, "reporter")

    assert response["Location"].startswith(reverse("admin:second_factor"))
    assert client.get("/admin/").status_code == 302


def test_reporter_who_enrolled_a_device_is_always_asked_for_it(client):
    reporter = make_staff("reporter", roles=["Reporter"])
    make_totp_device(reporter)

    response = sign_in(client, "reporter")

    assert response["Location"].startswith(reverse("admin:second_factor"))


def test_half_signed_in_session_is_anonymous_and_login_page_forwards_to_the_code(client):
    make_totp_device(make_staff("editor", roles=["Editor"]))
    sign_in(client, "editor")

    login_page = client.get(reverse("admin:login"))
    story_list = client.get(reverse("admin:articles_story_changelist"))

    assert login_page["Location"].startswith(reverse("admin:second_factor"))
    assert story_list.status_code == 302 and story_list["Location"].startswith(reverse("admin:login"))


def test_code_page_never_redirects_off_site(client):
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)
    sign_in(client, "editor")

    response = client.post(reverse("admin:second_factor") + "?next=https://evil.example/", {"code": totp_code(device)})

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_cancel_on_the_code_page_signs_out(client):
    make_totp_device(make_staff("editor", roles=["Editor"]))
    sign_in(client, "editor")

    client.post(reverse("admin:second_factor"), {"sign_out": "1"})

    assert client.get(reverse("admin:second_factor"))["Location"].startswith(reverse("admin:login"))


def test_test_helper_signs_staff_in_completely(client):
    log_in(client, make_staff("editor", roles=["Editor"]))

    assert client.get("/admin/").status_code == 200


# --- Password and lockout -------------------------------------------------------------------------


def test_unknown_user_and_wrong_password_get_the_same_answer(client):
    make_staff("editor", roles=["Editor"])

    unknown = sign_in(client, "nobody-here")
    wrong = sign_in(client, "editor", "not-the-password")

    assert unknown.status_code == wrong.status_code == 200
    assert error_notes(unknown) == error_notes(wrong) != []


def test_locked_after_five_failures_from_one_address_but_not_from_another():
    make_staff("reporter", roles=["Reporter"], last_login=NOW - timedelta(days=1))
    attacker, reporter = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        sign_in(attacker, "reporter", "guess")

    locked = sign_in(attacker, "reporter")  # even the right password
    elsewhere = sign_in(reporter, "reporter")

    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in soup(locked).select_one(".errornote").get_text()
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"


def test_lockout_page_carries_the_newsroom_name_and_says_how_many_minutes_to_wait(settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    make_staff("reporter", roles=["Reporter"])
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        sign_in(client, "reporter", "guess")

    page = soup(sign_in(client, "reporter"))

    assert page.select_one("#site-name").get_text(strip=True) == "Newsroom"
    assert "Django" not in page.get_text()
    assert "Sign-in is paused for 15 minutes." in page.select_one("#content-main").get_text(" ", strip=True)


def test_lockout_lifts_after_the_cool_off(_frozen_clock):
    make_staff("reporter", roles=["Reporter"], last_login=NOW - timedelta(days=1))
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        sign_in(client, "reporter", "guess")
    assert sign_in(client, "reporter").status_code == 429

    _frozen_clock.shift(timedelta(minutes=16))

    assert sign_in(client, "reporter")["Location"] == "/admin/"


def test_lockout_of_unknown_and_known_names_looks_the_same():
    make_staff("reporter", roles=["Reporter"])
    client = Client(REMOTE_ADDR="203.0.113.9")
    for name in ["reporter", "ghost"]:
        for _ in range(5):
            sign_in(client, name, "guess")

    known, unknown = sign_in(client, "reporter", "guess"), sign_in(client, "ghost", "guess")

    assert known.status_code == unknown.status_code == 429
    assert error_notes(known) == error_notes(unknown)


def test_behind_a_proxy_the_lockout_follows_the_real_client_not_forged_headers(settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.2"]
    make_staff("reporter", roles=["Reporter"])
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for attempt in range(5):  # the attacker varies the part of the header they control
        sign_in(proxy, "reporter", "guess", HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}, 203.0.113.9")

    attacker = sign_in(proxy, "reporter", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.9")
    reporter = sign_in(proxy, "reporter", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert attacker.status_code == 429
    assert reporter.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(settings, proxies, forwarded, expected):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = proxies
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_weak_passwords_are_refused():
    user = make_user("thandi")
    for weak in ["password1", "12345678901", "thandi2026", "short"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("tram-lantern-quietly-47", user)


# --- Sessions end ---------------------------------------------------------------------------------


def test_logout_ends_the_session_everywhere_it_was_copied(client):
    editor = make_staff("editor", roles=["Editor"])
    log_in(client, editor)
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)
    assert stolen.get("/admin/").status_code == 200

    client.post(reverse("admin:logout"))

    assert client.get("/admin/").status_code == 302
    assert stolen.get("/admin/").status_code == 302


def test_deactivated_user_is_out_at_once(client):
    editor = make_staff("editor", roles=["Editor"])
    log_in(client, editor)

    editor.is_active = False
    editor.save()

    assert client.get("/admin/").status_code == 302


def test_password_change_ends_the_other_sessions_but_keeps_the_one_that_changed_it():
    editor = make_staff("editor", roles=["Editor"])
    laptop, phone = log_in(Client(), editor), log_in(Client(), editor)

    new = "tram-lantern-quietly-47"
    response = phone.post(
        reverse("admin:password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )

    assert response.status_code == 302
    assert phone.get("/admin/").status_code == 200
    assert laptop.get("/admin/").status_code == 302


def test_password_reset_by_an_admin_ends_the_users_sessions(editor_client):
    reporter = make_staff("reporter", roles=["Reporter"])
    client = log_in(Client(), reporter)

    response = editor_client.post(
        reverse("admin:auth_user_password_change", args=[reporter.pk]),
        {"password1": "tram-lantern-quietly-47", "password2": "tram-lantern-quietly-47"},
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
