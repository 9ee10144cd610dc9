"""The story form and the dashboard, as editors and reporters use them."""

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.utils import timezone

from articles import publishing
from articles.models import Story
from newsroom.wording import staff_time
from tests.factories import log_in, make_story, ready_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def change_url(story):
    return f"/admin/articles/story/{story.pk}/change/"


def errors(response) -> list[str]:
    page = BeautifulSoup(response.content, "html.parser")
    return [li.get_text(" ", strip=True) for li in page.select(".errorlist li")]


def test_an_editor_schedules_a_story_in_the_newsrooms_time_zone(client, editor):
    story = ready_story()
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        change_url(story),
        {**data, "publish_at_0": tomorrow.isoformat(), "publish_at_1": "06:30", "_transition": "publish"},
    )

    assert response.status_code == 302
    story.refresh_from_db()
    expected = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 6, 30, tzinfo=ZoneInfo("Africa/Johannesburg"))
    assert story.published_at == expected and story.is_scheduled()


def test_a_local_time_that_does_not_exist_is_a_form_error(client, editor, settings):
    settings.TIME_ZONE = "Europe/London"  # clocks jump from 01:00 to 02:00 on 30 March 2031
    story = ready_story()
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")

    with time_machine.travel(datetime(2031, 3, 1, 12, tzinfo=ZoneInfo("Europe/London")), tick=False):
        log_in(client, editor)
        response = client.post(
            change_url(story),
            {**data, "publish_at_0": "2031-03-30", "publish_at_1": "01:30", "_transition": "publish"},
        )

    assert response.status_code == 200
    assert any("01:30" in error and "may not exist" in error for error in errors(response))
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT and story.published_at is None


def test_tags_are_capped_and_must_have_a_slug(client, editor, settings):
    settings.NEWSROOM_MAX_TAGS_PER_STORY = 3
    story = ready_story(tags=["Water"])
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")

    too_many = client.post(change_url(story), {**data, "tags": "one, two, three, four"})
    no_slug = client.post(change_url(story), {**data, "tags": "Water, !!!"})

    assert "A story can have at most 3 tags; this one has 4." in errors(too_many)
    assert "“!!!” cannot be a tag: it has no letters or digits to link to." in errors(no_slug)
    assert list(story.tags.names()) == ["Water"]


def test_an_embargo_after_the_publish_time_is_a_form_error_not_a_crash(client, editor):
    story = make_story()
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")
    later = timezone.localtime() + timedelta(days=2)

    response = client.post(
        change_url(story), {**data, "embargo_until_0": f"{later:%Y-%m-%d}", "embargo_until_1": f"{later:%H:%M}"}
    )

    assert response.status_code == 200
    assert "The story is published or scheduled before this time: unpublish it first." in errors(response)


def test_editing_a_live_story_sets_its_public_updated_time(client, editor):
    story = make_story(published_at=timezone.now() - timedelta(days=1))
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")

    client.post(change_url(story), {**data, "editor_note": "Internal only"})
    story.refresh_from_db()
    assert story.modified_at is None

    client.post(change_url(story), {**form_data(client.get(change_url(story)), "story_form"), "headline": "Fixed"})
    story.refresh_from_db()
    assert story.headline == "Fixed" and story.was_updated


def test_the_dashboard_shows_the_newsrooms_day_to_an_editor(client, editor, reporter):
    now = timezone.now()
    older = ready_story("Older submission", created_by=reporter)
    newer = ready_story("Newer submission", created_by=reporter)
    publishing.submit_for_review(story=older, by=reporter, now=now - timedelta(hours=2), note="Please check quotes")
    publishing.submit_for_review(story=newer, by=reporter, now=now - timedelta(hours=1))
    soon = ready_story("Tomorrow's story")
    publishing.publish(story=soon, by=editor, at=now + timedelta(days=1))
    live = ready_story("Live now")
    publishing.publish(story=live, by=editor)
    publishing.add_correction(story=live, by=editor, text="The date was wrong.")
    log_in(client, editor)

    page = BeautifulSoup(client.get("/admin/").content, "html.parser")

    review = [a.get_text() for a in page.select("#dashboard-review th a")]
    assert review == ["Older submission", "Newer submission"]
    assert "Please check quotes" in page.select_one("#dashboard-review").get_text()
    days = page.select("#dashboard-schedule .calendar__day")
    assert len(days) == 7
    assert "Tomorrow's story" in days[1].get_text()
    assert "Live now" in page.select_one("#dashboard-published").get_text()
    assert "The date was wrong." in page.select_one("#dashboard-corrected").get_text()


