"""Story lists page back a fixed depth, so no page costs an ever-growing OFFSET scan or a full count."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import pagination
from tests.factories import make_section, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def section_of_five_pages(monkeypatch):
    monkeypatch.setattr(pagination, "MAX_PAGES", 3)
    section = make_section("Business")
    now = timezone.now()
    for n in range(5 * 20):
        make_story(f"Business story {n}", section=section, published_at=now - timedelta(hours=n + 1))
    return section


def test_a_list_stops_at_the_deepest_page_readers_are_offered(client, section_of_five_pages):
    url = section_of_five_pages.get_absolute_url()

    last = client.get(url + "?page=3")
    page = BeautifulSoup(last.content, "html.parser")

    assert last.status_code == 200
    assert page.select_one(".pagination").get_text(" ", strip=True) == "Newer stories Page 3"
    assert page.select_one(".pagination a[rel=next]") is None
    assert client.get(url + "?page=4").status_code == 404


def test_a_story_list_pages_without_counting_and_ends_where_its_stories_do(client, monkeypatch):
    monkeypatch.setattr(pagination, "MAX_PAGES", 50)
    section = make_section("Sport")
    now = timezone.now()
    for n in range(45):
        make_story(f"Sport story {n}", section=section, published_at=now - timedelta(hours=n + 1))
    url = section.get_absolute_url()

    with CaptureQueriesContext(connection) as queries:
        first = BeautifulSoup(client.get(url).content, "html.parser")
    last = BeautifulSoup(client.get(url + "?page=3").content, "html.parser")

    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]
    assert first.select_one(".pagination").get_text(" ", strip=True) == "Page 1 Older stories"
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert len(last.select(".teaser-list > *")) == 5  # stories 41 to 45
    assert last.select_one(".pagination").get_text(" ", strip=True) == "Newer stories Page 3"
    assert client.get(url + "?page=4").status_code == 404
    assert client.get(url + "?page=two").status_code == 404


def test_the_capped_count_reads_no_further_than_the_last_page(section_of_five_pages):
    from articles.models import Story

    paginator = pagination.CappedPaginator(Story.objects.published().order_by("-published_at"), 20)

    assert paginator.count == 60 and paginator.num_pages == 3
