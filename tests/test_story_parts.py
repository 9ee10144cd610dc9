"""Parts of a story with a kind of their own: marked in the editor or by imported copy, labelled for readers,
and named as such in JSON-LD, feeds, the API and exports."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from articles.bodydiff import blocks
from articles.models import Story
from articles.parts import story_parts
from articles.richtext import sanitize_body
from interchange.importing import import_file
from tests.factories import log_in, make_section, make_story, ready_story
from tests.html_forms import form_data
from tests.interchange_samples import WIRE_STORY
from tests.test_speakers import SEED

pytestmark = pytest.mark.django_db
SEED_PART = "Commentary: A fragile opening"

BRIDGE = (
    "<p>The old toll bridge closes to lorries from Monday while engineers replace two rusted cables.</p>"
    '<h2 class="part-analysis">Why the cables failed</h2>'
    "<p>Salt spray and twelve years of deferred painting did most of the damage.</p>"
    "<p>The budget for repainting was cut three times.</p>"
    "<h2>Detours</h2><p>Lorries will use the ring road until the end of May.</p>"
)


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _part_words(html: str) -> list[tuple[str, str, list[str]]]:
    """Each part as kind, subheading text and the text of the paragraphs inside it."""
    return [
        (section["data-kind"], section.find(["h2", "h3"]).get_text(), [p.get_text() for p in section.find_all("p")])
        for section in _soup(html).select("section.story-part")
    ]


def test_a_subheading_marked_in_the_editor_wraps_its_part_up_to_the_next_subheading():
    body = sanitize_body(BRIDGE)

    assert _part_words(body) == [
        (
            "analysis",
            "Analysis: Why the cables failed",
            [
                "Salt spray and twelve years of deferred painting did most of the damage.",
                "The budget for repainting was cut three times.",
            ],
        )
    ]
    section = _soup(body).select_one("section.story-part")
    assert section["aria-labelledby"] == section.h2["id"]
    assert _soup(body).find("h2", string="Detours").find_parent("section") is None
    assert sanitize_body(body) == body  # saving again changes nothing


@pytest.mark.parametrize(
    "hostile",
    [
        '<section class="story-part" data-kind="propaganda" onclick="steal()"><h2>Ours</h2><p>x</p></section>',
        '<h2 class="part-propaganda" style="color:red" id="main">Ours</h2><p>x</p>',
        '<h2 class="evil part-commentary" data-kind="x" aria-labelledby="y">Ours</h2><p>x</p>',
        '<p class="part-commentary">Ours</p><span class="story-part__label">Breaking</span>',
    ],
)
def test_only_known_part_kinds_survive_and_nothing_else_can_be_slipped_in(hostile):
    body = sanitize_body(hostile)
    soup = _soup(body)

    assert {s["data-kind"] for s in soup.select("section")} <= {"commentary"}
    for element in soup.find_all(True):
        allowed = {"section": {"class", "data-kind", "aria-labelledby"}, "h2": {"class", "id"}, "span": {"class"}}
        assert set(element.attrs) <= allowed.get(element.name, set()), element
    assert not soup.select("[onclick], [style], #main, p[class]")
    labels = [label.get_text() for label in soup.select(".story-part__label")]
    assert labels in ([], ["Commentary:"])


def test_imported_copy_marks_its_commentary_subheading_as_a_commentary_part():
    make_section("News")
    (story,) = import_file(name="wire.txt", content=WIRE_STORY.encode())

    (part,) = _part_words(story.body)
    assert part[:2] == ("commentary", "Commentary: A costly delay")
    assert part[2][0].startswith("This is not the first time the city has promised new pipes.")
    assert [h.get_text() for h in _soup(story.body).find_all("h2")][-1] == "Commentary: A costly delay"
    assert story_parts(story.body)[0].title == "A costly delay"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "notes.md",
            "# Ferry Timetable Changes\n\nThe ferry runs hourly.\n\n"
            "## ANALYSIS: A fragile service\n\nOne boat is left.\n",
        ),
        (
            "item.json",
            json.dumps(
                {
                    "uri": "urn:parts:ferry",
                    "headlines": [{"value": "Ferry Timetable Changes"}],
                    "bodies": [
                        {
                            "contenttype": "text/html",
                            "value": "<p>The ferry runs hourly.</p>"
                            "<h3><strong>Analysis:</strong> A fragile service</h3><p>One boat is left.</p>",
                        }
                    ],
                }
            ),
        ),
        (
            "text.json",
            json.dumps(
                {
                    "uri": "urn:parts:ferry-text",
                    "headlines": [{"value": "Ferry Timetable Changes"}],
                    "bodies": [
                        {
                            "contenttype": "text/plain",
                            "value": "The ferry runs hourly.\nAnalysis: A fragile service\nOne boat is left.",
                        }
                    ],
                }
            ),
        ),
        (
            "item.xml",
            "<nitf><head><title>Ferry Timetable Changes</title></head><body><body.head><hedline><hl1>Ferry Timetable"
            " Changes</hl1></hedline></body.head><body.content><p>The ferry runs hourly.</p><hl2>analysis: A fragile"
            " service</hl2><p>One boat is left.</p></body.content></body></nitf>",
        ),
    ],
)
def test_every_import_format_marks_an_analysis_subheading(name, content):
    (story,) = import_file(name=name, content=content.encode())

    (part,) = _part_words(story.body)
    assert part == ("analysis", "Analysis: A fragile service", ["One boat is left."])


def test_a_heading_that_only_mentions_analysis_is_no_part():
    story = make_story("Rates", body="<h2>Analysis of the rates shows a rise</h2><p>x</p><h2>Commentators agree</h2>")
    assert story_parts(Story.objects.get(pk=story.pk).body) == []


def test_readers_see_the_part_labelled_and_search_engines_read_it_as_a_part_of_its_kind(client):
    story = make_story("Toll Bridge Closes to Lorries", body=BRIDGE, section=make_section("News"))

    page = _soup(client.get(story.get_absolute_url()).content.decode())

    part = page.select_one(".story__body section.story-part")
    assert part.select_one(".story-part__label").get_text() == "Analysis:"
    assert part.h2.get_text(" ", strip=True) == "Analysis : Why the cables failed"
    ld = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    (article,) = [block for block in ld if block["@type"] == "NewsArticle"]  # the story stays news
    page_url = article["url"]
    assert article["hasPart"] == [
        {
            "@type": "AnalysisNewsArticle",
            "@id": f"{page_url}#{part.h2['id']}",
            "url": f"{page_url}#{part.h2['id']}",
            "name": "Why the cables failed",
            "cssSelector": f"#{part.h2['id']}",
            "isPartOf": {"@id": page_url},
        }
    ]


def test_a_story_without_parts_has_no_has_part(client):
    story = make_story("Plain news", body="<h2>Detours</h2><p>Ring road.</p>")
    page = _soup(client.get(story.get_absolute_url()).content.decode())
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert "hasPart" not in ld


def test_feeds_and_the_api_carry_the_part_in_the_body(client):
    story = make_story("Toll Bridge Closes to Lorries", body=BRIDGE)

    api_body = client.get(f"/api/ninjs/stories/{story.pk}/").json()["bodies"][0]["value"]
    rss = ET.fromstring(client.get("/feed/").content)
    atom = ET.fromstring(client.get("/feed/atom/").content)

    rss_body = rss.find("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded").text
    atom_body = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}content").text
    for body in (api_body, rss_body, atom_body):
        assert _part_words(body)[0][:2] == ("analysis", "Analysis: Why the cables failed")


BRIDGE_NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf><body><body.head><hedline><hl1>Toll Bridge Closes to Lorries</hl1></hedline></body.head>
<body.content>
<p>The old toll bridge closes to lorries from Monday while engineers replace two rusted cables.</p>
<hl2>Analysis: Why the cables failed</hl2>
<p>Salt spray and twelve years of deferred painting did most of the damage.</p>
<p>The budget for repainting was cut three times.</p>
<hl2>Detours</hl2><p>Lorries will use the ring road until the end of May.</p>
</body.content></body></nitf>"""