def test_the_dashboard_marks_a_corrected_story_that_was_since_retracted(client, editor):
    kept = ready_story("Still live")
    pulled = ready_story("Pulled story")
    for story in (kept, pulled):
        publishing.publish(story=story, by=editor)
        publishing.add_correction(story=story, by=editor, text="A name was misspelt.")
    publishing.retract(story=pulled, by=editor)
    log_in(client, editor)

    page = BeautifulSoup(client.get("/admin/").content, "html.parser")

    rows = {
        row.select_one("th a").get_text(): row.select_one("th").get_text(" ", strip=True)
        for row in page.select("#dashboard-corrected tr")
    }
    assert "(retracted)" in rows["Pulled story"]
    assert "(retracted)" not in rows["Still live"]


def test_the_dashboard_shows_a_reporter_their_drafts_and_what_came_back(client, editor, reporter, other_reporter):
    returned = ready_story("Needs work", created_by=reporter)
    publishing.submit_for_review(story=returned, by=reporter)
    publishing.return_to_reporter(story=returned, by=editor, note="Add a second source.")
    ready_story("My fresh draft", created_by=reporter)
    elsewhere = ready_story("Oscar's submission", created_by=other_reporter)
    publishing.submit_for_review(story=elsewhere, by=other_reporter)
    log_in(client, reporter)

    page = BeautifulSoup(client.get("/admin/").content, "html.parser")

    back = page.select_one("#dashboard-returned").get_text(" ", strip=True)
    assert "Needs work" in back and "Add a second source." in back
    assert [a.get_text() for a in page.select("#dashboard-drafts th a")] == ["My fresh draft"]
    assert "Oscar's submission" not in page.get_text()


def test_a_reporter_files_a_new_story_and_submits_it_in_one_go(client, reporter):
    log_in(client, reporter)
    data = form_data(client.get("/admin/articles/story/add/"), "story_form")
    data.update(
        {
            "headline": "Taxi rank reopens in Bree Street",
            "standfirst": "Commuters return after two weeks.",
            "body": "<p>The rank reopened on Monday.</p>",
            "review_note": "Photos to follow.",
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": reporter.author.pk,
            "bylines-0-position": "0",
            "_transition": "submit",
        }
    )

    response = client.post("/admin/articles/story/add/", data)

    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert story.status == Story.Status.SUBMITTED and story.created_by == reporter
    assert story.slug == "taxi-rank-reopens-in-bree-street" and story.review_note == "Photos to follow."
    assert [author.name for author in story.byline_authors] == ["Rita Reporter"]
    assert [r.history_change_reason for r in story.history.all()] == ["Submitted for review", "Created"]


def test_the_body_editor_asks_only_for_extensions_the_installed_editor_has_under_their_current_names(client, editor):
    log_in(client, editor)
    page = BeautifulSoup(client.get("/admin/articles/story/add/").content, "html.parser")
    config = json.loads(page.select_one("textarea[name=body]")["data-django-prose-editor-configurable"])
    script = Path(finders.find("django_prose_editor/editor.js")).read_text(encoding="utf-8")
    # The newsroom's own extensions come from its own module, which the editor loads beside its own.
    ours = Path(finders.find("js/editor-newsroom.js")).read_text(encoding="utf-8")
    assert [module.rsplit("/", 1)[-1] for module in config["js_modules"]] == ["editor-newsroom.js"]

    names = sorted(config["extensions"])
    assert "SpecialCharacters" in names
    exported = [name for name in names if re.search(rf"\bas {name}[,}}]", script)]
    assert [name for name in names if name not in exported] == ["EmbedBlock", "PlacePicture", "QuoteMark"]
    assert all(
        re.search(rf"^export const {name} = ", ours, re.M) for name in ("EmbedBlock", "PlacePicture", "QuoteMark")
    )
    assert [name for name in names if f"The {name} extension has been renamed" in script] == []


