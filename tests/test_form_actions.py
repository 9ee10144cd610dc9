"""The story form's buttons: one primary action per state and role, the rest in a menu, all checked on the server."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles import form_actions
from articles.models import Byline, Story
from tests.factories import log_in, make_story, ready_story
from tests.html_forms import form_data
from tests.test_roles import db_state

pytestmark = pytest.mark.django_db

MENU = ["Save and close", "Save and start another story"]


def labels(buttons):
    return [button.label for button in buttons]


def story_in(state: str, created_by) -> Story:
    now = timezone.now()
    if state == "new":
        return Story(created_by=created_by)
    if state == "scheduled":
        return ready_story(created_by=created_by, status=Story.Status.PUBLISHED, published_at=now + timedelta(days=1))
    if state == "live":
        return ready_story(created_by=created_by, status=Story.Status.PUBLISHED, published_at=now - timedelta(hours=1))
    return ready_story(created_by=created_by, status=state)


@pytest.mark.parametrize(
    ("role", "state", "main", "menu"),
    [
        ("reporter", "new", ["Save draft", "Submit for review"], MENU),
        ("reporter", Story.Status.DRAFT, ["Save draft", "Submit for review"], MENU),
        ("reporter", Story.Status.SUBMITTED, ["Save changes"], MENU),
        ("editor", "new", ["Save draft", "Publish"], ["Submit for review", *MENU]),
        ("editor", Story.Status.DRAFT, ["Save draft", "Publish"], ["Submit for review", *MENU]),
        ("editor", Story.Status.SUBMITTED, ["Save changes", "Publish"], ["Return to reporter", *MENU]),
        ("editor", "scheduled", ["Save changes", "Schedule"], ["Cancel schedule", *MENU]),
        ("editor", "live", ["Update"], ["Retract", *MENU]),
        ("editor", Story.Status.RETRACTED, ["Save changes"], ["Publish", *MENU]),
    ],
)
def test_each_state_and_role_has_one_primary_action_and_a_menu_for_the_rest(request, role, state, main, menu):
    user = request.getfixturevalue(role)
    story = story_in(state, created_by=user)

    buttons = form_actions.story_buttons(story, user, can_add=True)

    assert labels(buttons.main) == main
    assert buttons.primary.label == main[-1]
    assert labels(buttons.menu) == menu


def test_the_publish_button_says_schedule_once_a_later_time_is_typed(editor):
    publish = form_actions.story_buttons(story_in(Story.Status.DRAFT, editor), editor).primary

    assert (publish.name, publish.value) == ("_transition", "publish")
    assert (publish.label_now, publish.label_later) == ("Publish", "Schedule")


def test_a_reporter_files_from_two_buttons_and_enter_in_a_field_saves_a_draft(client, reporter):
    log_in(client, reporter)

    page = BeautifulSoup(client.get("/admin/articles/story/add/").content, "html.parser")

    rows = page.select("#story_form .story-actions")
    assert len(rows) == 2  # above and below the form
    for row in rows:
        main = row.find_all("button", recursive=False)
        assert [b.get_text(strip=True) for b in main] == ["Save draft", "Submit for review"]
        assert "default" in main[-1]["class"]
        assert row.select_one("details summary").get_text(strip=True) == "More actions"
        assert [b.get_text(strip=True) for b in row.select("details button")] == MENU
    # The browser presses a form's first submit button when Enter is pressed in a field.
    first = page.select_one("#story_form button[type=submit], #story_form input[type=submit]")
    assert (first["name"], first.get_text(strip=True)) == ("_continue", "Save draft")
    assert not page.select("#story_form input[name=_save], #story_form button[value=publish]")


def test_an_editor_sees_publish_as_the_primary_action_and_delete_in_the_menu(client, editor):
    story = ready_story()
    log_in(client, editor)

    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/change/").content, "html.parser")

    row = page.select_one("#story_form .story-actions")
    primary = row.select_one("button.default")
    assert (primary.get_text(strip=True), primary["value"], primary["data-label-later"]) == (
        "Publish",
        "publish",
        "Schedule",
    )
    assert row.select_one("details a.deletelink")["href"] == f"/admin/articles/story/{story.pk}/delete/"


def test_a_reporter_posting_publish_on_her_draft_is_refused_with_a_message_and_nothing_is_saved(client, reporter):
    story = ready_story(created_by=reporter)
    log_in(client, reporter)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")
    before = db_state(story)

    response = client.post(
        f"/admin/articles/story/{story.pk}/change/",
        {**data, "headline": "Changed", "standfirst": "Also changed", "_transition": "publish"},
    )

    assert response.status_code == 403
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".errorlist.nonfield").get_text(strip=True) == (
        "Only editors may use “Publish”: submit the story for review instead. Nothing was saved."
    )
    assert page.select_one("#id_headline")["value"] == "Changed"  # her words are still in the form
    assert db_state(story) == before


def test_a_reporter_posting_publish_on_a_new_story_creates_nothing(client, reporter):
    log_in(client, reporter)
    data = form_data(client.get("/admin/articles/story/add/"), "story_form")

    response = client.post("/admin/articles/story/add/", {**data, "headline": "Leaked early", "_transition": "publish"})

    assert response.status_code == 403
    assert "Only editors may use “Publish”" in response.content.decode()
    assert not Story.objects.exists() and not Byline.objects.exists()


@pytest.mark.parametrize(
    ("transition", "message"),
    [
        ("unschedule", "“Cancel schedule” is not possible for a draft story. Nothing was saved."),
        ("explode", "The form asked for an action the newsroom does not know. Nothing was saved."),
    ],
)
def test_an_action_the_state_does_not_allow_is_refused_before_saving(client, editor, transition, message):
    story = ready_story()
    log_in(client, editor)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")

    response = client.post(
        f"/admin/articles/story/{story.pk}/change/", {**data, "headline": "Changed", "_transition": transition}
    )

    assert response.status_code == 403
    assert message in BeautifulSoup(response.content, "html.parser").select_one(".errorlist.nonfield").get_text()
    story.refresh_from_db()
    assert story.headline == "Council approves new bus routes" and story.status == Story.Status.DRAFT


def test_an_editor_schedules_from_the_primary_button_and_the_story_says_schedule_after(client, editor):
    story = ready_story()
    log_in(client, editor)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        f"/admin/articles/story/{story.pk}/change/",
        {**data, "publish_at_0": tomorrow.isoformat(), "publish_at_1": "06:30", "_transition": "publish"},
        follow=True,
    )

    story.refresh_from_db()
    assert story.is_scheduled()
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#story_form .story-actions button.default").get_text(strip=True) == "Schedule"


def test_a_live_story_is_updated_with_one_button_and_stays_live(client, editor):
    story = make_story("Water restored in Soweto")
    log_in(client, editor)
    data = form_data(client.get(f"/admin/articles/story/{story.pk}/change/"), "story_form")

    response = client.post(
        f"/admin/articles/story/{story.pk}/change/", {**data, "standfirst": "Taps run again.", "_continue": "1"}
    )

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.standfirst == "Taps run again." and story.is_published()
