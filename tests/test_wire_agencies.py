"""Agency copy as agencies send it, imported as a wire editor expects: every word kept in its language,
the agency as the source (never as a person), pictures to the media library, and clear refusals.

The items are in the shapes dpa, NTB, TT and AP use for ninjs 2.x; their words are invented here.
"""

import base64
import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from articles import publishing
from articles.models import Author, Person, Source, Story
from articles.richtext import proposed_standfirst
from interchange.bylines import split_byline
from interchange.draft import ImportFailed
from interchange.importing import confirm_suggested_quote, import_file, import_files
from interchange.models import ImportedItem
from media.models import Image
from tests.factories import jpeg_bytes, make_person, make_quote, make_section, make_source, make_story

pytestmark = pytest.mark.django_db

DPA_LIKE = {
    "uri": "urn:newsml:dpa.example:20250301:250301-99-100200",
    "version": "3",
    "versioncreated": "2025-03-01T09:12:00+01:00",
    "pubstatus": "usable",
    "urgency": 3,
    "copyrightholder": "dpa",
    "copyrightnotice": "Copyright 2025, dpa. Alle Rechte vorbehalten",
    "language": "de",
    "headlines": [{"role": "main", "value": "Hochwasser an der Mosel: Fähren stellen den Betrieb ein"}],
    "bodies": [
        {
            "role": "html",
            "contenttype": "text/html",
            "value": '<section class="main"><p>Die Fähren zwischen Cochem und Ediger fahren seit Samstag nicht mehr. '
            "Der Pegel der Mosel stieg in einer Nacht um fast einen Meter.</p>"
            "<p>Die Kreisverwaltung rechnet damit, dass das Wasser bis Dienstag weiter steigt. Anwohner sollen "
            "Keller und Garagen räumen.</p>"
            "<p>Bereits im Januar hatte ein Hochwasser die Uferstraßen für eine Woche gesperrt.</p></section>",
        }
    ],
    "by": "Von Jana Kessler, dpa",
}

NTB_LIKE = {
    "uri": "urn:3b1c5a77-0c52-4f8e-9d0e-6a1f2b9c4d10",
    "type": "text",
    "profile": "Standard",
    "version": "2",
    "firstcreated": "2025-03-01T08:00:00Z",
    "versioncreated": "2025-03-01T08:20:00Z",
    "pubstatus": "usable",
    "copyrightholder": "NTB",
    "copyrightnotice": "",
    "ednote": "Kan utvides.",
    "language": "nb-NO",
    "descriptions": [
        {
            "role": "text",
            "contenttype": "text/plain",
            "value": "Bergen kommune har vedtatt å forlenge bybanen til Åsane. Anleggsarbeidet skal etter planen "
            "starte neste vår og ta fire år.",
        }
    ],
    "headlines": [{"role": "main", "value": "Bybanen forlenges til Åsane"}],
    "subjects": [{"name": "Innenriks", "literal": "Innenriks"}, {"name": "Samferdsel", "literal": "04015000"}],
    "by": "NTB",
    "slugline": "bergen-bybane",
}

TT_DOCUMENT = (
    "<html><head><title>Ny färjelinje till Gotland öppnar i juni</title></head><body>"
    '<header><nav>Hem · Nyheter · Sport</nav></header><article> <section data-charcount="612">'
    " <h1>Ny färjelinje till Gotland öppnar i juni</h1>"
    '<div class="dat"><span class="vignette">Inrikes</span><span class="source">TT</span></div>'
    '<div class="bodytext"> <p>Rederiet bekräftar att den nya linjen från Oskarshamn börjar trafikeras den '
    "första juni. Biljetterna släpps nästa vecka.</p>"
    "<blockquote>Vi har väntat länge på att kunna erbjuda en kortare överfart, säger Maria Lind, vd för "
    "rederiet, till TT.</blockquote> <p>Linjen ska trafikeras två gånger om dagen under sommaren och en gång om "
    "dagen resten av året.</p></div> "
    '<figure><img src="https://thumbnail.tt.example/media/a001_NormalThumbnail.jpg" alt="En färja i hamn"/>'
    '<div class="byline">Anna Berg/TT</div><figcaption>En färja i Oskarshamns hamn. Arkivbild.</figcaption>'
    "</figure> </section> </article><aside>Läs också: Fler resenärer till Visby</aside>"
    "<footer>© TT Nyhetsbyrån</footer></body></html>"
)

