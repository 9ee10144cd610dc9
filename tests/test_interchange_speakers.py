"""Imported copy as a wire editor checks it: every speaker suggested, nobody merged by first name."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Person, Quote
from interchange.importing import confirm_suggested_quote, import_file
from interchange.models import SuggestedQuote
from tests.factories import make_person, make_quote, make_story

pytestmark = pytest.mark.django_db
SUGGESTIONS = "/admin/interchange/suggestedquote/"

MARKET_FIRE = "\n".join(
    [
        "Blaze Guts Night Market as Traders Count the Cost",
        "",
        "Fire crews worked through the night to contain a blaze that destroyed more than forty stalls at the "
        "Riverside night market.",
        "“We lost everything we had built in six years,” said Anton, a 19-year-old student who helps at his "
        "mother’s stall.",
        "Provincial Safety Minister Grace Mthembu said on Sunday that an investigation into the cause had begun. "
        "“Nobody will be left to rebuild alone,” Mthembu told traders at the scene.",
        "The market will stay closed for at least a month, according to city manager Themba Zulu.",
        "Mthembu added that emergency grants would be paid within ten days.",
        "{Source: Riverside Wire}",
    ]
)


def _import(text: str = MARKET_FIRE):
    (story,) = import_file(name="fire.txt", content=text.encode())
    return story


def _warehouse_anton() -> Person:
    anton = make_person("Anton", has_profile=False)
    make_quote(make_story("Warehouse strike"), anton, introduction="a 32-year-old warehouse worker")
    return anton


def test_each_speaker_is_suggested_with_every_statement_role_kind_and_paragraph():
    story = _import()
    rows = [(s.name, s.introduction, s.kind, s.paragraph) for s in story.suggested_quotes.all()]
    assert rows == [
        ("Anton", "a 19-year-old student who helps at his mother’s stall", "direct", 2),
        ("Grace Mthembu", "Provincial Safety Minister", "reported", 3),
        ("Grace Mthembu", "Provincial Safety Minister", "direct", 3),
        ("Grace Mthembu", "Provincial Safety Minister", "reported", 5),
        ("Themba Zulu", "city manager", "reported", 4),
    ]


def test_a_different_anton_on_file_is_offered_as_maybe_and_never_applied():
    warehouse = _warehouse_anton()
    suggestion = _import().suggested_quotes.get(name="Anton")
    assert (suggestion.person, suggestion.maybe_person) == (None, warehouse)

    quote = confirm_suggested_quote(suggestion=suggestion)

    assert quote.person != warehouse and quote.person.name == "Anton"
    assert warehouse.quotes.count() == 1  # the warehouse worker's page gains nothing


def test_the_same_anton_by_description_is_proposed_as_the_same_person():
    student = make_person("Anton", has_profile=False)
    make_quote(
        make_story("Exam results"), student, introduction="a 19-year-old student who helps at his mother’s stall"
    )
    suggestion = _import().suggested_quotes.get(name="Anton")
    assert (suggestion.person, suggestion.maybe_person) == (student, None)
    assert confirm_suggested_quote(suggestion=suggestion).person == student


def test_one_speaker_with_several_statements_becomes_one_person_with_several_quotes():
    story = _import()
    for suggestion in story.suggested_quotes.filter(name="Grace Mthembu"):
        confirm_suggested_quote(suggestion=suggestion)
    minister = Person.objects.get(name="Grace Mthembu")
    assert [q.kind for q in minister.quotes.order_by("position")] == ["reported", "direct", "reported"]
    assert minister.has_profile  # introduced by title, not as "a ...": a public figure


def test_two_members_of_the_public_with_one_first_name_in_one_story_stay_two():
    copy = (
        "Queues Return at the Clinic\n\n"
        "“We waited from five in the morning,” said Nadia, a 31-year-old nurse.\n"
        "“I have not been seen in three visits,” said Nadia, a 54-year-old baker.\n"
        "Nadia said she would come back on Monday.\n"
    )
    story = _import(copy)
    for suggestion in story.suggested_quotes.all():
        confirm_suggested_quote(suggestion=suggestion)
    nadias = Person.objects.filter(name="Nadia").order_by("pk")
    assert [[q.introduction for q in p.quotes.all()] for p in nadias] == [
        ["a 31-year-old nurse"],
        ["a 54-year-old baker", "a 54-year-old baker"],
    ]


def test_editor_sees_who_each_suggestion_is_on_file(editor_client):
    warehouse = _warehouse_anton()
    make_person("Grace Mthembu", description="Safety Minister")
    _import()
    page = BeautifulSoup(editor_client.get(SUGGESTIONS).content, "html.parser")
    rows = {
        row.select_one(".field-name").get_text(strip=True): row.select_one(".field-on_file").get_text(" ", strip=True)
        for row in page.select("#result_list tbody tr")
    }
    assert rows["Anton"].startswith("Maybe the same as Anton")
    assert "only the first name matches" in rows["Anton"]
    assert page.select_one(".on-file--maybe a")["href"] == f"/admin/articles/person/{warehouse.pk}/change/"
    assert rows["Grace Mthembu"] == "Same as Grace Mthembu (Safety Minister)"
    assert rows["Themba Zulu"] == "New person"
    kinds = [cell.get_text(strip=True) for cell in page.select("#result_list .field-kind")]
    assert "Reported speech (what the story says they said)" in kinds


def test_editor_confirms_a_maybe_as_the_person_on_file_only_when_asked(editor_client):
    warehouse = _warehouse_anton()
    suggestion = _import().suggested_quotes.get(name="Anton")
    response = editor_client.post(
        SUGGESTIONS, {"action": "confirm_as_maybe", "_selected_action": [suggestion.pk]}, follow=True
    )
    assert "1 suggested quote confirmed as said by someone on file." in response.content.decode()
    assert warehouse.quotes.count() == 2

    other = SuggestedQuote.objects.get(name="Themba Zulu")
    response = editor_client.post(
        SUGGESTIONS, {"action": "confirm_as_maybe", "_selected_action": [other.pk]}, follow=True
    )
    assert "Themba Zulu: There is nobody on file this speaker may be." in response.content.decode()
    assert not Quote.objects.filter(person__name="Themba Zulu").exists()


def test_upload_page_counts_speakers_and_the_ones_that_may_be_someone_on_file(editor_client):
    _warehouse_anton()
    upload = SimpleUploadedFile("fire.txt", MARKET_FIRE.encode())
    page = BeautifulSoup(
        editor_client.post("/admin/interchange/importeditem/upload/", {"files": [upload]}).content, "html.parser"
    )
    row = " ".join(page.select_one("tr.import-ok").get_text(" ", strip=True).split())
    assert "5 suggested quotes to check from 3 speakers; 1 may be someone on file" in row
