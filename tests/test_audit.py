"""The audit log: what is recorded, by whom and from where, that it holds no secret, and that nobody edits it."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews, publishing
from articles.models import PreviewLink
from audit import record
from audit.models import Action, AuditEntry
from interchange.archive import export_archive
from tests.factories import log_in, make_section, make_staff, make_totp_device, ready_story
from tests.html_forms import form_data
from tests.interchange_samples import WIRE_STORY

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
CHANGELIST = "/admin/audit/auditentry/"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def entries(action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def everything_logged() -> str:
    return str(list(AuditEntry.objects.values()))


def rows(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [row.get_text(" ", strip=True) for row in page.select("#result_list tbody tr")]


# --- Sign-in ------------------------------------------------------------------------------------


def test_a_sign_in_is_recorded_with_the_clients_address():
    reporter = make_staff("reporter", roles=["Reporter"])

    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), "reporter").status_code == 302

    [entry] = entries(Action.SIGNED_IN)
    assert (entry.actor, entry.actor_name, entry.address) == (reporter, "reporter", "198.51.100.7")


def test_failed_sign_ins_keep_the_name_and_address_but_never_the_password():
    reporter = make_staff("reporter", roles=["Reporter"])
    attempt = "Tr0ub4dor&3-my-secret-guess"

    sign_in(Client(REMOTE_ADDR="203.0.113.9"), "reporter", attempt)
    sign_in(Client(REMOTE_ADDR="203.0.113.9"), "nobody-here", attempt)

    known, unknown = entries(Action.SIGN_IN_FAILED)
    assert (known.actor, known.actor_name, known.address) == (reporter, "reporter", "203.0.113.9")
    assert (unknown.actor, unknown.actor_name) == (None, "nobody-here")
    assert attempt not in everything_logged()
    assert PASSWORD not in everything_logged()


def test_a_lockout_is_recorded():
    make_staff("reporter", roles=["Reporter"])
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        sign_in(attacker, "reporter", "guess")

    assert sign_in(attacker, "reporter").status_code == 429

    locked = entries(Action.LOCKED_OUT)
    assert locked and all(entry.address == "203.0.113.9" and entry.actor_name == "reporter" for entry in locked)
    assert len(entries(Action.SIGN_IN_FAILED)) == 6
    assert "guess" not in everything_logged()


def test_the_second_factor_step_is_recorded():
    editor = make_staff("editor", roles=["Editor"])
    make_totp_device(editor)
    client = Client(REMOTE_ADDR="198.51.100.7")
    sign_in(client, "editor")

    client.post(reverse("admin:second_factor"), {"code": "123456"})

    [failed] = entries(Action.SECOND_FACTOR_FAILED)
    assert (failed.actor, failed.address) == (editor, "198.51.100.7")
    assert "123456" not in everything_logged()


# --- Accounts, roles, permissions ------------------------------------------------------------------


def test_creating_an_account_in_the_admin_is_recorded_with_who_did_it(editor_client):
    response = editor_client.post(
        reverse("admin:auth_user_add"),
        {
            "first_name": "Nomsa",
            "last_name": "Dube",
            "email": "nomsa@example.org",
            "username": "newbie",
            "role": "Reporter",
            "password1": "tram-lantern-quietly-47",
            "password2": "tram-lantern-quietly-47",
        },
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.USER_CREATED, object_repr="newbie")
    assert (entry.actor, entry.object_repr) == (editor_client.user, "newbie")
    [role] = entries(Action.ROLES_CHANGED)
    assert (role.actor, role.details) == (editor_client.user, {"added": ["Reporter"], "of": "roles"})
    assert "tram-lantern" not in everything_logged()


def test_roles_permissions_and_deactivation_changed_in_the_admin_are_recorded(editor_client):
    reporter = make_staff("reporter", roles=["Reporter"])
    AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)  # only what the admin does below
    url = reverse("admin:auth_user_change", args=[reporter.pk])
    data = form_data(editor_client.get(url), "user_form", button=("_save", "Save"))
    data["role"] = "Editor"
    data.pop("is_active")

    response = editor_client.post(url, data)

    assert response.status_code == 302
    roles = [entry.details for entry in entries(Action.ROLES_CHANGED)]
    assert sorted(roles, key=str) == [{"added": ["Editor"], "of": "roles"}, {"removed": ["Reporter"], "of": "roles"}]
    [deactivated] = entries(Action.USER_DEACTIVATED)
    assert (deactivated.actor, deactivated.object_repr) == (editor_client.user, "reporter")
    assert all(entry.actor == editor_client.user for entry in AuditEntry.objects.all())


def test_a_deactivated_account_and_a_new_superuser_from_the_shell_are_recorded_as_done_by_no_one():
    reporter = make_staff("reporter", roles=["Reporter"])

    reporter.is_active = False
    reporter.is_superuser = True
    reporter.save()

    [deactivated] = entries(Action.USER_DEACTIVATED)
    assert (deactivated.actor, deactivated.address, deactivated.object_repr) == (None, None, "reporter")
    [promoted] = entries(Action.PERMISSIONS_CHANGED)
    assert promoted.details == {"is_superuser": {"from": False, "to": True}}


def test_changing_a_roles_permissions_is_recorded():
    editors = Group.objects.get(name="Editor")
    delete = Permission.objects.get(codename="delete_story")

    editors.permissions.remove(delete)
    editors.permissions.clear()

    removed = [entry.details for entry in entries(Action.PERMISSIONS_CHANGED)]
    assert removed[0] == {"removed": ["articles.delete_story"], "of": "permissions of the role"}
    assert "articles.publish_story" in removed[1]["removed"]
    assert {entry.object_repr for entry in entries(Action.PERMISSIONS_CHANGED)} == {"Editor"}


def test_roles_loaded_from_a_fixture_or_archive_record_nothing():
    data = serializers.serialize("json", [Group.objects.get(name="Editor")])
    Group.objects.filter(name="Editor").delete()

    for loaded in serializers.deserialize("json", data):
        loaded.save()

    assert Group.objects.get(name="Editor").permissions.filter(codename="publish_story").exists()
    assert not AuditEntry.objects.filter(action=Action.PERMISSIONS_CHANGED).exists()


# --- Publishing, preview links, imports and exports -------------------------------------------------


def test_publish_schedule_unschedule_retract_and_correct_are_recorded_with_the_editor(editor):
    story, later = ready_story("Dam levels drop"), ready_story("Bus routes change")
    now = timezone.now()

    publishing.publish(story=story, by=editor)
    publishing.add_correction(story=story, by=editor, text="The dam is in the north.")
    publishing.retract(story=story, by=editor)
    publishing.publish(story=later, by=editor, at=now + timedelta(days=1))
    publishing.unschedule(story=later, by=editor)

    logged = [(e.action, e.object_repr, e.actor) for e in AuditEntry.objects.filter(object_type__model="story")]
    assert sorted(logged) == sorted(
        [
            (Action.PUBLISHED, "Dam levels drop", editor),
            (Action.CORRECTED, "Dam levels drop", editor),
            (Action.RETRACTED, "Dam levels drop", editor),
            (Action.SCHEDULED, "Bus routes change", editor),
            (Action.UNSCHEDULED, "Bus routes change", editor),
        ]
    )


def test_a_refused_transition_records_nothing(reporter):
    story = ready_story()

    with pytest.raises(PermissionDenied):
        publishing.publish(story=story, by=reporter)

    assert not AuditEntry.objects.filter(action=Action.PUBLISHED).exists()


def test_preview_links_made_and_revoked_in_the_admin_are_recorded_without_their_secret(editor):
    story = ready_story()
    client = log_in(Client(REMOTE_ADDR="198.51.100.7"), editor)
    client.post(f"/admin/articles/story/{story.pk}/share/", {"hours": "24", "note": "legal check"})
    link = PreviewLink.objects.get()

    client.post(f"/admin/articles/story/{story.pk}/share/{link.pk}/revoke/")

    made, revoked = entries(Action.PREVIEW_LINK_CREATED)[0], entries(Action.PREVIEW_LINK_REVOKED)[0]
    assert (made.actor, made.address, made.object_repr, made.details["link"]) == (
        editor,
        "198.51.100.7",
        story.headline,
        link.pk,
    )
    assert (revoked.actor, revoked.details) == (editor, {"link": link.pk, "reason": "by edna"})
    assert link.key not in everything_logged() and previews.token_for(link) not in everything_logged()


def test_each_uploaded_file_is_recorded_as_imported_or_refused(editor_client):
    make_section("News")
    files = [SimpleUploadedFile("wire.txt", WIRE_STORY.encode()), SimpleUploadedFile("broken.json", b'{"uri": "x",')]

    editor_client.post("/admin/interchange/importeditem/upload/", {"files": files})

    [imported], [refused] = entries(Action.IMPORTED), entries(Action.IMPORT_FAILED)
    assert (imported.actor, imported.details["file"], len(imported.details["stories"])) == (
        editor_client.user,
        "wire.txt",
        1,
    )
    assert refused.details["file"] == "broken.json" and "Not valid JSON" in refused.details["error"]


def test_an_archive_export_is_recorded(tmp_path):
    ready_story()

    export_archive(tmp_path / "site.zip", include_media=False)

    [exported] = entries(Action.EXPORTED)
    assert exported.actor is None and exported.details["rows"] > 0


# --- The log in the admin ---------------------------------------------------------------------------


def test_nobody_adds_changes_or_deletes_entries_in_the_admin_not_even_a_superuser(editor_client):
    entry = record(action=Action.EXPORTED, actor=None, details={"rows": 1})
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])

    assert editor_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        editor_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    view = editor_client.get(change)
    assert view.status_code == 200 and not BeautifulSoup(view.content, "html.parser").select("input[type=submit]")
    assert editor_client.post(change, {"action": "signed-in"}).status_code == 403
    listing = BeautifulSoup(editor_client.get(CHANGELIST).content, "html.parser")
    assert listing.select_one("select[name=action]") is None  # no bulk delete
    assert AuditEntry.objects.get(pk=entry.pk).action == Action.EXPORTED
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_admins_read_the_log_and_editors_do_not(admin_member, editor):
    assert log_in(Client(), admin_member).get(CHANGELIST).status_code == 200
    assert log_in(Client(), editor).get(CHANGELIST).status_code == 403


def test_the_log_filters_by_person_action_object_type_and_date_and_searches(editor_client):
    reporter = make_staff("reporter", roles=["Reporter"])
    sign_in(Client(REMOTE_ADDR="203.0.113.9"), "reporter", "wrong")
    story = ready_story("Dam levels drop")
    publishing.publish(story=story, by=editor_client.user)
    today = timezone.localdate()

    by_person = rows(editor_client.get(CHANGELIST, {"actor__id__exact": reporter.pk}))
    by_action = rows(editor_client.get(CHANGELIST, {"action": Action.PUBLISHED}))
    story_type = AuditEntry.objects.get(action=Action.PUBLISHED).object_type_id
    by_type = rows(editor_client.get(CHANGELIST, {"object_type__id__exact": story_type}))
    by_address = rows(editor_client.get(CHANGELIST, {"q": "203.0.113.9"}))
    by_date = rows(editor_client.get(CHANGELIST, {"at__year": today.year, "at__month": today.month}))
    none_before = rows(editor_client.get(CHANGELIST, {"at__year": today.year - 1}))

    assert len(by_person) == 1 and "Sign-in failed" in by_person[0]
    assert len(by_action) == 1 and "Dam levels drop" in by_action[0]
    assert len(by_type) == 1
    assert len(by_address) == 1 and "reporter" in by_address[0]
    assert len(by_date) == AuditEntry.objects.count() and none_before == []
    filters = BeautifulSoup(editor_client.get(CHANGELIST).content, "html.parser").select_one("#changelist-filter")
    assert all(name in filters.get_text() for name in ["By action", "By person", "By object type", "By time"])


def test_entry_details_are_escaped_in_the_admin(editor_client):
    entry = record(action=Action.IMPORT_FAILED, actor=None, details={"file": "<script>alert(1)</script>.txt"})

    page = editor_client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).content.decode()

    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_secret_looking_details_are_never_stored():
    entry = record(action=Action.EXPORTED, actor=None, details={"password": "x", "otp_code": "1", "rows": 2})

    entry.refresh_from_db()
    assert entry.details == {"rows": 2}


# --- Retention ------------------------------------------------------------------------------------


def test_prune_deletes_only_entries_past_the_retention_period_and_records_that_it_did(settings):
    settings.NEWSROOM_AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    old = record(action=Action.EXPORTED, actor=None)
    AuditEntry.objects.filter(pk=old.pk).update(at=now - timedelta(days=31))
    kept = record(action=Action.EXPORTED, actor=None)
    AuditEntry.objects.filter(pk=kept.pk).update(at=now - timedelta(days=29))
    out = io.StringIO()

    call_command("prune_audit_log", stdout=out)

    assert "Deleted 1 audit log entries older than 30 days." in out.getvalue()
    assert not AuditEntry.objects.filter(pk=old.pk).exists() and AuditEntry.objects.filter(pk=kept.pk).exists()
    assert AuditEntry.objects.get(action=Action.PRUNED).details["deleted"] == 1