TT_LIKE = {
    "uri": "http://tt.example/media/text/250301-farjelinje-7c2e",
    "type": "text",
    "representationtype": "full",
    "genres": [{"literal": "INR", "name": "Inrikes"}],
    "version": "1",
    "versioncreated": "2025-03-01T13:40:18+01:00",
    "pubstatus": "usable",
    "copyrightholder": "TT",
    "language": "sv",
    "slugline": "färjelinje",
    "headlines": [{"role": "main", "value": "Ny färjelinje till Gotland öppnar i juni"}],
    "descriptions": [
        {
            "role": "text",
            "value": "Rederiet bekräftar att den nya linjen från Oskarshamn börjar trafikeras den första juni. "
            "– Vi har väntat länge på att kunna",
        }
    ],
    "bodies": [
        {
            "role": "text",
            "contenttype": "text/plain",
            "value": "Ny färjelinje till Gotland öppnar i juni\nInrikes TT\nRederiet bekräftar att den nya linjen...",
        },
        {"role": "html5", "contenttype": "text/html", "value": TT_DOCUMENT},
        {"role": "ttnitf", "contenttype": "application/xml", "value": "<TTNITF><BODY>Fel bärare</BODY></TTNITF>"},
    ],
    "standard": {"name": "TTNINJS", "version": "2.1", "schema": "https://tt.example/spec/ttninjs-schema_2.1.json"},
}

# An English story in a plain-text body, with two people quoted: one of them a member of the public.
PA_LIKE = {
    "uri": "urn:pa.example:2025:storm-ferries",
    "type": "text",
    "language": "en-GB",
    "copyrightholder": "PA Media",
    "by": "By Sam Okafor and Ruth Meyer, PA Media",
    "headlines": [{"role": "main", "value": "Ferries Cancelled as Storm Closes Western Ports"}],
    "bodies": [
        {
            "role": "text",
            "contenttype": "text/plain",
            "value": "Ferries Cancelled as Storm Closes Western Ports\n"
            "All sailings from three western ports were cancelled on Sunday as gusts reached 80 miles an hour.\n"
            "“We had no choice with waves like these,” said Port Director Colin Price.\n"
            "“I have been sleeping in my car since Friday,” said Kwame, a 27-year-old lorry driver.\n"
            "Price said that sailings could resume on Tuesday if the wind eased.",
        }
    ],
}


def _json(item) -> bytes:
    return json.dumps(item, ensure_ascii=False).encode()


def _import(item, name="item.json", **kwargs) -> Story:
    (story,) = import_file(name=name, content=_json(item), **kwargs)
    return story


def _paragraphs(story: Story) -> list[str]:
    return [p.get_text(" ", strip=True) for p in BeautifulSoup(story.body, "html.parser").find_all("p")]


def _publish_as_received(story: Story, editor) -> list[str]:
    """What the checklist asked for before publishing, accepting the proposed standfirst if one was asked."""
    asked = publishing.checklist(story)
    if asked == ["Write a standfirst."]:
        story.standfirst = proposed_standfirst(story.body, settings.NEWSROOM_STANDFIRST_MAX_CHARS)
        story.save()
    publishing.publish(story=story, by=editor)
    return asked


@pytest.mark.parametrize(
    ("byline", "people", "agency"),
    [
        ("Von Jana Kessler, dpa", ["Jana Kessler"], "dpa"),
        ("Von Jana Kessler und Tim Roth, dpa", ["Jana Kessler", "Tim Roth"], "dpa"),
        ("Av Kari Nordmann og Ola Berg, NTB", ["Kari Nordmann", "Ola Berg"], "NTB"),
        ("Av Maria Lind och Per Holm/TT", ["Maria Lind", "Per Holm"], "TT"),
        ("Par Claire Dubois et Luc Martin, AFP", ["Claire Dubois", "Luc Martin"], "AFP"),
        ("Por Ana García y Luis Pérez, EFE", ["Ana García", "Luis Pérez"], "EFE"),
        ("Door Jan de Vries en Piet van Dijk, ANP", ["Jan de Vries", "Piet van Dijk"], "ANP"),
        ("By Sam Okafor and Ruth Meyer, PA Media", ["Sam Okafor", "Ruth Meyer"], "PA Media"),
        ("BY SAM OKAFOR, Reuters", ["SAM OKAFOR"], "Reuters"),
        ("NTB", [], "NTB"),
        ("Kari Nordmann", ["Kari Nordmann"], ""),
    ],
)
def test_byline_lines_in_the_languages_agencies_use_split_into_people_and_the_agency(byline, people, agency):
    assert split_byline(byline, agencies=["PA Media"]) == (people, agency)


