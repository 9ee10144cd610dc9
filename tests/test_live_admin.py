"""The live coverage page of the story admin: who may run a live blog, and what each button does."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from articles import live
from articles.models import LiveEntry, Story
from audit.models import Action, AuditEntry
from tests.factories import log_in, make_image, make_person, make_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    return log_in(Client(), user)


def live_url(story) -> str:
    return f"/admin/articles/story/{story.pk}/live/"


@pytest.fixture
def own_story(reporter):
    """A published story Rita wrote, running as a live blog."""
    story = make_story("Taxi strike shuts the city centre", authors=[reporter.author])
    live.start_coverage(story=story, by=None)
    return story


def test_the_story_form_links_to_its_live_coverage_page(reporter, own_story):
    client = signed_in(reporter)
    response = client.get(f"/admin/articles/story/{own_story.pk}/change/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("a", href=live_url(own_story)).get_text(strip=True) == "Live coverage (running)"


def test_a_reporter_posts_an_entry_on_her_own_live_story_in_one_submit(reporter, own_story):
    client = signed_in(reporter)
    form = client.get(live_url(own_story))
    assert form.status_code == 200
    data = form_data(form, "live-entry-form")
    assert data["author"] == str(reporter.author.pk)  # her byline is chosen for her
    data["body"] = "Marchers have reached the Library Gardens."

    response = client.post(live_url(own_story), data)

    assert response.status_code == 302 and response["Location"] == live_url(own_story)
    entry = LiveEntry.objects.get(story=own_story)
    assert entry.body == "<p>Marchers have reached the Library Gardens.</p>"
    assert entry.author == reporter.author and entry.created_by == reporter
    audit = AuditEntry.objects.get(action=Action.LIVE_ENTRY_POSTED)
    assert audit.actor == reporter and audit.details["entry"] == entry.pk
    page = client.get(live_url(own_story))
    assert "Marchers have reached the Library Gardens." in page.content.decode()


def test_an_entry_can_carry_a_picture_from_the_library_and_a_quote(reporter, own_story):
    client = signed_in(reporter)
    picture, person = make_image(), make_person("Lindiwe Mokoena")
    data = form_data(client.get(live_url(own_story)), "live-entry-form")
    data |= {
        "body": "Drivers say they will stay out until Monday.",
        "picture": str(picture.pk),
        "quote_text": "We are not going anywhere.",
        "person": str(person.pk),
        "pinned": "on",
    }
    assert client.post(live_url(own_story), data).status_code == 302
    entry = LiveEntry.objects.get(story=own_story)
    assert (entry.picture, entry.person, entry.quote_text, entry.pinned) == (
        picture,
        person,
        "We are not going anywhere.",
        True,
    )


def test_a_quote_without_who_said_it_is_refused_and_the_text_typed_stays(reporter, own_story):
    client = signed_in(reporter)
    data = form_data(client.get(live_url(own_story)), "live-entry-form")
    data |= {"body": "Kept text.", "quote_text": "Said by nobody."}
    response = client.post(live_url(own_story), data)
    assert response.status_code == 400
    assert "Say who said the quote." in response.content.decode() and "Kept text." in response.content.decode()
    assert not LiveEntry.objects.exists()


def test_a_reporter_on_someone_elses_story_is_refused_every_change_and_nothing_is_saved(
    reporter, other_reporter, own_story
):
    entry = live.post_entry(story=own_story, by=reporter, body="From the scene.")
    other = signed_in(other_reporter)
    before = list(LiveEntry.objects.values_list("pk", "body", "pinned", "deleted_at", "corrected_at"))

    assert other.post(live_url(own_story), {"action": "post", "body": "Not mine."}).status_code == 403
    assert other.post(live_url(own_story), {"action": "pin", "entry": entry.pk}).status_code == 403
    assert other.post(live_url(own_story), {"action": "end", "summary": "Over."}).status_code == 403
    correct = f"{live_url(own_story)}{entry.pk}/correct/"
    assert other.post(correct, {"body": "Changed.", "note": "Changed."}).status_code == 403
    assert other.post(f"{live_url(own_story)}{entry.pk}/delete/").status_code == 403

    assert list(LiveEntry.objects.values_list("pk", "body", "pinned", "deleted_at", "corrected_at")) == before
    own_story.refresh_from_db()
    assert own_story.coverage_running
    assert other.get(live_url(own_story)).status_code == 404  # as everywhere in the admin: not hers to open


def test_a_reporter_cannot_open_or_start_the_live_coverage_of_someone_elses_draft(other_reporter):
    draft = make_story("Embargoed plan", status=Story.Status.DRAFT)
    client = signed_in(other_reporter)
    assert client.get(live_url(draft)).status_code == 404
    assert client.post(live_url(draft), {"action": "start"}).status_code == 403
    draft.refresh_from_db()
    assert not draft.live


def test_an_editor_starts_coverage_pins_corrects_deletes_and_ends_it(editor):
    story = make_story("Water cut in the north")
    client = signed_in(editor)
    start = client.get(live_url(story))
    assert b"Start live coverage" in start.content
    assert client.post(live_url(story), {"action": "start"}).status_code == 302
    story.refresh_from_db()
    assert story.coverage_running
    first = live.post_entry(story=story, by=editor, body="Tankers are on their way.")
    second = live.post_entry(story=story, by=editor, body="Reservoir levels are falling.")

    assert client.post(live_url(story), {"action": "pin", "entry": second.pk}).status_code == 302
    second.refresh_from_db()
    assert second.pinned

    correct = f"{live_url(story)}{first.pk}/correct/"
    form = form_data(client.get(correct), "live-correct-form")
    assert form["body"] == "<p>Tankers are on their way.</p>"
    form |= {"body": "Six tankers are on their way.", "note": "The number of tankers was added."}
    assert client.post(correct, form).status_code == 302
    first.refresh_from_db()
    assert first.correction_note == "The number of tankers was added." and first.corrected_at is not None

    delete = f"{live_url(story)}{second.pk}/delete/"
    assert b"Yes, delete it" in client.get(delete).content
    assert client.post(delete).status_code == 302
    second.refresh_from_db()
    assert second.deleted_at is not None and not second.pinned
    assert client.get(delete).status_code == 404  # deleted once is enough

    assert client.post(live_url(story), {"action": "end", "summary": ""}).status_code == 400
    assert client.post(live_url(story), {"action": "end", "summary": "Water is back."}).status_code == 302
    story.refresh_from_db()
    assert story.live_summary == "Water is back." and story.live_ended_at <= timezone.now()
    actions = set(AuditEntry.objects.filter(actor=editor).values_list("action", flat=True))
    assert {
        Action.LIVE_STARTED,
        Action.LIVE_ENTRY_PINNED,
        Action.LIVE_ENTRY_CORRECTED,
        Action.LIVE_ENTRY_DELETED,
        Action.LIVE_ENDED,
    } <= actions


def test_a_correction_needs_a_note_and_bad_actions_are_refused_with_a_message(editor):
    story = make_story()
    live.start_coverage(story=story, by=None)
    entry = live.post_entry(story=story, by=None, body="Original.")
    client = signed_in(editor)
    response = client.post(f"{live_url(story)}{entry.pk}/correct/", {"body": "Changed.", "note": ""})
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.body == "<p>Original.</p>"
    response = client.post(live_url(story), {"action": "explode"}, follow=True)
    assert b"Choose what to do." in response.content
    assert client.post(live_url(story), {"action": "pin", "entry": "999999"}).status_code == 404
    assert client.post(live_url(story), {"action": "pin", "entry": "x"}).status_code == 404


def test_the_live_page_refuses_a_post_without_a_csrf_token(editor):
    story = make_story()
    client = log_in(Client(enforce_csrf_checks=True), editor)
    assert client.post(live_url(story), {"action": "start"}).status_code == 403
    story.refresh_from_db()
    assert not story.live
