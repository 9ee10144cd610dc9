"""Quotes made from words selected in the story text: the endpoint, who may be quoted, and the body's mark."""

import pytest
from django.test import Client

from articles import quoting
from articles.models import Person, Quote, Story
from articles.richtext import sanitize_body
from tests.factories import log_in, make_person, make_quote, make_story, make_user, ready_story

pytestmark = pytest.mark.django_db

BODY = "<p>“People work six days a week. Sunday is when they can read,” said the librarian.</p>"
WORDS = "People work six days a week. Sunday is when they can read,"


def quote_url(story) -> str:
    return f"/admin/articles/story/{story.pk}/quotes/"


def people_url(term: str) -> str:
    return f"/admin/articles/story/people/?q={term}"


@pytest.fixture
def draft(reporter):
    return ready_story("Library opens on Sundays", created_by=reporter, body=BODY)


@pytest.mark.parametrize(
    ("selection", "kept"),
    [
        ("“People work six days a week,”", "People work six days a week"),
        ("  Sunday is\n when they   can read, ", "Sunday is when they can read"),
        ("‘Enough.’", "Enough."),
        (" “” ", ""),
    ],
)
def test_the_quote_keeps_the_selected_words_without_the_marks_around_them(selection, kept):
    assert quoting.quoted_words(selection) == kept


@pytest.mark.parametrize(
    ("age", "role", "description"),
    [
        (32, "warehouse worker", "a 32-year-old warehouse worker"),
        (18, "a student", "an 18-year-old student"),
        (81, "", "an 81-year-old"),
        (None, "Mayor of Soweto", "Mayor of Soweto"),
    ],
)
def test_a_new_person_is_introduced_the_way_wire_copy_does(age, role, description):
    assert quoting.describe(age=age, role=role) == description


def test_a_reporter_quotes_a_new_person_from_her_selection_in_one_request(client, reporter, draft):
    log_in(client, reporter)

    response = client.post(
        quote_url(draft), {"text": f"“{WORDS}”", "name": " Zanele  Khumalo ", "age": "52", "role": "librarian"}
    )

    assert response.status_code == 201
    quote = Quote.objects.get()
    person = Person.objects.get()
    assert response.json() == {
        "quote": {"id": quote.pk, "text": WORDS.rstrip(","), "attribution": "Zanele Khumalo, a 52-year-old librarian"},
        "person": {"id": person.pk, "name": "Zanele Khumalo", "description": "a 52-year-old librarian"},
        "new_person": True,
    }
    assert (quote.story, quote.person, quote.kind, quote.position) == (draft, person, Quote.Kind.DIRECT, 0)
    assert quote.history.get().history_user == reporter
    assert person.history.get().history_user == reporter


def test_quoting_someone_on_file_by_id_adds_one_quote_and_no_person(client, reporter, draft):
    mayor = make_person("Thandi Mokoena", description="Mayor of Soweto", has_profile=True)
    make_quote(draft, mayor, "We listened.", position=3)
    log_in(client, reporter)

    response = client.post(quote_url(draft), {"text": WORDS, "person": mayor.pk, "kind": "reported"})

    assert response.status_code == 201 and response.json()["new_person"] is False
    assert Person.objects.count() == 1
    quote = Quote.objects.get(pk=response.json()["quote"]["id"])
    assert (quote.person, quote.kind, quote.position, quote.introduction) == (mayor, "reported", 4, "")


def test_a_new_name_that_is_someone_on_file_is_not_filed_twice(client, reporter, draft):
    on_file = make_person("Zanele Khumalo", description="librarian")
    log_in(client, reporter)

    response = client.post(quote_url(draft), {"text": WORDS, "name": "zanele khumalo"})

    assert response.status_code == 201 and response.json()["new_person"] is False
    assert list(Person.objects.all()) == [on_file]
    assert Quote.objects.get().person == on_file


def test_a_person_the_reporter_cannot_see_is_refused_and_nothing_is_saved(client, reporter, other_reporter, draft):
    source = make_person("Confidential Source", has_profile=False)
    make_quote(ready_story("Investigation", created_by=other_reporter), source, "They knew.")
    log_in(client, reporter)

    response = client.post(quote_url(draft), {"text": WORDS, "person": source.pk})

    assert response.status_code == 400
    assert response.json()["message"] == "That person is not on file, or not one you may quote."
    assert not draft.quotes.exists()


@pytest.mark.parametrize("text", ["", "   ", "“ ”"])
def test_an_empty_selection_is_refused_with_a_clear_message(client, reporter, draft, text):
    log_in(client, reporter)

    response = client.post(quote_url(draft), {"text": text, "name": "Zanele Khumalo"})

    assert response.status_code == 400
    assert response.json()["message"] == "Select the words they said in the story text first."
    assert not Quote.objects.exists() and not Person.objects.exists()


def test_a_quote_needs_a_speaker(client, reporter, draft):
    log_in(client, reporter)

    response = client.post(quote_url(draft), {"text": WORDS, "name": "  "})

    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Choose who said it, or give the new person's name."]}


