"""Roles enforced on the server for every admin route: allowed works, forbidden is 403/404 and changes nothing."""

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict

from articles import publishing
from articles.models import Correction, PreviewLink, Quote, Story, StoryAutosave
from tests.factories import log_in, make_person, make_quote, make_story, make_user, ready_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def db_state(story):
    """Everything a forbidden request might try to change about a story."""
    story = Story.objects.get(pk=story.pk)
    return (
        model_to_dict(story, exclude=["tags", "related"]),
        story.version,
        sorted(story.tags.names()),
        list(story.bylines.values_list("author_id", "position")),
        list(story.quotes.values_list("person_id", "text")),
        Correction.objects.count(),
        PreviewLink.objects.count(),
        StoryAutosave.objects.count(),
        story.history.count(),
    )


def story_routes(story):
    base = f"/admin/articles/story/{story.pk}"
    revision = story.history.last().history_id
    return [
        ("get", f"{base}/change/", {}),
        ("post", f"{base}/change/", {"headline": "Hijacked", "status": "published"}),
        ("get", f"{base}/history/", {}),
        ("get", f"{base}/history/compare/?from={revision}&to={revision}", {}),
        ("post", f"{base}/history/{revision}/restore/", {}),
        ("get", f"{base}/delete/", {}),
        ("post", f"{base}/delete/", {"post": "yes"}),
        ("get", f"{base}/preview/", {}),
        ("get", f"{base}/share/", {}),
        ("post", f"{base}/share/", {"hours": "72", "note": ""}),
        ("get", f"{base}/correct/", {}),
        ("post", f"{base}/correct/", {"kind": "correction", "text": "Sneaky"}),
        ("post", f"{base}/autosave/", {"headline": "Hijacked"}),
        ("get", f"{base}/reads/", {}),
    ]


def test_the_roles_exist_with_their_permissions():
    reporter = set(Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    admin = set(Group.objects.get(name="Admin").permissions.values_list("codename", flat=True))
    assert {"add_story", "change_story", "add_person", "add_quote", "add_tag", "add_image"} <= reporter
    assert not {"publish_story", "edit_any_story", "add_correction", "change_user", "view_user"} & reporter
    assert {"publish_story", "edit_any_story", "add_correction", "change_section", "change_source"} <= editor
    assert not {"change_user", "view_user", "change_group", "change_publication", "change_sociallink"} & editor
    assert {"add_series", "change_series", "change_seriesstory", "view_storyreadcount"} <= editor
    assert {"view_series", "view_seriesstory"} <= reporter
    assert not {"add_series", "change_series", "delete_seriesstory", "view_storyreadcount"} & reporter
    assert {"change_user", "add_user", "change_group", "change_publication", "change_sociallink"} <= admin


@pytest.mark.parametrize("route", range(14))
def test_a_reporter_gets_404_for_every_route_of_another_reporters_story(client, reporter, other_reporter, route):
    story = ready_story("Oscar's scoop", created_by=other_reporter)
    method, url, data = story_routes(story)[route]
    before = db_state(story)
    log_in(client, reporter)

    response = getattr(client, method)(url, data)

    assert response.status_code == 404
    assert "Oscar&#x27;s scoop" not in response.content.decode() and "Oscar's scoop" not in response.content.decode()
    assert db_state(story) == before


def test_a_reporter_sees_only_their_own_stories_in_the_list(client, reporter, other_reporter):
    ready_story("Rita's draft", created_by=reporter)
    ready_story("Oscar's draft", created_by=other_reporter)
    bylined = ready_story("Co-written", created_by=other_reporter, authors=[reporter.author])
    log_in(client, reporter)

    page = BeautifulSoup(client.get("/admin/articles/story/").content, "html.parser")

    headlines = {a.get_text() for a in page.select("#result_list tbody th a")}
    assert headlines == {"Rita's draft", "Co-written"}
    assert client.get(f"/admin/articles/story/{bylined.pk}/change/").status_code == 200
    autocomplete = client.get(
        "/admin/autocomplete/", {"app_label": "articles", "model_name": "story", "field_name": "related", "term": ""}
    )
    assert "Oscar&#x27;s draft" not in autocomplete.content.decode() and "Oscar's draft" not in autocomplete.json().get(
        "results", []
    )


def test_a_reporter_posting_status_or_another_author_changes_neither(client, reporter, other_reporter):
    story = ready_story("Rita's draft", created_by=reporter)
    log_in(client, reporter)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")
    data.update(
        headline="Rita's better draft",
        status="published",
        published_at_0="2020-01-01",
        published_at_1="10:00",
        publish_at_0="2020-01-01",
        publish_at_1="10:00",
        created_by=other_reporter.pk,
        editor_note="I approve myself",
        embargo_until_0="2030-01-01",
        embargo_until_1="10:00",
    )

    response = client.post(f"/admin/articles/story/{story.pk}/change/", data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Rita's better draft"
    assert story.status == Story.Status.DRAFT and story.published_at is None
    assert story.created_by == reporter and story.editor_note == "" and story.embargo_until is None


def test_a_reporter_sees_publishing_fields_read_only(client, reporter):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)
    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/change/").content, "html.parser")

    assert page.select_one(".field-status_label .readonly").get_text(strip=True) == "Draft"
    assert page.select_one(".field-embargo_until .readonly") is not None
    for name in ("status", "published_at_0", "publish_at_0", "embargo_until_0", "editor_note", "home_position"):
        assert page.find(attrs={"name": name}) is None, name
    buttons = [b["value"] for b in page.select("button[name=_transition]")]
    assert set(buttons) == {"submit"}


def test_a_reporter_pressing_publish_gets_403_and_nothing_changes(client, reporter):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")
    before = db_state(story)

    response = client.post(
        f"/admin/articles/story/{story.pk}/change/", {**data, "headline": "Changed", "_transition": "publish"}
    )

    assert response.status_code == 403
    assert db_state(story) == before


def test_a_reporter_cannot_use_publish_actions_from_the_list(client, reporter):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)
    page = BeautifulSoup(client.get("/admin/articles/story/").content, "html.parser")
    actions = {option["value"] for option in page.select("select[name=action] option") if option["value"]}
    assert actions == {"delete_selected", "submit_selected"}
    before = db_state(story)

    response = client.post(
        "/admin/articles/story/", {"action": "publish_selected", "_selected_action": [story.pk]}, follow=True
    )

    assert response.status_code == 200
    assert db_state(story) == before


