"""People on file: never merged by first name alone, merged and split by editors with history."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied

from articles.models import Person, Quote
from articles.people import descriptions_match, match_person, merge_people, split_person
from tests.factories import log_in, make_person, make_quote, make_staff, make_story

pytestmark = pytest.mark.django_db


def _member_of_public(name: str, introduction: str) -> Person:
    person = make_person(name, has_profile=False)
    make_quote(make_story(), person, introduction=introduction)
    return person


def test_descriptions_match_on_role_and_age_within_a_year():
    assert descriptions_match("a 32-year-old warehouse worker", "a 33-year-old warehouse worker")
    assert descriptions_match("a warehouse worker", "a 32-year-old warehouse worker")
    assert not descriptions_match("a 32-year-old warehouse worker", "a 19-year-old warehouse worker")
    assert not descriptions_match("a 32-year-old warehouse worker", "a 32-year-old student")
    assert not descriptions_match("", "")


def test_full_name_is_the_same_person():
    minister = make_person("Amina Odhiambo", description="Foreign Minister")
    assert match_person("Amina Odhiambo", "Kenyan Foreign Minister") == (minister, None)


def test_first_name_with_the_same_description_is_the_same_person():
    anton = _member_of_public("Anton", "a 32-year-old warehouse worker")
    assert match_person("Anton", "a 32-year-old warehouse worker").same == anton


def test_first_name_alone_is_only_maybe_the_same_person():
    anton = _member_of_public("Anton", "a 32-year-old warehouse worker")
    match = match_person("Anton", "a 19-year-old student")
    assert match.same is None and match.maybe == anton


def test_a_new_name_matches_nobody():
    _member_of_public("Anton", "a 32-year-old warehouse worker")
    assert match_person("Lerato", "a 27-year-old vendor") == (None, None)
    assert match_person("Anton Petrov", "a 32-year-old warehouse worker") == (None, None)


def test_merging_moves_quotes_removes_the_duplicate_and_records_why():
    editor = make_staff(roles=["Editor"])
    kept = make_person("Lindiwe Khumalo")
    duplicate = make_person("Lindiwe Khumalo", description="Mayor of Harbour City")
    quote = make_quote(make_story(), duplicate)

    assert merge_people(people=[kept, duplicate], into=kept, by=editor) == 1

    quote.refresh_from_db()
    kept.refresh_from_db()
    assert quote.person == kept and kept.description == "Mayor of Harbour City"
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    gone = Person.history.filter(id=duplicate.pk).latest()
    assert (gone.history_type, gone.history_change_reason, gone.history_user) == (
        "-",
        f"Merged into Lindiwe Khumalo (id {kept.pk})",
        editor,
    )
    assert quote.history.latest().history_change_reason == f"Merged into Lindiwe Khumalo (id {kept.pk})"
    assert kept.history.latest().history_change_reason == f"Merged in Lindiwe Khumalo (id {duplicate.pk})"


def test_splitting_moves_the_chosen_quotes_to_a_new_person():
    editor = make_staff(roles=["Editor"])
    anton = make_person("Anton", has_profile=False)
    worker = make_quote(make_story(), anton, introduction="a 32-year-old warehouse worker")
    student = make_quote(make_story(), anton, introduction="a 19-year-old student")

    new = split_person(person=anton, quotes=[student], description="a 19-year-old student", by=editor)

    assert (new.name, new.description, new.has_profile) == ("Anton", "a 19-year-old student", False)
    assert list(new.quotes.all()) == [student] and list(anton.quotes.all()) == [worker]
    assert new.history.latest().history_change_reason == f"Split from Anton (id {anton.pk})"
    assert anton.history.latest().history_change_reason == f"Split: 1 quote(s) moved to Anton (id {new.pk})"


def test_reporters_cannot_merge_or_split_people():
    reporter = make_staff(roles=["Reporter"])
    first, second = make_person("Anton"), make_person("Anton")
    quote = make_quote(make_story(), second)
    with pytest.raises(PermissionDenied):
        merge_people(people=[first, second], into=first, by=reporter)
    with pytest.raises(PermissionDenied):
        split_person(person=second, quotes=[quote], by=reporter)
    assert Person.objects.count() == 2 and Quote.objects.get().person == second


def test_editor_merges_people_from_the_list_choosing_which_one_stays(client):
    log_in(client, make_staff(roles=["Editor"]))
    kept, duplicate = make_person("Sipho Ndlovu"), make_person("Sipho Ndlovu", description="a union organiser")
    make_quote(make_story(), duplicate)
    chosen = {"action": "merge_into", "_selected_action": [kept.pk, duplicate.pk]}

    page = BeautifulSoup(client.post("/admin/articles/person/", chosen).content, "html.parser")
    assert [r["value"] for r in page.select("input[name=into]")] == [str(kept.pk), str(duplicate.pk)]
    assert "Sipho Ndlovu (a union organiser): 1 quote" in page.get_text(" ", strip=True)

    response = client.post("/admin/articles/person/", {**chosen, "into": kept.pk, "apply": "Merge"}, follow=True)
    assert "Merged into Sipho Ndlovu: 1 quote moved." in response.content.decode()
    assert list(Person.objects.values_list("pk", flat=True)) == [kept.pk]
    history = client.get(f"/admin/articles/person/{kept.pk}/history/").content.decode()
    assert f"Merged in Sipho Ndlovu (id {duplicate.pk})" in history


def test_editor_splits_a_person_from_their_page(client):
    log_in(client, make_staff(roles=["Editor"]))
    anton = make_person("Anton", has_profile=False)
    make_quote(make_story("Warehouse strike"), anton, text="We want our wages.")
    student = make_quote(make_story("Exam results"), anton, text="The maths paper was fair.")

    change = BeautifulSoup(client.get(f"/admin/articles/person/{anton.pk}/change/").content, "html.parser")
    split_url = change.find("a", string="Split: move some of their quotes to a new person")["href"]
    form = BeautifulSoup(client.get(split_url).content, "html.parser")
    labels = [label.get_text(" ", strip=True) for label in form.select("#id_quotes label")]
    assert "Exam results: The maths paper was fair." in labels

    response = client.post(split_url, {"quotes": [student.pk], "name": "Anton", "description": "a student"})
    new = Person.objects.exclude(pk=anton.pk).get()
    assert response["Location"] == f"/admin/articles/person/{new.pk}/change/"
    assert list(new.quotes.all()) == [student] and anton.quotes.count() == 1


def test_reporters_see_no_merge_action_and_cannot_split(client):
    log_in(client, make_staff(roles=["Reporter"]))
    anton = make_person("Anton")
    make_quote(make_story(), anton)
    other = make_person("Anton")
    assert client.get(f"/admin/articles/person/{anton.pk}/split/").status_code == 403
    page = BeautifulSoup(client.get("/admin/articles/person/").content, "html.parser")
    assert page.select("select[name=action] option[value=merge_into]") == []
    chosen = {"action": "merge_into", "_selected_action": [anton.pk, other.pk], "into": anton.pk, "apply": "Merge"}
    client.post("/admin/articles/person/", chosen)
    assert Person.objects.count() == 2