def test_a_story_the_reporter_cannot_change_takes_no_quote(client, reporter, other_reporter):
    someone_elses = ready_story("Not hers", created_by=other_reporter)
    her_live_story = make_story("Hers, published", created_by=reporter)
    log_in(client, reporter)

    hidden = client.post(quote_url(someone_elses), {"text": WORDS, "name": "Zanele Khumalo"})
    live = client.post(quote_url(her_live_story), {"text": WORDS, "name": "Zanele Khumalo"})

    assert hidden.status_code == 404
    assert live.status_code == 403 and live.json()["message"] == "You may not change this story."
    assert not Quote.objects.exists() and not Person.objects.exists()


def test_the_quote_endpoint_wants_a_signed_in_staff_member_a_post_and_the_csrf_token(reporter, draft):
    anonymous = Client().post(quote_url(draft), {"text": WORDS, "name": "Zanele Khumalo"})
    outsider = Client()
    outsider.force_login(make_user())
    strict = log_in(Client(enforce_csrf_checks=True), reporter)

    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert outsider.post(quote_url(draft), {"text": WORDS, "name": "X"}).status_code == 302
    assert strict.post(quote_url(draft), {"text": WORDS, "name": "X"}).status_code == 403
    assert log_in(Client(), reporter).get(quote_url(draft)).status_code == 405
    assert not Quote.objects.exists()


def test_a_quote_added_to_a_live_story_shows_at_once_with_an_updated_time(client, editor, page_cache):
    story = make_story("Buses return", body="<p>The buses are back.</p>")
    reader = Client()
    assert "Who said what" not in reader.get(story.get_absolute_url()).content.decode()  # now cached
    log_in(client, editor)

    response = client.post(quote_url(story), {"text": "The buses are back.", "name": "Sipho Ndlovu", "role": "driver"})

    assert response.status_code == 201
    story.refresh_from_db()
    assert story.was_updated
    assert "Sipho Ndlovu" in reader.get(story.get_absolute_url()).content.decode()


def test_people_search_offers_only_people_the_reporter_may_quote_and_names_the_same_one(
    client, reporter, other_reporter, draft
):
    same = make_person("Zanele Khumalo", description="librarian")
    make_person("Zanele Dlamini", description="teacher")
    hidden = make_person("Zanele Secret", has_profile=False)
    make_quote(ready_story("Investigation", created_by=other_reporter), hidden, "They knew.")
    log_in(client, reporter)

    found = client.get(people_url("Zanele Khumalo")).json()
    first_name = client.get(people_url("zanele")).json()

    assert found == {"people": [{"id": same.pk, "name": "Zanele Khumalo", "description": "librarian"}], "same": same.pk}
    assert [p["name"] for p in first_name["people"]] == ["Zanele Dlamini", "Zanele Khumalo"]
    assert first_name["same"] is None


def test_who_a_reporter_may_see_agrees_row_by_row_with_the_list(reporter, other_reporter, editor):
    public_figure = make_person("Minister", has_profile=True)
    quoted_live = make_person("Quoted in a live story", has_profile=False)
    quoted_in_hers = make_person("Quoted in her draft", has_profile=False)
    never_quoted = make_person("Not quoted yet", has_profile=False)
    hidden = make_person("Quoted only in another draft", has_profile=False)
    make_quote(make_story("Live"), quoted_live)
    make_quote(ready_story("Her draft", created_by=reporter), quoted_in_hers)
    make_quote(ready_story("His draft", created_by=other_reporter), hidden)
    make_quote(ready_story("His draft 2", created_by=other_reporter), public_figure)

    visible = set(Person.objects.visible_to(reporter))

    assert visible == {public_figure, quoted_live, quoted_in_hers, never_quoted}
    assert all(person.is_visible_to(reporter) == (person in visible) for person in Person.objects.all())
    assert set(Person.objects.visible_to(editor)) == set(Person.objects.all())
    assert not Person.objects.visible_to(make_user()).exists()


def test_the_body_keeps_a_quote_mark_with_its_id_and_nothing_else_on_a_span():
    html = (
        '<p><span data-quote="12" class="x" onclick="steal()">We stay.</span> '
        '<span data-quote="twelve">Kept as words.</span> <span style="color:red">Plain.</span></p>'
    )

    assert sanitize_body(html) == '<p><span data-quote="12">We stay.</span> Kept as words. Plain.</p>'
    assert Story.objects.create(headline="Marked", body=html).body.count("<span") == 1


def test_people_search_asks_the_same_few_queries_however_many_people_match(
    client, reporter, draft, django_assert_num_queries
):
    def search() -> list:
        client.get(people_url("zanele"))  # the session, the user and the second factor, then the search
        with django_assert_num_queries(7):
            return client.get(people_url("zanele")).json()["people"]

    make_person("Zanele Khumalo", description="librarian")
    log_in(client, reporter)
    assert len(search()) == 1
    for n in range(12):
        make_person(f"Zanele Person{n}", description="resident")
    assert len(search()) == 8