@pytest.mark.parametrize(
    ("status", "published_at", "linked"),
    [
        (Story.Status.DRAFT, None, False),
        (Story.Status.SUBMITTED, None, False),
        (Story.Status.PUBLISHED, timedelta(hours=2), False),
        (Story.Status.PUBLISHED, -timedelta(hours=2), True),
        (Story.Status.RETRACTED, -timedelta(hours=2), False),
    ],
)
def test_view_on_site_is_offered_only_for_a_story_readers_can_open(client, editor, status, published_at, linked):
    when = timezone.now() + published_at if published_at is not None else None
    story = make_story("Clinic opens late", status=status, published_at=when)
    log_in(client, editor)

    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")

    assert bool(page.select("a.viewsitelink")) is linked
    if linked:
        assert client.get(page.select_one("a.viewsitelink")["href"], follow=True).status_code == 200


def test_a_refused_publish_says_plainly_that_the_story_was_not_published_and_why(client, editor):
    story = ready_story(authors=[])
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")

    response = client.post(change_url(story), {**data, "_transition": "publish"}, follow=True)

    page = BeautifulSoup(response.content, "html.parser")
    assert [li.get_text(strip=True) for li in page.select(".messagelist li")] == [
        "Your changes were saved, but the story was not published or scheduled:",
        "Add at least one byline, or choose the source whose name stands as the byline.",
    ]
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_a_reporter_viewing_their_published_story_reads_the_body_as_text_not_html_source(client, reporter):
    story = ready_story(created_by=reporter, body="<p>The council will vote.</p><h2>What comes next</h2><p>More.</p>")
    publishing.publish(story=story, by=None)
    log_in(client, reporter)

    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")

    body = page.find("label", string=re.compile("Body")).find_parent(class_="form-row")
    assert body.select_one(".readonly h2").get_text() == "What comes next"
    assert "<p>" not in body.get_text()


def test_the_story_form_says_a_scheduled_story_is_scheduled_not_published(client, reporter):
    story = ready_story(created_by=reporter)
    publishing.publish(story=story, by=None, at=timezone.now() + timedelta(days=1))
    log_in(client, reporter)

    page = BeautifulSoup(client.get(change_url(story)).content, "html.parser")

    status = page.find("label", string=re.compile("Status")).find_parent(class_="form-row")
    expected = f"Scheduled for {staff_time(story.published_at)}"
    assert status.select_one(".readonly").get_text(strip=True) == expected


def test_the_story_form_shows_its_times_the_way_the_dashboard_does(client, editor, reporter):
    story = ready_story("Harbour levy", created_by=reporter)
    with time_machine.travel(datetime(2026, 11, 27, 8, 40, tzinfo=ZoneInfo("UTC")), tick=False):
        publishing.submit_for_review(story=story, by=reporter)
    with time_machine.travel(datetime(2026, 11, 27, 8, 48, tzinfo=ZoneInfo("UTC")), tick=False):
        publishing.publish(story=story, by=editor)
        publishing.add_correction(story=story, by=editor, text="The levy is 2%, not 20%.")
    log_in(client, editor)

    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        form = BeautifulSoup(client.get(change_url(story)).content, "html.parser")
        dashboard = BeautifulSoup(client.get("/admin/").content, "html.parser")

    def row(label):
        return form.find("label", string=re.compile(label)).find_parent("div").select_one(".readonly").get_text()

    assert row("Publish time") == "27 Nov 2026, 10:48"
    assert row("Submitted") == "27 Nov 2026, 10:40"
    assert form.select_one(".field-created_time").get_text(strip=True) == "27 Nov 2026, 10:48"
    assert dashboard.select_one("#dashboard-published time").get_text() == "27 Nov 2026, 10:48"


def test_an_editor_giving_a_story_a_home_position_another_live_story_holds_is_warned(client, editor):
    make_story("Night buses approved", home_position=1)
    story = make_story("Water returns on Friday", home_position=2)
    log_in(client, editor)
    data = form_data(client.get(change_url(story)), "story_form")

    response = client.post(change_url(story), {**data, "home_position": "1", "_continue": "1"}, follow=True)

    page = BeautifulSoup(response.content, "html.parser")
    warnings = [li.get_text(strip=True) for li in page.select(".messagelist li.warning")]
    assert warnings == [
        "“Night buses approved” also has home position 1. Give one of them another position or clear it,"
        " so the home page shows the one you mean."
    ]
    story.refresh_from_db()
    assert story.home_position == 1
