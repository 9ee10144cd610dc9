"""Story lists page back a fixed depth, so no page costs an ever-growing OFFSET scan or a full count."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
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
    assert "Page 3 of 3" in page.select_one(".pagination").get_text(" ", strip=True)
    assert page.select_one(".pagination a[rel=next]") is None
    assert client.get(url + "?page=4").status_code == 404


def test_the_capped_count_reads_no_further_than_the_last_page(section_of_five_pages):
    from articles.models import Story

    paginator = pagination.CappedPaginator(Story.objects.published().order_by("-published_at"), 20)

    assert paginator.count == 60 and paginator.num_pages == 3
