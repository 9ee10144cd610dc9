import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command

from articles.models import Person, Quote, Source, Story
from interchange.draft import ImportFailed
from interchange.importing import confirm_suggested_quote, dismiss_suggested_quote, import_file, import_files
from interchange.models import ImportedItem, SuggestedQuote
from tests.factories import make_person, make_section
from tests.interchange_samples import MARKDOWN_STORY, WIRE_STORY, WIRE_SUBHEADINGS

pytestmark = pytest.mark.django_db


def _import(text: str, name: str = "wire.txt", **kwargs) -> Story:
    (story,) = import_file(name=name, content=text.encode(), **kwargs)
    return story


def _counts():
    return [model.objects.count() for model in (Story, Source, Person, SuggestedQuote, ImportedItem)]


def test_wire_story_imports_as_a_draft_with_section_headline_subheadings_and_source():
    news = make_section("News")
    story = _import(WIRE_STORY)
    soup = BeautifulSoup(story.body, "html.parser")
    assert story.status == Story.Status.DRAFT
    assert story.section == news
    assert story.headline == "Harbour City Council Weighs Water Levy as Residents Demand Repairs"
    assert [h.get_text() for h in soup.find_all("h2")] == WIRE_SUBHEADINGS
    assert story.source.name == "The Coastal Herald"
    assert len(soup.find_all("p")) == 8
    assert soup.find("p").get_text().startswith("For eleven weeks")


def test_wire_story_drops_promotional_lines_and_keeps_the_source_line_off_the_body():
    make_section("News")
    story = _import(WIRE_STORY)
    text = BeautifulSoup(story.body, "html.parser").get_text()
    assert "Follow Harbour Daily" not in text
    assert "For more News in Port Alfred" not in text
    assert "Source" not in text
    assert "Seaview spends queueing." in text


def test_wire_story_offers_attributed_speech_as_suggested_quotes_linked_to_known_people():
    make_section("News")
    mayor = make_person("Lindiwe Khumalo", description="Mayor of Harbour City")
    story = _import(WIRE_STORY)
    suggestions = list(story.suggested_quotes.order_by("position"))
    assert [(s.name, s.person, s.introduction, s.kind, s.paragraph) for s in suggestions] == [
        ("Lindiwe Khumalo", mayor, "the city’s mayor", "direct", 3),
        ("Nomsa", None, "a 41-year-old school cook", "direct", 5),
        ("Pieter", None, "a 58-year-old retired fitter", "reported", 6),
    ]
    assert suggestions[1].text == (
        "The pipes have been leaking since winter. "
        "We carry buckets every morning and nobody from the council has come to look."
    )
    assert not Quote.objects.exists()  # nothing is a quote until an editor confirms it


def test_reported_speech_is_suggested_whole_but_scare_quotes_without_a_speaker_are_not():
    make_section("News")
    story = _import(WIRE_STORY)
    texts = " ".join(story.suggested_quotes.values_list("text", flat=True))
    assert "blank cheque" not in texts
    reported = story.suggested_quotes.get(kind="reported")
    assert reported.text.startswith("Pieter, a 58-year-old retired fitter, said he hoped repairs would start")
    assert "“before the rains”" in reported.text


def test_confirming_a_suggestion_creates_the_quote_and_a_member_of_the_public():
    make_section("News")
    story = _import(WIRE_STORY)
    suggestion = story.suggested_quotes.get(name="Nomsa")
    quote = confirm_suggested_quote(suggestion=suggestion)
    assert quote.story == story
    assert quote.person.name == "Nomsa"
    assert quote.person.has_profile is False
    assert quote.introduction == "a 41-year-old school cook"
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestedQuote.Status.CONFIRMED
    assert suggestion.quote == quote
    with pytest.raises(ImportFailed, match="already confirmed"):
        confirm_suggested_quote(suggestion=suggestion)


def test_confirming_a_suggestion_for_a_known_person_reuses_them():
    make_section("News")
    mayor = make_person("Lindiwe Khumalo")
    story = _import(WIRE_STORY)
    quote = confirm_suggested_quote(suggestion=story.suggested_quotes.get(name="Lindiwe Khumalo"))
    assert quote.person == mayor
    assert Person.objects.count() == 1


def test_dismissed_suggestion_makes_no_quote():
    make_section("News")
    story = _import(WIRE_STORY)
    suggestion = story.suggested_quotes.get(name="Nomsa")
    dismiss_suggested_quote(suggestion=suggestion)
    assert story.suggested_quotes.pending().count() == 2
    assert not Quote.objects.exists()
    with pytest.raises(ImportFailed):
        dismiss_suggested_quote(suggestion=suggestion)


def test_label_naming_no_section_fails_cleanly_and_imports_nothing():
    make_section("Sport")
    before = _counts()
    with pytest.raises(ImportFailed, match='"News" looks like a section label'):
        _import(WIRE_STORY)
    assert _counts() == before


def test_section_label_matches_a_section_by_slug_or_name_whatever_the_case():
    news = make_section("News")
    assert _import(WIRE_STORY.replace("News\n", "NEWS\n", 1)).section == news


