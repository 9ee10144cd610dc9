import json

import pytest
from bs4 import BeautifulSoup

from articles.models import Author, Person, Section, Source, Story
from interchange import ninjs
from interchange.draft import ImportFailed
from interchange.importing import import_file, import_files
from interchange.models import ImportedItem, SuggestedQuote
from tests.factories import make_author, make_section, make_source, make_story

pytestmark = pytest.mark.django_db
BASE = "https://news.example"


def _counts():
    return [m.objects.count() for m in (Story, Section, Source, Author, Person, SuggestedQuote, ImportedItem)]


def _wire_item(uri="urn:wire:2025:0001", **overrides) -> dict:
    item = {
        "uri": uri,
        "type": "text",
        "language": "en",
        "headlines": [{"role": "main", "value": "Dam Levels Rise After a Week of Rain"}],
        "descriptions": [{"role": "summary", "value": "The catchment area had its wettest week in four years."}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": '<p>Levels rose by nine points.</p><h2>Outlook</h2><p onclick="x()">More rain is due.</p>'
                "<script>steal()</script><img src=https://evil.example/x.png>",
            }
        ],
        "people": [{"name": "Ayanda Zulu", "rel": "author"}],
        "subjects": [{"name": "News", "rel": "section"}, {"name": "Weather"}, {"name": "Water", "rel": "tag"}],
        "infosources": [{"name": "Valley Wire"}],
        "renditions": [{"name": "web", "href": "https://wire.example/dam-levels", "contenttype": "text/html"}],
    }
    return item | overrides


def _import_json(data, name="item.json") -> list[Story]:
    return import_file(name=name, content=json.dumps(data).encode())


def test_ninjs_item_imports_as_a_sanitized_draft():
    news = make_section("News")
    (story,) = _import_json(_wire_item())
    soup = BeautifulSoup(story.body, "html.parser")
    assert story.status == Story.Status.DRAFT
    assert story.headline == "Dam Levels Rise After a Week of Rain"
    assert story.standfirst.startswith("The catchment area")
    assert story.section == news
    assert [a.name for a in story.byline_authors] == ["Ayanda Zulu"]
    assert sorted(t.name for t in story.tags.all()) == ["Water", "Weather"]
    assert story.source.name == "Valley Wire"
    assert story.original_url == "https://wire.example/dam-levels"
    assert [h.get_text() for h in soup.find_all("h2")] == ["Outlook"]
    assert soup.find("script") is None and soup.find("img") is None
    assert not soup.find_all(attrs={"onclick": True})


def test_ninjs_list_imports_every_item_in_one_go():
    make_section("News")
    stories = _import_json([_wire_item("urn:a"), _wire_item("urn:b")])
    assert len(stories) == 2
    assert set(ImportedItem.objects.values_list("identifier", flat=True)) == {"urn:a", "urn:b"}


def test_reimporting_the_same_item_updates_its_draft_instead_of_duplicating_it():
    make_section("News")
    (first,) = _import_json(_wire_item())
    changed = _wire_item(headlines=[{"role": "main", "value": "Dam Levels Rise Again"}])
    (second,) = _import_json(changed)
    assert second.pk == first.pk
    assert Story.objects.count() == 1
    assert Story.objects.get().headline == "Dam Levels Rise Again"
    assert [a.name for a in second.byline_authors] == ["Ayanda Zulu"]


def test_reimporting_an_item_already_published_changes_nothing():
    make_section("News")
    (story,) = _import_json(_wire_item())
    Story.objects.filter(pk=story.pk).update(status=Story.Status.PUBLISHED, published_at=story.created_at)
    with pytest.raises(ImportFailed, match="already published"):
        _import_json(_wire_item(headlines=[{"value": "Changed"}]))
    assert Story.objects.get().headline == "Dam Levels Rise After a Week of Rain"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"uri": "urn:x", "headlines": [{"value": "Cut off', "Not valid JSON"),
        (b'{"headlines": [{"value": "No uri"}]}', "'uri' is a required property"),
        (b'{"uri": "urn:x", "headlines": [{"role": "main"}]}', "headlines/0: 'value' is a required property"),
        (b'{"uri": "urn:x", "pubstatus": "maybe"}', "pubstatus"),
        (b'{"uri": "urn:x", "bodies": [{"value": "<p>x</p>"}]}', "has no headline"),
        (b"[]", "no ninjs items"),
    ],
)
def test_malformed_ninjs_fails_naming_the_problem_and_imports_nothing(content, message):
    make_section("News")
    before = _counts()
    with pytest.raises(ImportFailed, match=message):
        import_file(name="bad.json", content=content)
    assert _counts() == before


def test_one_bad_item_in_a_list_imports_none_of_the_list():
    make_section("News")
    before = _counts()
    with pytest.raises(ImportFailed, match="Item 2"):
        _import_json([_wire_item("urn:a"), {"uri": "urn:b", "urgency": 12}])
    assert _counts() == before


def test_unknown_section_fails_cleanly_and_imports_nothing():
    make_section("Sport")
    before = _counts()
    with pytest.raises(ImportFailed, match='Unknown section "News"'):
        _import_json(_wire_item())
    assert _counts() == before


