"""Editor analytics in the admin: read counts per story, from the site's own counts, charted on the server."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import readership
from articles.models import Author, StoryReadCount
from tests.factories import log_in, make_section, make_staff, make_story

pytestmark = pytest.mark.django_db

ANALYTICS_URL = "/admin/articles/story/analytics/"
# Pinned: the admin's own (session, user, second factor, the user's and the groups' permissions, the
# publication) and one query for every story's counts of the week, with their headlines and sections.
ANALYTICS_PAGE_QUERIES = 7


def reads_url(story) -> str:
    return f"/admin/articles/story/{story.pk}/reads/"


def now_period():
    return readership.period_start(timezone.now())


def count_reads(story, reads: int, *, days_ago: int = 0) -> None:
    StoryReadCount.objects.create(story=story, period_start=now_period() - timedelta(days=days_ago), count=reads)


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def tables(soup) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Each section's tables as shown: {section: {caption: [(headline, reads), ...]}}."""
    shown = {}
    for module in soup.select(".analytics-section"):
        shown[module.h2.get_text(strip=True)] = {
            table.caption.get_text(strip=True): [
                (row.th.get_text(strip=True), int(row.td.get_text(strip=True)))
                for row in table.select("tbody tr")
                if row.th
            ]
            for table in module.select("table")
        }
    return shown


@pytest.fixture
def newsroom(reporter):
    """Stories in two sections, one of them the reporter's, with reads today, this week and long ago."""
    news, sport = make_section("News"), make_section("Sport")
    rita = Author.objects.get(user=reporter)
    stories = {
        "dam": make_story("Dam levels drop", section=news, authors=[rita]),
        "bus": make_story("New bus routes", section=news),
        "old": make_story("Last month's story", section=news),
        "derby": make_story("Derby ends in a draw", section=sport),
    }
    count_reads(stories["dam"], 5)
    count_reads(stories["dam"], 7, days_ago=3)
    count_reads(stories["bus"], 9, days_ago=3)
    count_reads(stories["old"], 100, days_ago=10)
    count_reads(stories["derby"], 3)
    return stories


def test_analytics_needs_a_staff_login(newsroom):
    for url in (ANALYTICS_URL, reads_url(newsroom["dam"])):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_staff_without_a_role_may_not_see_read_counts(newsroom):
    client = log_in(Client(), make_staff("outsider"))
    assert client.get(ANALYTICS_URL).status_code == 403


def test_editor_sees_the_most_read_stories_today_and_this_week_in_each_section(client, editor, newsroom):
    log_in(client, editor)
    shown = tables(page(client.get(ANALYTICS_URL)))

    assert shown == {
        "News": {
            "Most read today": [("Dam levels drop", 5)],
            "Most read in the last seven days": [("Dam levels drop", 12), ("New bus routes", 9)],
        },
        "Sport": {
            "Most read today": [("Derby ends in a draw", 3)],
            "Most read in the last seven days": [("Derby ends in a draw", 3)],
        },
    }


def test_reporter_sees_only_her_own_stories_numbers(client, reporter, newsroom):
    log_in(client, reporter)
    soup = page(client.get(ANALYTICS_URL))

    assert tables(soup) == {
        "News": {
            "Most read today": [("Dam levels drop", 5)],
            "Most read in the last seven days": [("Dam levels drop", 12)],
        }
    }
    assert "Reads of your own stories" in soup.get_text()
    assert client.get(reads_url(newsroom["dam"])).status_code == 200
    assert client.get(reads_url(newsroom["bus"])).status_code == 404


def test_a_storys_reads_page_charts_its_reads_day_by_day_with_an_accessible_summary(client, editor, newsroom):
    log_in(client, editor)
    soup = page(client.get(reads_url(newsroom["dam"])))

    svg = soup.select_one(".reads-chart svg")
    assert svg["role"] == "img"
    names = [soup.find(id=name) for name in svg["aria-labelledby"].split()]
    assert [element.name for element in names] == ["title", "desc"]
    assert names[1].get_text().startswith("12 reads from ")
    assert len(svg.select("rect")) == readership.KEEP.days
    days = [int(row.td.get_text()) for row in soup.select(".reads-table tbody tr")]
    assert days[-1] == 5 and days[-4] == 7 and sum(days) == 12
    assert "nothing that identifies a reader" in soup.get_text()


def test_story_change_page_links_to_its_reads(client, editor, newsroom):
    log_in(client, editor)
    soup = page(client.get(f"/admin/articles/story/{newsroom['dam'].pk}/change/"))
    assert soup.select_one(f".object-tools a[href='{reads_url(newsroom['dam'])}']").get_text() == "Reads"


def test_story_list_shows_a_sparkline_of_each_storys_week(client, editor, newsroom):
    log_in(client, editor)
    soup = page(client.get("/admin/articles/story/"))

    rows = {row.select_one("th a").get_text(strip=True): row for row in soup.select("#result_list tbody tr")}
    dam = rows["Dam levels drop"].select_one("svg.sparkline")
    assert dam["role"] == "img"
    assert dam["aria-label"] == "12 reads in the last 7 days, 5 today"
    assert dam.title.get_text() == dam["aria-label"]
    assert rows["Last month's story"].select_one("svg.sparkline")["aria-label"] == "0 reads in the last 7 days, 0 today"
    assert soup.select_one(f".object-tools a[href='{ANALYTICS_URL}']")


def test_story_list_reads_every_sparkline_in_one_query(client, editor, newsroom):
    log_in(client, editor)
    client.get("/admin/articles/story/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/articles/story/")
    for n in range(6):
        count_reads(make_story(f"More news {n}"), n + 1)
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/articles/story/")
    assert len(many) == len(few)


def test_analytics_page_query_count_does_not_grow_with_stories_or_sections(client, editor, newsroom):
    log_in(client, editor)
    client.get(ANALYTICS_URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ANALYTICS_URL).status_code == 200
    assert len(queries) == ANALYTICS_PAGE_QUERIES

    for n in range(12):
        story = make_story(f"Story {n}", section=make_section(f"Section {n}"))
        count_reads(story, n + 1)
        count_reads(story, n + 2, days_ago=2)
    client.get(ANALYTICS_URL)  # new sections change the site's chrome, read again once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ANALYTICS_URL).status_code == 200
    assert len(queries) == ANALYTICS_PAGE_QUERIES


def test_demo_content_has_read_counts_for_the_analytics(client, demo_site, editor):
    assert StoryReadCount.objects.exists()
    log_in(client, editor)
    shown = tables(page(client.get(ANALYTICS_URL)))
    assert shown and all(section["Most read in the last seven days"] for section in shown.values())