def test_dpa_shaped_item_keeps_its_german_text_its_author_and_dpa_as_the_source(client, editor):
    make_section("Nachrichten")
    make_source("DPA")  # on file already, in other letters: the same source

    story = _import(DPA_LIKE, section=make_section("Panorama"))

    assert story.language == "de"
    assert story.source.name == "DPA" and Source.objects.count() == 1
    assert [a.name for a in story.byline_authors] == ["Jana Kessler"]
    assert not Author.objects.filter(name__iexact="dpa").exists()
    assert _paragraphs(story)[0].startswith("Die Fähren zwischen Cochem und Ediger fahren seit Samstag nicht mehr.")
    assert len(_paragraphs(story)) == 3
    assert _publish_as_received(story, editor) == ["Write a standfirst."]
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert page.select_one("article.story")["lang"] == "de"
    assert page.select_one(".byline").get_text(" ", strip=True) == "By Jana Kessler"
    assert page.select_one(".source").get_text(" ", strip=True) == "Source: DPA"


def test_ntb_shaped_item_with_its_text_only_in_a_description_keeps_every_word(client, editor):
    story = _import(NTB_LIKE, section=make_section("Innenriks"))

    assert _paragraphs(story) == [NTB_LIKE["descriptions"][0]["value"]]
    assert story.language == "nb-NO"
    assert story.source.name == "NTB" and story.byline_authors == []
    assert not Author.objects.filter(name__iexact="NTB").exists()
    assert _publish_as_received(story, editor) == ["Write a standfirst."]
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert page.select_one(".byline").get_text(" ", strip=True) == "By NTB"
    item = client.get(f"/api/ninjs/stories/{story.pk}/").json()
    assert (item["language"], item["by"]) == ("nb-NO", "By NTB")


def test_tt_shaped_item_with_a_whole_html5_document_keeps_only_the_article(client, editor):
    story = _import(TT_LIKE, section=make_section("Inrikes"))
    text = BeautifulSoup(story.body, "html.parser").get_text(" ", strip=True)

    assert _paragraphs(story) == [
        "Rederiet bekräftar att den nya linjen från Oskarshamn börjar trafikeras den första juni. Biljetterna "
        "släpps nästa vecka.",
        "Vi har väntat länge på att kunna erbjuda en kortare överfart, säger Maria Lind, vd för rederiet, till TT.",
        "Linjen ska trafikeras två gånger om dagen under sommaren och en gång om dagen resten av året.",
    ]
    assert story.headline not in text  # the headline is not repeated at the top of the body
    for furniture in ("Inrikes", "Hem", "Läs också", "© TT", "Anna Berg", "Fel bärare"):
        assert furniture not in text
    assert (
        story.standfirst == "Rederiet bekräftar att den nya linjen från Oskarshamn börjar trafikeras den första juni."
    )
    assert story.language == "sv" and story.source.name == "TT" and story.byline_authors == []
    assert _publish_as_received(story, editor) == []  # source byline, the agency's own teaser as standfirst
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert (ld["inLanguage"], ld["author"]) == ("sv", [{"@type": "Organization", "name": "TT"}])