def test_an_nitf_subheading_naming_its_kind_imports_as_the_same_part_the_editor_marks():
    marked = make_story("Toll Bridge Closes to Lorries", body=BRIDGE)
    expected = _part_words(marked.body)
    Story.objects.all().delete()

    (imported,) = import_file(name="bridge.xml", content=BRIDGE_NITF)

    assert expected
    assert _part_words(imported.body) == expected


def test_revision_compare_reads_a_part_as_its_blocks():
    body = sanitize_body(BRIDGE)
    assert [block.tag for block in blocks(body)] == ["p", "h2", "p", "p", "h2", "p"]


def test_editors_mark_a_part_from_the_editor_block_menu_and_the_form_saves_it(client, editor):
    story = ready_story("Toll Bridge Closes to Lorries", body="<p>Closed.</p>")
    log_in(client, editor)
    url = f"/admin/articles/story/{story.pk}/change/"
    response = client.get(url)

    config = json.loads(
        _soup(response.content.decode()).select_one("#id_body")["data-django-prose-editor-configurable"]
    )
    menu = config["extensions"]["NodeClass"]["cssClasses"]["heading"]
    assert menu["title"] == "Part kind"
    assert [(c["className"], c["title"]) for c in menu["cssClasses"]] == [
        ("part-commentary", "Commentary"),
        ("part-analysis", "Analysis"),
    ]

    # What the editor posts once "Part kind: Commentary" is chosen on the subheading.
    body = '<p>Closed.</p><h2 class="part-commentary">Our view</h2><p>It should have been done sooner.</p>'
    assert client.post(url, {**form_data(response, "story_form"), "body": body}).status_code == 302
    assert _part_words(Story.objects.get(pk=story.pk).body) == [
        ("commentary", "Commentary: Our view", ["It should have been done sooner."])
    ]


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed story is not on this machine")
def test_the_seed_story_commentary_is_a_commentary_part():
    make_section("News")
    (story,) = import_file(name="seed.txt", content=SEED.read_bytes())
    parts = story_parts(story.body)
    assert [(p.kind, p.title) for p in parts] == [("commentary", SEED_PART.split(": ", 1)[1])]


def test_a_quote_marked_in_a_commentary_part_keeps_its_mark_through_every_save():
    body = (
        '<h2 class="part-commentary">Commentary: A slow thaw</h2>'
        '<p><span data-quote="7">We will rebuild the bridge.</span> The council said so twice.</p>'
    )

    once = sanitize_body(body)
    twice = sanitize_body(once)

    assert twice == once
    assert '<span data-quote="7">We will rebuild the bridge.</span> The council said so twice.' in once
    assert once.startswith('<section class="story-part" data-kind="commentary"')
