"""A lost phone: single-use backup codes shown once, new ones on request, and an admin's recorded reset."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.twofactor import issue_backup_codes
from audit.models import Action, AuditEntry
from tests.factories import log_in, make_staff, make_totp_device, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NOW = datetime(2026, 3, 2, 9, 0, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def shown_codes(response) -> list[str]:
    return [code.get_text() for code in soup(response).select(".backup-codes code")]


def error_notes(response) -> str:
    return " ".join(note.get_text(" ", strip=True) for note in soup(response).select(".errornote"))


def actions_for(user) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(user.pk)).order_by("pk").values_list("action", flat=True))


def test_enrolment_shows_ten_backup_codes_once_after_the_app_is_confirmed(client):
    editor = make_staff("editor", roles=["Editor"])
    sign_in(client, "editor")
    client.get(reverse("admin:second_factor_setup"))
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    done = client.post(reverse("admin:second_factor_setup"), {"code": totp_code(device), "next": "/admin/"})

    assert done.status_code == 200
    codes = shown_codes(done)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(code) == 9 and code[4] == "-" for code in codes)
    assert soup(done).select_one("a.button")["href"] == "/admin/"
    assert done["Cache-Control"].startswith("max-age=0") and "no-store" in done["Cache-Control"]
    assert client.get("/admin/").status_code == 200
    again = client.get(reverse("admin:second_factor_setup"))
    assert again.status_code == 302 and shown_codes(client.get(again["Location"], follow=True)) == []
    assert Action.SECOND_FACTOR_ENROLLED in actions_for(editor)
    assert Action.BACKUP_CODES_ISSUED in actions_for(editor)
    logged = str(list(AuditEntry.objects.values()))
    assert not any(code.replace("-", "") in logged or code in logged for code in codes)


def test_a_backup_code_stands_in_for_the_phone_once(client):
    editor = make_staff("editor", roles=["Editor"])
    make_totp_device(editor)
    code = issue_backup_codes(user=editor)[3]
    sign_in(client, "editor")

    typed = f" {code.upper()} "  # read off paper: any case, the dash, stray spaces
    response = client.post(reverse("admin:second_factor"), {"code": typed, "next": "/admin/"})

    assert response.status_code == 302 and response["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "9 codes are left" in page.content.decode()
    assert AuditEntry.objects.get(action=Action.BACKUP_CODE_USED).details == {"left": 9}

    client.post(reverse("admin:logout"))
    other = Client()
    sign_in(other, "editor")
    replay = other.post(reverse("admin:second_factor"), {"code": code})
    assert replay.status_code == 200
    assert "used before" in error_notes(replay)
    assert other.get("/admin/").status_code == 302
    assert AuditEntry.objects.filter(action=Action.SECOND_FACTOR_FAILED, actor=editor).count() == 1


def test_wrong_backup_codes_are_throttled_like_wrong_app_codes(client, _frozen_clock):
    editor = make_staff("editor", roles=["Editor"])
    make_totp_device(editor)
    code = issue_backup_codes(user=editor)[0]
    sign_in(client, "editor")
    client.post(reverse("admin:second_factor"), {"code": "aaaa-aaaa"})

    throttled = client.post(reverse("admin:second_factor"), {"code": code})

    assert "Too soon after a wrong code" in error_notes(throttled)
    _frozen_clock.shift(timedelta(seconds=2))
    assert client.post(reverse("admin:second_factor"), {"code": code}).status_code == 302


def test_new_backup_codes_replace_the_old_ones_after_a_current_code(client, _frozen_clock):
    editor = make_staff("editor", roles=["Editor"])
    device = make_totp_device(editor)
    old = issue_backup_codes(user=editor)
    log_in(client, editor)
    assert soup(client.get("/admin/")).select_one(f'#user-tools a[href="{reverse("admin:backup_codes")}"]')

    page = client.get(reverse("admin:backup_codes"))
    assert "You have 10 unused backup codes" in page.content.decode()
    assert shown_codes(page) == []
    refused = client.post(reverse("admin:backup_codes"), {"code": "000000"})
    assert "That code is not right" in error_notes(refused) and shown_codes(refused) == []
    _frozen_clock.shift(timedelta(seconds=2))
    renewed = client.post(reverse("admin:backup_codes"), {"code": totp_code(device)})

    new = shown_codes(renewed)
    assert renewed.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=editor).count() == 10
    assert StaticDevice.objects.filter(user=editor).count() == 1
    other = Client()
    sign_in(other, "editor")
    assert other.post(reverse("admin:second_factor"), {"code": old[0]}).status_code == 200
    _frozen_clock.shift(timedelta(seconds=2))
    assert other.post(reverse("admin:second_factor"), {"code": new[0]}).status_code == 302
    assert actions_for(editor).count(Action.BACKUP_CODES_ISSUED) == 2


def test_backup_codes_page_is_for_signed_in_staff_only(client):
    editor = make_staff("editor", roles=["Editor"])
    make_totp_device(editor)
    sign_in(client, "editor")  # password only: the second factor is still owed

    response = client.post(reverse("admin:backup_codes"), {"code": "000000"})

    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert not StaticDevice.objects.exists()


def reset(admin_client, *users):
    return admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk for user in users]},
    )


def test_an_admin_resets_a_colleagues_second_factor_and_it_is_recorded(admin_member):
    editor = make_staff("editor", roles=["Editor"])
    make_totp_device(editor)
    issue_backup_codes(user=editor)
    editor_session = log_in(Client(REMOTE_ADDR="198.51.100.7"), editor)
    admin_client = log_in(Client(REMOTE_ADDR="203.0.113.20"), admin_member)

    response = reset(admin_client, editor)

    assert response.status_code == 302
    assert "Two-step sign-in reset for editor" in admin_client.get(response["Location"]).content.decode()
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert editor_session.get("/admin/").status_code == 302  # the session lost its second factor at once
    entry = AuditEntry.objects.get(action=Action.SECOND_FACTOR_RESET)
    assert (entry.actor, entry.object_repr, entry.address) == (admin_member, "editor", "203.0.113.20")
    assert entry.details == {"devices_removed": 2}
    fresh = Client()
    first = sign_in(fresh, "editor")
    assert fresh.get(first["Location"])["Location"].startswith(reverse("admin:second_factor_setup"))


def test_a_reporter_who_had_chosen_a_second_factor_must_set_it_up_again_after_a_reset(admin_member):
    reporter = make_staff("reporter", roles=["Reporter"])  # a second factor is optional for reporters
    make_totp_device(reporter)
    reset(log_in(Client(), admin_member), reporter)
    client = Client()

    first = sign_in(client, "reporter")

    assert first["Location"].startswith(reverse("admin:second_factor"))
    setup = client.get(client.get(first["Location"])["Location"])
    assert setup.status_code == 200 and soup(setup).select_one(".qr-code svg") is not None
    assert client.get("/admin/").status_code == 302
    device = TOTPDevice.objects.get(user=reporter)
    done = client.post(reverse("admin:second_factor_setup"), {"code": totp_code(device), "next": "/admin/"})
    assert len(shown_codes(done)) == 10
    assert client.get("/admin/").status_code == 200


def test_nobody_resets_their_own_second_factor_and_only_superusers_reset_a_superusers(admin_member):
    boss = make_staff("boss", is_superuser=True)
    make_totp_device(boss)
    admin_client = log_in(Client(), admin_member)

    response = reset(admin_client, admin_member, boss)

    assert "Not reset (your own, or a superuser" in admin_client.get(response["Location"]).content.decode()
    assert TOTPDevice.objects.filter(user__in=[admin_member, boss]).count() == 2
    assert not AuditEntry.objects.filter(action=Action.SECOND_FACTOR_RESET).exists()


def test_editors_cannot_reset_anyones_second_factor(editor):
    reporter = make_staff("reporter", roles=["Reporter"])
    make_totp_device(reporter)
    client = log_in(Client(), editor)

    response = reset(client, reporter)

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=reporter).exists()


def test_no_admin_page_adds_or_shows_devices(admin_client_superuser):
    for url in [
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_totp/totpdevice/add/",
        "/admin/otp_static/staticdevice/add/",
    ]:
        assert admin_client_superuser.get(url).status_code == 404, url


@pytest.fixture
def admin_client_superuser(editor_client):
    return editor_client
