"""The readers' search page: what it finds, in what order, and how it takes hostile input."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Story
from articles.tasks import refresh_search_documents
from tests.factories import make_author, make_section, make_story

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
off_postgres = pytest.mark.skipif(connection.vendor == "postgresql", reason="the simple search of other databases")


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def headlines(page):
    return [h.get_text(strip=True) for h in page.select(".search-result h2")]


def test_every_page_has_a_search_box_that_works_without_script(client):
    make_story("Water outage in Soweto")

    form = BeautifulSoup(client.get("/").content, "html.parser").select_one("header form[role=search]")

    assert form["action"] == "/search/" and form.get("method") == "get"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]")
    assert headlines(search(client, q="outage")) == ["Water outage in Soweto"]


def test_only_published_stories_are_found(client):
    now = timezone.now()
    make_story("Zebra crossing repainted")
    make_story("Zebra draft", status=Story.Status.DRAFT)
    make_story("Zebra submitted", status=Story.Status.SUBMITTED)
    make_story("Zebra scheduled", published_at=now + timedelta(hours=1))
    make_story("Zebra retracted", status=Story.Status.RETRACTED, published_at=now - timedelta(hours=1))
    make_story("Zebra embargoed", published_at=now + timedelta(hours=3), embargo_until=now + timedelta(hours=3))

    page = search(client, q="zebra")

    assert headlines(page) == ["Zebra crossing repainted"]
    assert page.select_one(".search-summary").get_text(strip=True) == "1 result for “zebra”"


@pytest.mark.parametrize(
    "raw_query",
    [
        "",
        "q=",
        "q=%20%20%20",
        "q=" + "water%20" * 900,
        "q=%27%3B%20DROP%20TABLE%20articles_story%3B%20--",
        "q=%22unbalanced%20-%20%21%21%26%26%7C%7C%28%29%3A%2A",
        "q=water%00outage",
        "q=%00",
        "q=%FF%FE%80water",
        "q=%C0%AF",
        "q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "q=water&page=abc",
        "q=water&page=999999999999999999999",
        "q=water&section=no-such-section&start=yesterday&end=2024-02-31",
        "q[]=water&q=water&sort=sideways",
    ],
)
def test_hostile_queries_give_a_page_not_an_error(client, raw_query):
    make_story("Water outage in Soweto", standfirst="Taps ran dry.")

    response = client.get(f"/search/?{raw_query}")

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert not page.select("main script")
    assert len(page.select_one("main input[name=q]").get("value", "")) <= 200


def test_a_long_query_is_cut_to_the_cap_and_still_searched(client):
    make_story("Water outage in Soweto")

    page = search(client, q="outage " + "x" * 5000)

    assert len(page.select_one("main input[name=q]")["value"]) == 200
    assert page.select_one(".search-summary")  # the search ran (and found nothing with that long word)


def test_the_query_is_shown_back_escaped(client):
    page = search(client, q="<b>bold</b> & <script>alert(1)</script>")

    assert "<script>alert(1)</script>" in page.select_one(".search-summary").get_text()
    assert not page.select("main b, main script")


def test_filters_by_section_and_publication_date(client):
    news, sport = make_section("News"), make_section("Sport")
    now = timezone.now()
    make_story("Storm warning for Gauteng", section=news, published_at=now - timedelta(days=10))
    make_story("Storm delays the cricket", section=sport, published_at=now - timedelta(days=2))
    make_story("Storm clean-up begins", section=news, published_at=now - timedelta(days=1))

    assert set(headlines(search(client, q="storm", section=news.slug))) == {
        "Storm warning for Gauteng",
        "Storm clean-up begins",
    }
    recent = search(client, q="storm", start=(now - timedelta(days=3)).date().isoformat())
    assert set(headlines(recent)) == {"Storm delays the cricket", "Storm clean-up begins"}
    older = search(client, q="storm", end=(now - timedelta(days=5)).date().isoformat())
    assert headlines(older) == ["Storm warning for Gauteng"]


def test_dates_at_the_edges_of_the_calendar_leave_that_end_open(client):
    make_story("Storm warning for Gauteng")

    page = search(client, q="storm", start="0001-01-01", end="9999-12-31")

    assert headlines(page) == ["Storm warning for Gauteng"]
    assert not page.select(".field-error")


def test_an_invalid_filter_is_reported_and_left_out(client):
    make_story("Storm warning for Gauteng")

    page = search(client, q="storm", section="no-such-section", start="2025-03-10", end="2025-03-01")

    errors = " ".join(e.get_text() for e in page.select(".field-error"))
    assert "Select a valid choice" in errors and "end date is before the start date" in errors
    # The bad section and end date are dropped; the valid start date still applies.
    assert headlines(page) == ["Storm warning for Gauteng"]


def test_results_are_paginated_and_pages_keep_the_query(client):
    section = make_section("News")
    now = timezone.now()
    for n in range(23):
        make_story(f"Flood report {n}", section=section, published_at=now - timedelta(hours=n + 1))

    first = search(client, q="flood", section=section.slug)
    next_href = first.select_one(".pagination a[rel=next]")["href"]
    second = BeautifulSoup(client.get("/search/" + next_href).content, "html.parser")

    assert len(first.select(".search-result")) == 20
    assert "q=flood" in next_href and f"section={section.slug}" in next_href
    assert len(second.select(".search-result")) == 3


def test_search_page_query_count_does_not_grow_with_results(client):
    make_story("Flood report", authors=[make_author()])

    def count():
        with CaptureQueriesContext(connection) as queries:
            search(client, q="flood")
        return len(queries)

    before = count()
    for n in range(10):
        make_story(f"Flood report {n}", authors=[make_author(), make_author()], section=make_section())
    assert count() == before


@on_postgres
def test_headline_matches_rank_above_standfirst_above_body_whatever_their_age(client):
    now = timezone.now()
    make_story("Budget news", body="<p>The pothole fund grew.</p>", published_at=now - timedelta(hours=1))
    make_story("Council news", standfirst="A pothole fund.", published_at=now - timedelta(hours=2))
    make_story("Pothole fund doubles", published_at=now - timedelta(hours=3))

    assert headlines(search(client, q="pothole")) == ["Pothole fund doubles", "Council news", "Budget news"]


@on_postgres
def test_equal_matches_come_newest_first(client):
    now = timezone.now()
    for hours in (5, 1, 3):
        make_story(f"Load shedding update {hours}", published_at=now - timedelta(hours=hours))

    assert headlines(search(client, q="load shedding")) == [
        "Load shedding update 1",
        "Load shedding update 3",
        "Load shedding update 5",
    ]


@on_postgres
def test_websearch_syntax_finds_phrases_and_leaves_out_minus_words(client):
    make_story("Water outage in Soweto", body="<p>A burst pipe left homes dry.</p>")
    make_story("Pipe burst repaired in Alexandra", body="<p>Water is back.</p>")

    assert headlines(search(client, q='"burst pipe"')) == ["Water outage in Soweto"]
    assert headlines(search(client, q="water -soweto")) == ["Pipe burst repaired in Alexandra"]
    assert headlines(search(client, q="running")) == []
    assert headlines(search(client, q="outages")) == ["Water outage in Soweto"]  # stemmed


@on_postgres
def test_snippet_highlights_matches_in_the_body_and_escapes_the_rest(client):
    make_story(
        "Council meeting",
        body="<p>Residents said <strong>water</strong> &amp; power cuts hurt; "
        "one wrote &lt;script&gt;alert(1)&lt;/script&gt;.</p>",
    )

    snippet = search(client, q="water").select_one(".search-result__snippet")

    assert [mark.get_text() for mark in snippet.select("mark")] == ["water"]
    assert "power cuts" in snippet.get_text() and "& power" in snippet.get_text()
    assert "<script>alert(1)" in snippet.get_text()
    assert not snippet.select("script, strong")


@on_postgres
def test_a_match_outside_the_body_shows_the_standfirst_with_its_words_marked(client):
    make_story("Drought bites", standfirst="Farmers wait for the drought to end.", body="<p>Rain is late.</p>")

    snippet = search(client, q="drought").select_one(".search-result__snippet")

    assert [mark.get_text() for mark in snippet.select("mark")] == ["drought"]
    assert snippet.get_text() == "Farmers wait for the drought to end."


@on_postgres
def test_the_search_document_follows_edits(client):
    story = make_story("Taxi strike called off")
    story.headline = "Bus strike called off"
    story.save()

    assert headlines(search(client, q="bus")) == ["Bus strike called off"]
    assert headlines(search(client, q="taxi")) == []


@on_postgres
def test_search_uses_the_gin_index():
    make_story("Taxi strike called off")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Story.objects.search("taxi").explain()

    assert "story_search_document_gin" in plan


@off_postgres
def test_simple_search_needs_every_word_and_lists_newest_first(client):
    now = timezone.now()
    make_story("Storm warning", standfirst="Heavy rain in Gauteng.", published_at=now - timedelta(hours=3))
    make_story("Rain delays cricket", body="<p>The storm passed.</p>", published_at=now - timedelta(hours=1))
    make_story("Storm over budget", published_at=now - timedelta(hours=2))

    page = search(client, q="storm rain")

    assert headlines(page) == ["Rain delays cricket", "Storm warning"]
    assert [m.get_text() for m in page.select(".search-result__snippet mark")] == ["rain"]


@on_postgres
def test_a_saved_storys_search_document_is_brought_up_to_date_by_a_job(client, queued_jobs):
    story = make_story("Taxi strike called off")
    story.headline = "Bus strike called off"
    story.save()

    assert queued_jobs()[-1] == ("articles.tasks.refresh_search_documents", ([story.pk],))
    assert headlines(search(client, q="bus")) == []  # until the worker has run the job

    refresh_search_documents.apply(args=[[story.pk]])

    assert headlines(search(client, q="bus")) == ["Bus strike called off"]


@off_postgres
def test_without_postgresql_saving_a_story_queues_no_search_job(queued_jobs):
    make_story("Taxi strike called off")

    assert queued_jobs() == []


def test_the_form_shows_back_the_filters_and_ties_each_error_to_its_field(client):
    news = make_section("News")
    make_section("Sport")
    make_story("Storm warning", section=news)

    page = search(client, q="storm", section="news", start="2025-13-01", sort="newest")

    query = page.select_one("#id_q")
    assert (query["type"], query["value"], query["aria-describedby"]) == ("search", "storm", "search-hint")
    assert [option["value"] for option in page.select("#id_section option")] == ["", "news", "sport"]
    assert page.select_one("#id_section option[selected]")["value"] == "news"
    assert page.select_one("#id_sort option[selected]")["value"] == "newest"
    start = page.select_one("#id_start")
    assert start["aria-invalid"] == "true" and start["value"] == "2025-13-01"
    assert page.select_one(f"#{start['aria-describedby']}").get_text() == "Enter a valid date."
    assert not page.select_one("#id_end").has_attr("aria-invalid")
    assert headlines(page) == ["Storm warning"]  # the bad date is left out


def test_results_and_their_number_are_read_in_one_query_and_a_page_past_the_end_shows_the_last(client):
    now = timezone.now()
    for n in range(23):
        make_story(f"Flood report {n}", published_at=now - timedelta(hours=n + 1))

    with CaptureQueriesContext(connection) as queries:
        first = search(client, q="flood")
    counted = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]  # read before the next request
    assert len(counted) == 1 and "rendered_result" in counted[0]  # the page's rows carry the number of matches
    past_the_end = search(client, q="flood", page=9)

    for page, shown in ((first, 20), (past_the_end, 3)):
        assert page.select_one(".search-summary").get_text(strip=True) == "23 results for “flood”"
        assert len(page.select(".search-result")) == shown


def test_searches_of_one_form_each_find_their_own_stories(client):
    # On PostgreSQL the second and third search reuse the first one's compiled statement with their own values.
    news, sport = make_section("News"), make_section("Sport")
    now = timezone.now()
    make_story("Storm over Durban", section=news, published_at=now - timedelta(days=3))
    make_story("Drought in the Karoo", section=sport, published_at=now - timedelta(days=2))
    make_story("Storm ends the drought", section=sport, published_at=now - timedelta(days=1))

    assert headlines(search(client, q="storm", section=news.slug)) == ["Storm over Durban"]
    assert set(headlines(search(client, q="drought", section=sport.slug))) == {
        "Drought in the Karoo",
        "Storm ends the drought",
    }
    assert headlines(search(client, q="storm", section=sport.slug)) == ["Storm ends the drought"]
    nothing = search(client, q="hail", section=news.slug, page=2)
    assert nothing.select_one(".search-summary").get_text(strip=True) == "0 results for “hail”"