def test_short_headline_above_a_paragraph_is_a_headline_not_a_section_label():
    story = _import("Water Cuts Return\nCrews began work on the main pipe before dawn on Monday.\n")
    assert story.headline == "Water Cuts Return"
    assert story.section is None


def test_copy_without_a_label_takes_the_default_section():
    business = make_section("Business")
    story = _import(WIRE_STORY.split("\n", 1)[1], section=business)
    assert story.headline.startswith("Harbour City Council")
    assert story.section == business


def test_markdown_copy_keeps_emphasis_and_links_and_loses_scripts():
    story = _import(MARKDOWN_STORY, name="ferry.md")
    soup = BeautifulSoup(story.body, "html.parser")
    assert story.headline == "Ferry Service Resumes After Storm Repairs"
    assert story.section is None
    assert [h.get_text() for h in soup.find_all("h2")] == ["What changed"]
    assert soup.find("strong").get_text() == "Monday"
    link = soup.find("a")
    assert link["href"] == "https://ferry.example/timetable"
    assert "in time for the school term" in soup.get_text()
    assert soup.find("script") is None and "alert" not in story.body
    assert story.source.name == "Harbour Wire"


def test_markup_in_plain_text_is_shown_as_text_not_run():
    story = _import('Plain Copy Headline Here\n\nA paragraph with <img src=x onerror="alert(1)"> inside.\n')
    soup = BeautifulSoup(story.body, "html.parser")
    assert soup.find("img") is None
    assert "<img src=x" in soup.get_text()


def test_empty_file_fails_with_a_clear_error():
    with pytest.raises(ImportFailed, match="empty"):
        _import("\n \n")


def test_file_that_is_not_utf8_fails_with_a_clear_error():
    before = _counts()
    with pytest.raises(ImportFailed, match="not UTF-8"):
        import_file(name="wire.txt", content=b"Headline\n\n\xff\xfe broken")
    assert _counts() == before


def test_imported_draft_is_not_public(client):
    make_section("News")
    story = _import(WIRE_STORY)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_import_story_command_reports_each_file_and_fails_when_one_is_bad(tmp_path, capsys):
    make_section("News")
    good = tmp_path / "good.txt"
    good.write_text(WIRE_STORY, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"uri": "urn:x", "headlines": [', encoding="utf-8")
    with pytest.raises(CommandError, match="1 of 2 files"):
        call_command("import_story", str(good), str(bad))
    out, err = capsys.readouterr()
    assert "good.txt: draft" in out and "3 suggested quotes" in out
    assert "bad.json: Not valid JSON" in err
    assert Story.objects.count() == 1


def test_import_story_command_counts_one_suggested_quote_in_the_singular(tmp_path, capsys):
    make_section("News")
    one_quote = tmp_path / "one-quote.txt"
    one_quote.write_text(
        "".join(line for line in WIRE_STORY.splitlines(keepends=True) if not line.startswith(("In Seaview", "Pieter"))),
        encoding="utf-8",
    )

    call_command("import_story", str(one_quote))

    out, _ = capsys.readouterr()
    assert "(1 suggested quote)" in out


def test_reimporting_the_same_copy_updates_its_draft_instead_of_duplicating_it():
    make_section("News")
    first = _import(WIRE_STORY)
    corrected = WIRE_STORY.replace("For eleven weeks", "For twelve weeks").replace(
        "Harbour City Council Weighs", "Harbour City council  weighs"
    )

    (second,) = import_files(files=[("wire-corrected.txt", corrected.encode())])

    assert second.ok and [story.pk for story in second.stories] == [first.pk]
    assert second.updated == {first.pk}
    assert Story.objects.count() == 1 and SuggestedQuote.objects.count() == 3
    assert "For twelve weeks" in Story.objects.get().body


def test_the_same_headline_from_another_source_is_another_story():
    make_section("News")
    first = _import(WIRE_STORY)
    second = _import(WIRE_STORY.replace("The Coastal Herald", "Valley Wire"))
    assert second.pk != first.pk
    assert sorted(Story.objects.values_list("source__name", flat=True)) == ["The Coastal Herald", "Valley Wire"]


def test_reimporting_copy_already_published_changes_nothing():
    make_section("News")
    story = _import(WIRE_STORY)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.PUBLISHED, published_at=story.created_at)
    before = _counts()
    with pytest.raises(ImportFailed, match="already published"):
        _import(WIRE_STORY.replace("For eleven weeks", "For twelve weeks"))
    assert _counts() == before
    assert "For eleven weeks" in Story.objects.get().body


def test_import_story_command_says_when_it_updated_an_earlier_draft(tmp_path, capsys):
    make_section("News")
    path = tmp_path / "wire.txt"
    path.write_text(WIRE_STORY, encoding="utf-8")
    call_command("import_story", str(path))
    call_command("import_story", str(path))
    lines = capsys.readouterr().out.splitlines()
    story = Story.objects.get()
    assert [line.split(" (")[0] for line in lines] == [
        f'{path}: draft {story.pk} "{story.headline}"',
        f'{path}: updated draft {story.pk} "{story.headline}"',
    ]


def test_import_story_command_rejects_an_unknown_default_section(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(WIRE_STORY, encoding="utf-8")
    with pytest.raises(CommandError, match="Unknown section"):
        call_command("import_story", str(path), "--section", "nowhere")