def test_a_reporter_cannot_edit_or_delete_their_own_published_story(client, reporter):
    story = make_story("Rita's published story", created_by=reporter)
    log_in(client, reporter)
    before = db_state(story)

    view = client.get(f"/admin/articles/story/{story.pk}/change/")
    assert view.status_code == 200
    assert BeautifulSoup(view.content, "html.parser").find("input", attrs={"name": "headline"}) is None
    assert client.post(f"/admin/articles/story/{story.pk}/change/", {"headline": "Edited"}).status_code == 403
    assert client.post(f"/admin/articles/story/{story.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/articles/story/{story.pk}/autosave/", {"headline": "x"}).status_code == 403
    assert client.post(f"/admin/articles/story/{story.pk}/correct/", {"text": "x"}).status_code == 403
    assert db_state(story) == before


def test_a_reporter_may_delete_their_own_draft(client, reporter):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)
    assert client.post(f"/admin/articles/story/{story.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()


def test_the_bulk_delete_action_skips_nothing_silently(client, reporter, editor):
    mine = ready_story(created_by=reporter)
    published = make_story("Published and bylined", created_by=reporter)
    log_in(client, reporter)

    response = client.post(
        "/admin/articles/story/",
        {"action": "delete_selected", "_selected_action": [mine.pk, published.pk], "post": "yes"},
    )

    assert response.status_code in (200, 403)
    assert Story.objects.filter(pk__in=[mine.pk, published.pk]).count() == 2


def test_an_editor_can_use_every_route_of_any_story(client, editor, reporter):
    story = make_story("Published story", created_by=reporter, authors=[reporter.author])
    log_in(client, editor)
    base = f"/admin/articles/story/{story.pk}"
    for url in ["/change/", "/history/", "/preview/", "/share/", "/correct/"]:
        assert client.get(base + url).status_code == 200, url
    assert client.post(base + "/correct/", {"kind": "correction", "text": "We got the date wrong."}).status_code == 302
    assert client.post(base + "/share/", {"hours": "72"}).status_code == 302
    assert client.post(base + "/autosave/", {"headline": "Draft headline"}).status_code == 200
    assert story.corrections.count() == 1 and story.preview_links.count() == 1


def test_nobody_deletes_a_published_story(client, editor):
    story = make_story()
    log_in(client, editor)
    assert client.post(f"/admin/articles/story/{story.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Story.objects.filter(pk=story.pk).exists()


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_only_admins_manage_users(client, request, role, admin_member):
    user = request.getfixturevalue(role)
    victim = make_user("victim", is_staff=True)
    log_in(client, user)

    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(f"/admin/auth/user/{victim.pk}/change/").status_code == 403
    assert client.post(f"/admin/auth/user/{victim.pk}/change/", {"is_superuser": "on"}).status_code == 403
    assert client.get("/admin/articles/publication/").status_code == 403
    victim.refresh_from_db()
    assert not victim.is_superuser

    log_in(client, admin_member)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get(f"/admin/auth/user/{victim.pk}/change/").status_code == 200
    assert client.get("/admin/articles/sociallink/").status_code == 200


def test_a_deactivated_users_session_stops_working_at_once(client, editor):
    log_in(client, editor)
    assert client.get("/admin/").status_code == 200

    editor.is_active = False
    editor.save()

    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    story = ready_story()
    client.post("/admin/articles/story/", {"action": "publish_selected", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_an_editor_publishes_from_the_story_form(client, editor):
    story = ready_story()
    log_in(client, editor)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")

    response = client.post(f"/admin/articles/story/{story.pk}/change/", {**data, "_transition": "publish"})

    assert response.status_code == 302 and response["Location"] == f"/admin/articles/story/{story.pk}/change/"
    story.refresh_from_db()
    assert story.is_published() and story.published_by == editor


def test_the_story_form_shows_the_checklist_and_refuses_to_publish_with_every_reason(client, editor):
    story = make_story("Unready", status=Story.Status.DRAFT, standfirst="")
    log_in(client, editor)
    page = client.get(f"/admin/articles/story/{story.pk}/change/")
    checklist = [li.get_text() for li in BeautifulSoup(page.content, "html.parser").select(".checklist li")]
    assert checklist == [
        "Add at least one byline, or choose the source whose name stands as the byline.",
        "Choose a section.",
        "Write a standfirst.",
    ]

    response = client.post(
        f"/admin/articles/story/{story.pk}/change/",
        {**form_data(page, "story_form"), "_transition": "publish"},
        follow=True,
    )

    shown = [m.message for m in response.context["messages"]]
    assert shown[1:] == checklist
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_list_actions_publish_and_report_refusals(client, editor):
    ready = ready_story("Ready")
    unready = make_story("Unready", status=Story.Status.DRAFT)
    log_in(client, editor)

    response = client.post(
        "/admin/articles/story/",
        {"action": "publish_selected", "_selected_action": [ready.pk, unready.pk]},
        follow=True,
    )

    messages = [m.message for m in response.context["messages"]]
    assert any(message.startswith("“Unready” was not published") for message in messages)
    assert "1 story published." in messages
    assert Story.objects.published().get() == ready


def test_workflow_functions_record_the_user_in_history(reporter):
    story = ready_story(created_by=reporter)
    publishing.submit_for_review(story=story, by=reporter)
    assert story.history.first().history_user == reporter


def test_a_reporter_cannot_reach_another_storys_quotes_or_bylines_through_their_own_form(
    client, reporter, other_reporter
):
    mine = ready_story("Rita's draft", created_by=reporter)
    theirs = ready_story("Oscar's draft", created_by=other_reporter)
    their_quote = make_quote(theirs, make_person("Source"), "Oscar's exclusive quote.")
    before = db_state(theirs)
    log_in(client, reporter)
    data = form_data(client.get(f"/admin/articles/story/{mine.pk}/change/"), "story_form")
    data.update(
        {
            "quotes-TOTAL_FORMS": "1",
            "quotes-INITIAL_FORMS": "1",
            "quotes-0-id": their_quote.pk,
            "quotes-0-story": mine.pk,
            "quotes-0-person": their_quote.person_id,
            "quotes-0-text": "Rewritten by Rita",
            "quotes-0-position": "0",
        }
    )

    response = client.post(f"/admin/articles/story/{mine.pk}/change/", data)

    assert response.status_code in (200, 302)  # Django drops a row whose id is not one of this story's
    assert not Quote.objects.filter(text="Rewritten by Rita").exists()
    assert db_state(theirs) == before
    their_quote.refresh_from_db()
    assert their_quote.text == "Oscar's exclusive quote." and their_quote.story == theirs


def test_every_permission_check_names_its_permission_by_a_constant_in_roles():
    """``user.has_perm("articles.publish_story")`` written out in a module is a second place for the rule."""
    raw = []
    for app in ("accounts", "articles", "audit", "embeds", "interchange", "jobs", "media", "newsletters", "newsroom"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                called = getattr(getattr(node, "func", None), "attr", None)
                if called in ("has_perm", "has_perms"):
                    strings = [n for arg in node.args for n in ast.walk(arg) if isinstance(n, ast.Constant)]
                    raw += [f"{path.name}:{node.lineno}" for found in strings if isinstance(found.value, str)]
    assert raw == []