def test_an_english_wire_story_finds_its_speakers_and_merges_nobody_by_first_name(editor):
    other_kwame = make_person("Kwame", has_profile=False)
    make_quote(make_story("Market traders"), other_kwame, introduction="a 61-year-old fish seller")

    story = _import(PA_LIKE, section=make_section("News"))

    assert story.language == "en-GB" and story.source.name == "PA Media"
    assert [a.name for a in story.byline_authors] == ["Sam Okafor", "Ruth Meyer"]
    assert _paragraphs(story)[0].startswith("All sailings from three western ports")  # no headline repeated
    speakers = {(s.name, s.introduction, s.kind) for s in story.suggested_quotes.all()}
    assert speakers == {
        ("Colin Price", "Port Director", "direct"),
        ("Colin Price", "Port Director", "reported"),
        ("Kwame", "a 27-year-old lorry driver", "direct"),
    }
    kwame = story.suggested_quotes.get(name="Kwame")
    assert (kwame.person, kwame.maybe_person) == (None, other_kwame)
    quote = confirm_suggested_quote(suggestion=kwame, user=editor)
    assert quote.person != other_kwame and Person.objects.filter(name="Kwame").count() == 2
    assert _publish_as_received(story, editor) == ["Write a standfirst."]


def test_an_item_with_no_text_anywhere_imports_its_headline_and_says_so():
    item = {"uri": "urn:flash:1", "headlines": [{"value": "Flash: Port closed"}], "language": "en"}
    (outcome,) = import_files(files=[("flash.json", _json(item))])
    assert outcome.ok and outcome.stories[0].body == ""
    assert outcome.notes == ['"Flash: Port closed" came with no text in any body or description.']


def test_a_language_that_is_no_tag_is_noted_and_the_story_keeps_the_site_language():
    (outcome,) = import_files(files=[("item.json", _json(NTB_LIKE | {"language": "norsk"}))])
    assert outcome.stories[0].language == Story(headline="x").language
    assert '"norsk" is not a language tag' in outcome.notes[0]


# --- pictures -------------------------------------------------------------------------------------

AP_LIKE_PICTURE = {
    "uri": "http://api.ap.example/media/v/content/4f2a9c?qt=x1",
    "type": "picture",
    "version": "0",
    "firstcreated": "2025-03-01T13:39:59Z",
    "pubstatus": "usable",
    "usageterms": "Editorial use only.",
    "ednote": "FILE PHOTO",
    "language": "en",
    "descriptions": [
        {"role": "creditline", "value": "AP"},
        {
            "role": "caption",
            "value": "Waves break over the harbour wall at Porthcawl, Wales, on Sunday. Forecasters expect the wind "
            "to ease by Tuesday. (AP Photo/Lee Chan)",
        },
    ],
    "headlines": [{"role": "main", "value": "Britain Storm"}],
    "infosources": [{"name": "AP"}],
    "renditions": [
        {
            "name": "main",
            "href": "http://api.ap.example/media/v/content/4f2a9c.0/download?role=main",
            "width": 3000,
            "height": 2000,
            "contenttype": "image/jpeg",
        },
        {"name": "preview", "href": "http://api.ap.example/preview/harbour-wall.jpg", "width": 512, "height": 341},
    ],
}


def _embedded(item: dict) -> dict:
    data = base64.b64encode(jpeg_bytes(120, 80)).decode()
    return item | {"renditions": [{"name": "main", "href": f"data:image/jpeg;base64,{data}", "width": 120}]}


def test_an_ap_shaped_picture_with_its_file_embedded_goes_to_the_media_library_not_a_story():
    (outcome,) = import_files(files=[("picture.json", _json(_embedded(AP_LIKE_PICTURE)))])

    assert outcome.ok and outcome.stories == [] and Story.objects.count() == 0
    (image,) = Image.objects.all()
    assert outcome.images == [image]
    assert (image.title, image.credit, image.width) == ("Britain Storm", "AP", 120)
    assert image.caption.startswith("Waves break over the harbour wall at Porthcawl")
    assert image.alt_text == "Waves break over the harbour wall at Porthcawl, Wales, on Sunday."
    assert "Usage terms: Editorial use only." in image.source_notes and "Language: en" in image.source_notes
    assert not Person.objects.exists() and not Author.objects.exists()
    assert any("alt text" in note for note in outcome.notes)


