"""Two editors on one story: changes to different fields merge, a field both changed is chosen, nothing is lost."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from articles import publishing
from articles.models import Byline, Story, StoryAutosave
from tests.factories import log_in, make_author, make_staff, ready_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

BODY = "<p>The council met on Monday.</p><h2>What was decided</h2><p>Six new bus routes were approved.</p>"


def change_url(story):
    return f"/admin/articles/story/{story.pk}/change/"


@pytest.fixture
def desks(client, editor):
    """Edna and Chris, two editors signed in in their own browsers."""
    chris = make_staff("chris", roles=["Editor"], first_name="Chris")
    make_author("Chris Colleague", user=chris)
    return log_in(client, editor), log_in(Client(), chris)


def open_form(browser, story) -> dict:
    return form_data(browser.get(change_url(story)), "story_form")


def page_of(response):
    return BeautifulSoup(response.content, "html.parser")


def error_text(response) -> str:
    return page_of(response).select_one(".errornote + .errorlist").get_text()


def choice_page(response) -> dict:
    """Each field offered for a choice: its legend, and the text of theirs and of mine."""
    fields = {}
    for fieldset in page_of(response).select(".merge-panel fieldset.merge-choice"):
        name = fieldset["id"].removeprefix("merge-")
        fields[fieldset.legend.get_text()] = (
            fieldset.select_one(f"#merge-{name}-theirs-value").get_text(),
            fieldset.select_one(f"#merge-{name}-mine-value").get_text(),
        )
    return fields


def test_changes_to_different_fields_merge_and_a_headline_both_changed_is_chosen(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes", body=BODY)
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)

    assert edna.post(change_url(story), {**edna_form, "headline": "Council approves six bus routes"}).status_code == 302
    merged = chris.post(change_url(story), {**chris_form, "standfirst": "Riders asked for them for years."})

    assert merged.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Council approves six bus routes"
    assert story.standfirst == "Riders asked for them for years."
    message = page_of(chris.get(merged["Location"])).select_one(".messagelist .info").get_text()
    assert "their changes to Headline" in message and "your changes to Standfirst" in message

    # Both now change the headline.
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "headline": "Six bus routes approved"})
    choice = chris.post(change_url(story), {**chris_form, "headline": "Council backs six routes"})

    assert choice.status_code == 200
    assert "Nothing has been saved yet" in error_text(choice)
    assert choice_page(choice) == {"Headline": ("Six bus routes approved", "Council backs six routes")}
    story.refresh_from_db()
    assert story.headline == "Six bus routes approved"

    confirmed = form_data(choice, "story_form")
    assert "merge_headline" not in confirmed  # no side is chosen for the writer
    confirmed["merge_headline"] = "mine"
    assert chris.post(change_url(story), confirmed).status_code == 302
    story.refresh_from_db()
    assert story.headline == "Council backs six routes"
    assert story.standfirst == "Riders asked for them for years."


def test_keeping_theirs_saves_their_value_and_the_rest_of_mine(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "headline": "Six bus routes approved"})
    choice = chris.post(
        change_url(story), {**chris_form, "headline": "Council backs six routes", "standfirst": "Mine alone."}
    )

    assert choice_page(choice).keys() == {"Headline"}
    kept = page_of(choice).select_one(".merge-kept").get_text()
    assert "Standfirst: your change is kept." in " ".join(kept.split())
    assert (
        chris.post(change_url(story), {**form_data(choice, "story_form"), "merge_headline": "theirs"}).status_code
        == 302
    )
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == ("Six bus routes approved", "Mine alone.")


def test_a_confirmation_without_a_choice_saves_nothing(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "headline": "Six bus routes approved"})
    choice = chris.post(change_url(story), {**chris_form, "headline": "Council backs six routes"})

    again = chris.post(change_url(story), form_data(choice, "story_form"))

    assert again.status_code == 200
    assert "Choose which version to keep for: Headline" in error_text(again)
    story.refresh_from_db()
    assert story.headline == "Six bus routes approved"


def test_a_confirmation_made_stale_by_a_third_save_asks_again(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "headline": "Six bus routes approved"})
    choice = chris.post(change_url(story), {**chris_form, "headline": "Council backs six routes"})
    # Edna saves once more while Chris is choosing.
    edna.post(change_url(story), {**open_form(edna, story), "headline": "Six new bus routes approved"})

    stale = chris.post(change_url(story), {**form_data(choice, "story_form"), "merge_headline": "mine"})

    assert stale.status_code == 200
    assert "saved again while you were choosing" in error_text(stale)
    assert choice_page(stale) == {"Headline": ("Six new bus routes approved", "Council backs six routes")}
    assert not page_of(stale).select(".merge-choice input[checked]")
    story.refresh_from_db()
    assert story.headline == "Six new bus routes approved"

    assert (
        chris.post(change_url(story), {**form_data(stale, "story_form"), "merge_headline": "mine"}).status_code == 302
    )
    story.refresh_from_db()
    assert story.headline == "Council backs six routes"


def test_a_body_both_changed_is_shown_with_a_block_diff(desks):
    edna, chris = desks
    story = ready_story(body=BODY)
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "body": BODY.replace("Monday", "Tuesday")})

    choice = chris.post(
        change_url(story), {**chris_form, "body": BODY.replace("What was decided", "What the council decided")}
    )

    assert set(choice_page(choice)) == {"Body"}
    body = page_of(choice).select_one("#merge-body")
    labels = [label.get_text() for label in body.select(".body-block__label")]
    assert labels == ["Changed paragraph", "Changed subheading", "Unchanged paragraph"]
    assert body.select_one(".body-block--heading ins").get_text() == "added: the council"
    story.refresh_from_db()
    assert "Tuesday" in story.body and "What was decided" in story.body


def test_a_byline_added_by_one_editor_survives_the_others_stale_form(desks):
    edna, chris = desks
    writer = make_author("First Writer")
    story = ready_story(authors=[writer])
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    second = make_author("Second Writer")
    edna.post(
        change_url(story),
        {**edna_form, "bylines-TOTAL_FORMS": "2", "bylines-1-author": str(second.pk), "bylines-1-position": "1"},
    )

    assert chris.post(change_url(story), {**chris_form, "headline": "Chris's headline"}).status_code == 302

    story.refresh_from_db()
    assert story.headline == "Chris's headline"
    assert [author.name for author in story.byline_authors] == ["First Writer", "Second Writer"]


def test_a_byline_removed_by_one_editor_stays_removed_after_the_others_save(desks):
    edna, chris = desks
    story = ready_story(authors=[make_author("First Writer"), make_author("Second Writer")])
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "bylines-1-DELETE": "on"})
    assert list(Byline.objects.values_list("author__name", flat=True)) == ["First Writer"]

    assert chris.post(change_url(story), {**chris_form, "standfirst": "Chris's standfirst"}).status_code == 302

    story.refresh_from_db()
    assert story.standfirst == "Chris's standfirst"
    assert [author.name for author in story.byline_authors] == ["First Writer"]


def test_bylines_both_changed_are_chosen_and_mine_replace_theirs(desks):
    edna, chris = desks
    story = ready_story(authors=[make_author("First Writer")])
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna_pick, chris_pick = make_author("Edna's Pick"), make_author("Chris's Pick")
    extra = {"bylines-TOTAL_FORMS": "2", "bylines-1-position": "1"}
    edna.post(change_url(story), {**edna_form, **extra, "bylines-1-author": str(edna_pick.pk)})

    choice = chris.post(change_url(story), {**chris_form, **extra, "bylines-1-author": str(chris_pick.pk)})

    assert choice_page(choice) == {"Bylines": ("First Writer, Edna's Pick", "First Writer, Chris's Pick")}
    saved = chris.post(change_url(story), {**form_data(choice, "story_form"), "merge_bylines": "mine"})
    assert saved.status_code == 302
    story.refresh_from_db()
    assert [author.name for author in story.byline_authors] == ["First Writer", "Chris's Pick"]


def test_a_version_not_in_the_storys_history_merges_nothing_unseen(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    chris_form = open_form(chris, story)
    edna.post(change_url(story), {**open_form(edna, story), "headline": "Six bus routes approved"})

    choice = chris.post(change_url(story), {**chris_form, "base_version": "987654", "standfirst": "Chris's standfirst"})

    assert choice.status_code == 200
    assert set(choice_page(choice)) == {"Headline", "Standfirst"}
    story.refresh_from_db()
    assert story.headline == "Six bus routes approved"


def test_a_status_change_meanwhile_is_kept_and_the_edit_merged(desks):
    edna, chris = desks
    story = ready_story()
    chris_form = open_form(chris, story)
    publishing.publish(story=story, by=None)

    assert chris.post(change_url(story), {**chris_form, "headline": "Edited after publication"}).status_code == 302

    story.refresh_from_db()
    assert story.headline == "Edited after publication" and story.status == Story.Status.PUBLISHED


def test_an_autosave_of_a_stale_form_is_merged_when_restored_and_saved(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    chris_form = open_form(chris, story)
    edna.post(change_url(story), {**open_form(edna, story), "headline": "Six bus routes approved"})
    chris.post(f"/admin/articles/story/{story.pk}/autosave/", {**chris_form, "standfirst": "Kept while typing."})

    restored = chris.get(change_url(story) + "?autosave=restore")
    assert page_of(restored).find("input", attrs={"name": "base_version"})["value"] == chris_form["base_version"]
    assert chris.post(change_url(story), form_data(restored, "story_form")).status_code == 302

    story.refresh_from_db()
    assert (story.headline, story.standfirst) == ("Six bus routes approved", "Kept while typing.")
    assert not StoryAutosave.objects.exists()


def test_the_choice_page_keeps_autosave_running_and_its_inputs_labelled(desks):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    edna_form, chris_form = open_form(edna, story), open_form(chris, story)
    edna.post(change_url(story), {**edna_form, "headline": "Six bus routes approved"})

    page = page_of(chris.post(change_url(story), {**chris_form, "headline": "Council backs six routes"}))

    assert page.select_one("#story_form #story-autosave")["data-url"] == f"/admin/articles/story/{story.pk}/autosave/"
    for radio in page.select(".merge-choice input[type=radio]"):
        assert page.find("label", attrs={"for": radio["id"]}).get_text() in ("Keep theirs", "Keep mine")
        assert page.find(id=radio["aria-describedby"])
    assert page.select_one(".merge-panel h2").get_text() == "Saved by someone else while you were editing"


@pytest.mark.parametrize("version", ["99999999999999999999", "-5", "0"])
def test_a_version_no_revision_can_have_is_not_trusted(desks, version):
    edna, chris = desks
    story = ready_story("Council approves bus routes")
    chris_form = open_form(chris, story)
    edna.post(change_url(story), {**open_form(edna, story), "headline": "Six bus routes approved"})

    response = chris.post(change_url(story), {**chris_form, "base_version": version, "headline": "Chris's headline"})

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Six bus routes approved"
