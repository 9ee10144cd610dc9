"""Revision compare as an editor reads it: the latest change of text first, the body as blocks, metadata apart."""

import pytest
from bs4 import BeautifulSoup

from articles import bodydiff, publishing
from tests.factories import log_in, make_section, ready_story

pytestmark = pytest.mark.django_db

BODY = (
    "<p>The council met on Monday.</p>"
    "<h2>What was decided</h2>"
    "<p>Six new bus routes were approved.</p>"
    "<blockquote><p>We listened to the riders.</p></blockquote>"
    "<p>The routes start in March.</p>"
)


def edit(story, by, **fields):
    for name, value in fields.items():
        setattr(story, name, value)
    return publishing.save_story(story=story, by=by, changed_fields=fields)


def compare_page(client, story, old, new):
    url = f"/admin/articles/story/{story.pk}/history/compare/?from={old.history_id}&to={new.history_id}"
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def blocks_of(page):
    return [
        (item.select_one(".body-block__label").get_text(strip=True), item.select_one(".body-block__text"))
        for item in page.select(".body-diff .body-block")
    ]


def test_the_body_is_read_as_blocks_of_paragraphs_headings_quotes_lists_and_figures():
    html = (
        '<p>First <a href="https://example.org">link</a>.</p><h3>Minor heading</h3><ul><li>one</li><li>two</li></ul>'
        '<figure><img src="/media/a.jpg" alt="Harbour"><figcaption>Boats at dawn</figcaption></figure><hr>'
    )
    assert [(block.tag, block.text) for block in bodydiff.blocks(html)] == [
        ("p", "First link."),
        ("h3", "Minor heading"),
        ("ul", "• one\n• two"),
        ("figure", "[Harbour]\nBoats at dawn"),
        ("hr", "―"),
    ]


def test_a_moved_paragraph_is_shown_as_moved_once_where_it_now_stands(client, editor):
    story = ready_story(body=BODY)
    old = story.history.first()
    moved = BODY.replace("<p>The routes start in March.</p>", "").replace(
        "<p>The council met on Monday.</p>", "<p>The council met on Monday.</p><p>The routes start in March.</p>"
    )
    edit(story, editor, body=moved)
    log_in(client, editor)

    page = compare_page(client, story, old, story.history.first())

    blocks = blocks_of(page)
    assert [label for label, _ in blocks].count("Moved paragraph") == 1
    label, text = blocks[1]
    assert label == "Moved paragraph" and text.get_text() == "The routes start in March."
    assert not page.select(".body-diff ins") and not page.select(".body-diff del")
    assert [label for label, _ in blocks].count("Unchanged paragraph") == 2


def test_a_changed_subheading_is_a_changed_heading_block_with_its_words_marked(client, editor):
    story = ready_story(body=BODY)
    old = story.history.first()
    edit(story, editor, body=BODY.replace("What was decided", "What the council decided"))
    log_in(client, editor)

    page = compare_page(client, story, old, story.history.first())

    changed = page.select_one(".body-block--changed")
    assert changed.select_one(".body-block__label").get_text() == "Changed subheading"
    assert "body-block--heading" in changed["class"]
    assert [ins.get_text() for ins in changed.select("ins")] == ["added: the council"]
    assert [d.get_text() for d in changed.select("del")] == ["removed: was"]
    assert changed.select_one("ins .visually-hidden").get_text() == "added: "
    assert len(page.select(".body-block--changed")) == 1


def test_added_and_removed_blocks_are_labelled_and_metadata_has_its_own_table(client, editor):
    story = ready_story(body=BODY, section=make_section("News"))
    old = story.history.first()
    edit(
        story,
        editor,
        headline="Council approves six bus routes",
        section=make_section("Transport"),
        body=BODY.replace("<blockquote><p>We listened to the riders.</p></blockquote>", "")
        + "<ul><li>Route 1</li><li>Route 2</li></ul>",
    )
    log_in(client, editor)

    page = compare_page(client, story, old, story.history.first())

    labels = [label for label, _ in blocks_of(page)]
    assert "Removed quote" in labels and "Added list" in labels
    assert page.select_one(".body-block--removed del").get_text() == "We listened to the riders."
    headings = [h2.get_text() for h2 in page.select("#content-main h2")]
    assert headings == ["Headline and standfirst", "Body", "Details"]
    table = page.select_one("table.revision-metadata")
    assert [th.get_text() for th in table.select("thead th[scope=col]")] == ["Field", "Before", "After"]
    row = table.find("th", scope="row", string="Section").find_parent("tr")
    assert [td.get_text() for td in row.select("td")] == ["News", "Transport"]
    assert not table.find("th", string="Body") and not table.find("th", string="Headline")
    assert "six" in page.select_one(".revision-diff ins").get_text()


def test_hostile_text_in_a_block_is_escaped(client, editor):
    story = ready_story(body=BODY)
    old = story.history.first()
    edit(story, editor, body=BODY + "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
    log_in(client, editor)

    page = compare_page(client, story, old, story.history.first())

    assert not page.select(".body-diff script")
    assert page.select_one(".body-block--added ins").get_text() == "<script>alert(1)</script>"


def test_the_history_page_preselects_the_latest_change_of_text_not_a_status_change(client, editor):
    story = ready_story("First headline")
    edit(story, editor, headline="Second headline")
    text_change = story.history.first()
    before_it = story.history.all()[1]
    publishing.submit_for_review(story=story, by=editor)
    publishing.publish(story=story, by=editor)
    log_in(client, editor)

    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/history/").content, "html.parser")

    assert page.find("input", attrs={"name": "from", "checked": True})["value"] == str(before_it.history_id)
    assert page.find("input", attrs={"name": "to", "checked": True})["value"] == str(text_change.history_id)
    assert len(page.select(".revision-table tbody tr")) == 4


def test_a_story_never_edited_in_text_preselects_its_two_latest_revisions(client, editor):
    story = ready_story()
    publishing.submit_for_review(story=story, by=editor)
    log_in(client, editor)

    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/history/").content, "html.parser")

    latest, first = story.history.all()
    assert page.find("input", attrs={"name": "from", "checked": True})["value"] == str(first.history_id)
    assert page.find("input", attrs={"name": "to", "checked": True})["value"] == str(latest.history_id)


def test_comparing_another_writers_story_is_refused_to_a_reporter(client, reporter, other_reporter):
    story = ready_story(created_by=other_reporter)
    first = story.history.first()
    log_in(client, reporter)

    response = client.get(
        f"/admin/articles/story/{story.pk}/history/compare/?from={first.history_id}&to={first.history_id}"
    )

    assert response.status_code == 404