def test_a_picture_file_uploaded_beside_its_item_is_used_and_a_second_import_updates_the_words():
    item = AP_LIKE_PICTURE | {"renditions": [{"name": "main", "href": "harbour-wall.jpg", "width": 120}]}
    files = [("picture.json", _json(item)), ("Harbour-Wall.JPG", jpeg_bytes(120, 80))]

    first = import_files(files=files)
    caption = {"role": "caption", "value": "Waves at Porthcawl on Sunday."}
    corrected = item | {"descriptions": [{"role": "creditline", "value": "AP"}, caption]}
    second = import_files(files=[("picture.json", _json(corrected))])

    assert [o.ok for o in first] == [True, True]
    assert first[1].notes == ["The file of a picture item in this upload."]
    (image,) = Image.objects.all()
    assert image.caption == "Waves at Porthcawl on Sunday."  # the corrected caption, on the same picture
    assert second[0].images == [image] and ImportedItem.objects.get().image == image


def test_a_picture_whose_file_is_only_on_the_network_is_refused_in_one_line():
    before = Image.objects.count(), Story.objects.count()

    (outcome,) = import_files(files=[("picture.json", _json(AP_LIKE_PICTURE))])

    assert not outcome.ok and "\n" not in outcome.error
    assert outcome.error.startswith('The picture "Britain Storm" was not imported: its file is only at http://api.ap.')
    assert "fetches nothing over the network" in outcome.error
    assert (Image.objects.count(), Story.objects.count()) == before


def test_a_picture_uploaded_with_no_item_naming_it_is_refused():
    (outcome,) = import_files(files=[("harbour.jpg", jpeg_bytes())])
    assert not outcome.ok and "no ninjs picture item in this upload names" in outcome.error
    assert not Image.objects.exists()


@pytest.mark.parametrize("kind", ["audio", "video"])
def test_audio_and_video_items_are_refused_in_one_line_and_make_no_empty_story(kind):
    item = {"uri": f"urn:clip:{kind}", "type": kind, "headlines": [{"value": "Storm at sea"}]}
    with pytest.raises(ImportFailed) as refusal:
        import_file(name="clip.json", content=_json(item))
    assert str(refusal.value) == (
        f'"Storm at sea" is a {kind} item: Newsroom imports text and pictures only, '
        f"so add the {kind} to a story by hand."
    )
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"uri": "urn:old:1", "headline": "Ferries cancelled", "body_text": "All sailings stopped."},
            "The item looks like ninjs 1.x (it has body_text, headline), not 2.x.",
        ),
        (
            {"uri": "urn:old:2", "$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_1.5.json", "headline": "x"},
            "The item is ninjs 1.5 (its $schema says so), not 2.x.",
        ),
        (
            {"uri": "urn:new:1", "standard": {"name": "ninjs", "version": "3.0"}, "headlines": [{"value": "x"}]},
            "The item is ninjs 3.0 (its standard.version says so), not 2.x.",
        ),
        (
            {"uri": "urn:new:2", "versionCreated": "2025-03-01T10:00:00Z", "headlines": [{"value": "x"}]},
            "The item looks like ninjs 3.x (it has versionCreated), not 2.x.",
        ),
    ],
)
def test_ninjs_1x_and_3x_are_refused_in_one_line_naming_the_version_seen(item, message):
    with pytest.raises(ImportFailed) as refusal:
        import_file(name="item.json", content=_json(item))
    assert str(refusal.value) == f"{message} Newsroom reads ninjs 2.x: ask the sender for ninjs 2.x."
    assert not Story.objects.exists()


def test_a_2x_item_that_still_carries_1x_fields_loses_none_of_its_text():
    item = {
        "uri": "urn:mixed:1",
        "$schema": "https://www.iptc.org/std/ninjs/ninjs-schema_2.0.json",
        "headlines": [{"role": "main", "value": "Ferries Resume After Storm"}],
        "byline": "By Ruth Meyer, PA Media",
        "copyrightholder": "PA Media",
        "body_html": "<p>Sailings resumed on Tuesday morning.</p>",
        "description_text": "Ports reopen after two days.",
    }
    story = _import(item)
    assert _paragraphs(story) == ["Sailings resumed on Tuesday morning."]
    assert story.standfirst == "Ports reopen after two days."
    assert [a.name for a in story.byline_authors] == ["Ruth Meyer"] and story.source.name == "PA Media"
