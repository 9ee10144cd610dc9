"""Syndicated copy published as received: its source stands as the byline, and a standfirst is proposed."""

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from articles import publishing
from articles.models import Source, Story
from articles.richtext import proposed_standfirst
from interchange.importing import import_file
from tests.factories import log_in, make_author, make_section, make_source, make_story

pytestmark = pytest.mark.django_db


def _wire_item(**overrides) -> dict:
    item = {
        "uri": "urn:valley-wire:reservoir",
        "type": "text",
        "headlines": [{"role": "main", "value": "Reservoir Reopens to Anglers"}],
        "subjects": [{"name": "News", "rel": "section"}],
        "infosources": [{"name": "Valley Wire"}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "<p>The reservoir reopened to anglers on Saturday. Boats stay banned until June.</p>"
                "<p>Water quality tests came back clean last week.</p>",
            }
        ],
    }
    return item | overrides


def _page(client, story) -> BeautifulSoup:
    return BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")


def _ld_authors(page: BeautifulSoup) -> list:
    blocks = [json.loads(script.string) for script in page.select('script[type="application/ld+json"]')]
    (article,) = [block for block in blocks if block["@type"] == "NewsArticle"]
    return article["author"]


def test_imported_copy_publishes_under_its_source_once_a_standfirst_is_accepted(client, editor):
    make_section("News")
    (story,) = import_file(name="reservoir.json", content=json.dumps(_wire_item()).encode())
    assert story.byline_authors == [] and story.source.name == "Valley Wire"
    assert publishing.checklist(story) == ["Write a standfirst."]  # the source stands in for a staff byline

    story.standfirst = proposed_standfirst(story.body, settings.NEWSROOM_STANDFIRST_MAX_CHARS)
    story.save()
    publishing.publish(story=story, by=editor)

    page = _page(client, story)
    assert page.select_one(".byline").get_text(" ", strip=True) == "By Valley Wire"
    assert page.select_one(".byline bdi").get_text() == "Valley Wire"
    assert _ld_authors(page) == [{"@type": "Organization", "name": "Valley Wire"}]
    item = client.get(f"/api/ninjs/stories/{story.pk}/").json()
    assert item["by"] == "By Valley Wire"


def test_source_set_to_staff_writer_reads_so_everywhere(client):
    source = make_source("The Lowveld Courier", url="https://courier.example")
    source.byline_style = Source.BylineStyle.STAFF_WRITER
    source.save()
    story = make_story("Bridge Repairs Finish Early", source=source)

    page = _page(client, story)
    assert page.select_one(".byline").get_text(" ", strip=True) == "Staff writer, The Lowveld Courier"
    assert _ld_authors(page) == [
        {"@type": "Organization", "name": "The Lowveld Courier", "url": "https://courier.example"}
    ]
    assert client.get(f"/api/ninjs/stories/{story.pk}/").json()["by"] == "Staff writer, The Lowveld Courier"


def test_a_staff_byline_takes_precedence_over_the_source(client):
    story = make_story("Bridge Repairs Finish Early", source=make_source("Valley Wire"), authors=[make_author("Ann")])

    page = _page(client, story)
    assert page.select_one(".byline").get_text(" ", strip=True) == "By Ann"
    assert [author["@type"] for author in _ld_authors(page)] == ["Person"]
    assert client.get(f"/api/ninjs/stories/{story.pk}/").json()["by"] == "Ann"


def test_copy_with_neither_staff_byline_nor_source_still_needs_a_byline():
    story = make_story("Unsigned", status=Story.Status.DRAFT, section=make_section("News"))
    assert publishing.checklist(story) == [
        "Add at least one byline, or choose the source whose name stands as the byline."
    ]


@pytest.mark.parametrize(
    "body, proposal",
    [
        ("<p>Short and whole.</p><p>Second.</p>", "Short and whole."),
        ("<p>" + "One sentence that fits. " + "x" * 300 + ".</p>", "One sentence that fits."),
        ("<p>" + "y" * 300 + "</p>", ""),  # no sentence fits: nothing is proposed rather than a cut-off one
        ("<h2>Heading</h2><p>Tom &amp; Jerry <em>met</em>.</p>", "Tom & Jerry met."),
        ("", ""),
    ],
)
def test_standfirst_is_proposed_from_whole_sentences_of_the_first_paragraph(body, proposal):
    assert proposed_standfirst(body, 200) == proposal


def test_story_form_proposes_the_standfirst_of_an_imported_draft_escaped(client, editor):
    make_section("News")
    body = "<p>Anglers &lt;b&gt;cheered&lt;/b&gt; on Saturday.</p>"
    item = _wire_item(bodies=[{"role": "main", "contenttype": "text/html", "value": body}])
    (story,) = import_file(name="reservoir.json", content=json.dumps(item).encode())
    log_in(client, editor)

    page = BeautifulSoup(client.get(f"/admin/articles/story/{story.pk}/change/").content, "html.parser")

    help_text = page.select_one("#id_standfirst_helptext").get_text().strip()
    assert help_text == "Proposed from the first paragraph: “Anglers <b>cheered</b> on Saturday.”"
    assert page.select_one("#id_standfirst_helptext b") is None
    assert page.select_one("#id_standfirst").get_text().strip() == ""  # proposed, not filled in unasked
