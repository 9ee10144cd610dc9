"""A deactivated account is signed out everywhere at once: its sessions are deleted from the shared store."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.sessions import end_sessions
from tests.factories import log_in, make_staff

pytestmark = pytest.mark.django_db


def sessions_of(user) -> int:
    return sum(1 for session in Session.objects.all() if session.get_decoded().get("_auth_user_id") == str(user.pk))


def test_deactivating_an_account_deletes_its_sessions_on_every_device(django_capture_on_commit_callbacks):
    editor, colleague = make_staff("editor", roles=["Editor"]), make_staff("colleague", roles=["Editor"])
    laptop, phone, other = log_in(Client(), editor), log_in(Client(), editor), log_in(Client(), colleague)
    assert sessions_of(editor) == 2

    with django_capture_on_commit_callbacks(execute=True):
        editor.is_active = False
        editor.save()

    assert sessions_of(editor) == 0
    assert laptop.get("/admin/").status_code == 302 and phone.get("/admin/").status_code == 302
    assert sessions_of(colleague) == 1 and other.get("/admin/").status_code == 200


def test_deactivating_in_the_user_admin_signs_the_user_out(editor_client, django_capture_on_commit_callbacks):
    reporter = make_staff("reporter", roles=["Reporter"])
    client = log_in(Client(), reporter)
    form = editor_client.get(f"/admin/auth/user/{reporter.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data |= {"groups": [group.pk for group in reporter.groups.all()], "is_active": "", "user_permissions": []}
    data |= {"date_joined_0": reporter.date_joined.date().isoformat(), "date_joined_1": "09:00:00"}

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/auth/user/{reporter.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert sessions_of(reporter) == 0
    assert client.get("/admin/").status_code == 302


def test_an_inactive_account_is_refused_on_every_request_even_if_its_session_survived():
    editor = make_staff("editor", roles=["Editor"])
    client = log_in(Client(), editor)

    type(editor).objects.filter(pk=editor.pk).update(is_active=False)  # no signal: the session row stays

    assert sessions_of(editor) == 1
    assert client.get("/admin/").status_code == 302


def test_end_sessions_with_cache_sessions_leaves_the_check_to_each_request(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    editor = make_staff("editor", roles=["Editor"])
    client = log_in(Client(), editor)

    assert end_sessions(editor) == 0  # a cache cannot be listed
    type(editor).objects.filter(pk=editor.pk).update(is_active=False)
    assert client.get("/admin/").status_code == 302


def test_cached_db_sessions_are_removed_from_the_cache_too(settings, django_capture_on_commit_callbacks):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    editor = make_staff("editor", roles=["Editor"])
    client = log_in(Client(), editor)
    assert client.get("/admin/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        editor.is_active = False
        editor.save()
    editor.is_active = True  # even if someone reactivates the account at once, the old sessions are gone
    editor.save()

    assert client.get("/admin/").status_code == 302