def test_batch_reports_each_file_and_keeps_the_good_ones():
    make_section("News")
    outcomes = import_files(
        files=[
            ("good.json", json.dumps(_wire_item()).encode()),
            ("bad.xml", b"<nitf><head>"),
            ("also-good.txt", b"A Headline For Plain Copy\n\nOne paragraph of copy.\n"),
        ]
    )
    assert [(o.name, o.ok, len(o.stories)) for o in outcomes] == [
        ("good.json", True, 1),
        ("bad.xml", False, 0),
        ("also-good.txt", True, 1),
    ]
    assert "Not well-formed XML" in outcomes[1].error
    assert Story.objects.count() == 2


NITF = b"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">
  <head>
    <title>Bridge Reopens to Traffic</title>
    <tobject tobject.type="News"/>
    <docdata>
      <doc-id id-string="nitf-bridge-42"/>
      <key-list><keyword key="Roads"/><keyword key="Transport"/></key-list>
    </docdata>
    <pubdata type="web" position.section="News" ex-ref="https://partner.example/bridge"/>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Bridge Reopens to Traffic</hl1></hedline>
      <byline>By <person>Lerato Dube</person></byline>
      <distributor>Partner Press</distributor>
      <abstract><p>Repairs finished two weeks early.</p></abstract>
    </body.head>
    <body.content>
      <p>The <em>old</em> bridge carries cars again.</p>
      <hl2>Next steps</hl2>
      <block><p>A second lane opens in May. <a href="https://partner.example/lanes">Details</a>.</p></block>
      <media media-type="image"><media-reference source="x.jpg"/></media>
    </body.content>
  </body>
</nitf>
"""


def test_nitf_document_imports_as_a_draft():
    news = make_section("News")
    (story,) = import_file(name="bridge.xml", content=NITF)
    soup = BeautifulSoup(story.body, "html.parser")
    assert story.headline == "Bridge Reopens to Traffic"
    assert story.standfirst == "Repairs finished two weeks early."
    assert story.section == news
    assert [a.name for a in story.byline_authors] == ["Lerato Dube"]
    assert sorted(t.name for t in story.tags.all()) == ["Roads", "Transport"]
    assert story.source.name == "Partner Press"
    assert story.original_url == "https://partner.example/bridge"
    assert [h.get_text() for h in soup.find_all("h2")] == ["Next steps"]
    assert soup.find("em").get_text() == "old"
    assert soup.find("a")["href"] == "https://partner.example/lanes"
    assert story.imported_item.identifier == "nitf-bridge-42"


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<nitf><body><body.head><hedline><hl1>&secret;</hl1></hedline></body.head></body></nitf>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE nitf [
 <!ENTITY a "haha">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<nitf><body><body.head><hedline><hl1>&d;</hl1></hedline></body.head></body></nitf>"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EXTERNAL_ENTITY, "declares entities or refers to external files"),
        (BILLION_LAUGHS, "declares entities or refers to external files"),
        (NITF[:200], "Not well-formed XML"),
        (b"<rss><channel/></rss>", "root element is <rss>"),
        (
            NITF.replace(b"<hl1>Bridge Reopens to Traffic</hl1>", b"<hl1></hl1>")
            .replace(b"<title>", b"<x>")
            .replace(b"</title>", b"</x>"),
            "no headline",
        ),
        (NITF.replace(b'position.section="News"', b'position.section="Lifestyle"'), 'Unknown section "Lifestyle"'),
    ],
)
def test_hostile_or_malformed_nitf_fails_cleanly_and_imports_nothing(content, message):
    make_section("News")
    before = _counts()
    with pytest.raises(ImportFailed, match=message):
        import_file(name="story.xml", content=content)
    assert _counts() == before


def _published_story():
    section = make_section("Metro")
    return make_story(
        "Night Market Opens on the Waterfront",
        section=section,
        authors=[make_author("Kagiso Moloi"), make_author("Ruth Adams")],
        tags=["Markets", "Waterfront"],
        standfirst="Forty stalls, one evening a week.",
        body='<p>Stalls open at six.</p><h2>Getting there</h2><p>Take the <a href="https://bus.example">bus</a>.</p>',
        source=make_source("Bay Partner"),
    )


def _same_story(copy: Story, original: Story) -> None:
    assert copy.pk != original.pk
    assert copy.headline == original.headline
    assert copy.standfirst == original.standfirst
    assert copy.body == original.body
    assert [a.name for a in copy.byline_authors] == ["Kagiso Moloi", "Ruth Adams"]
    assert copy.section == original.section
    assert sorted(t.name for t in copy.tags.all()) == ["Markets", "Waterfront"]
    assert copy.source == original.source


def test_ninjs_round_trip_keeps_headline_body_bylines_section_and_tags():
    original = Story.objects.for_detail().get(pk=_published_story().pk)
    item = ninjs.story_to_ninjs(original, base_url=BASE)
    assert not list(ninjs.validator().iter_errors(item))
    (copy,) = _import_json(item)
    _same_story(copy, original)
    assert copy.imported_item.identifier == item["uri"]
