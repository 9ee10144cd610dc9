"""Right-to-left names and headlines, and override characters in them, never reorder the text around them.

Readers see each piece of user-written text inside its own isolate (``<bdi>``, ``dir="auto"``, or the
FSI/PDI characters where no markup can go), so the words after it keep their place.
"""

import pytest
from bs4 import BeautifulSoup
from django.utils.text import slugify

from articles.models import Section, Story
from tests.factories import make_author, make_person, make_quote, make_section, make_source, make_story

pytestmark = pytest.mark.django_db

RLO = "\u202e"
HEADLINE = f"عاجل: {RLO}sreppin dehsaw"
AUTHOR = f"דוד {RLO}ןהכ"
SECOND_AUTHOR = "Ruth Adams"
SPEAKER = f"מרים {RLO}לוי"
TAG = f"{RLO}ملف"
SECTION = f"חדשות{RLO}"
FSI, PDI = "\u2068", "\u2069"
# What bdi may hold (phrasing content): no blocks inside an isolate.
BLOCKS = {"p", "div", "h1", "h2", "h3", "ul", "ol", "li", "blockquote", "figure", "section", "article"}


@pytest.fixture
def story():
    section = make_section(SECTION)
    story = make_story(
        HEADLINE,
        section=section,
        authors=[make_author(AUTHOR), make_author(SECOND_AUTHOR)],
        tags=[TAG],
        source=make_source(f"{RLO}Wire"),
    )
    make_quote(story, make_person(SPEAKER, description="שרה"), "We will keep going.", context="on radio")
    return story


def isolates(page: BeautifulSoup, text: str) -> list:
    """Every element isolating exactly ``text``: a bdi, or an element with a dir attribute."""
    found = [
        element
        for element in page.find_all(lambda e: e.name == "bdi" or e.has_attr("dir"))
        if element.get_text() == text
    ]
    for element in found:
        assert not element.find(BLOCKS), f"block content inside {element}"
    return found


def text_after(element) -> str:
    """The text that follows the isolate inside its parent, outside the isolate."""
    return "".join(
        sibling.get_text() if hasattr(sibling, "get_text") else str(sibling) for sibling in element.next_siblings
    )


def test_story_list_isolates_headline_section_and_each_byline_name_and_keeps_the_text_after_them(client, story):
    page = BeautifulSoup(client.get("/").content, "html.parser")

    headlines, authors, seconds = isolates(page, HEADLINE), isolates(page, AUTHOR), isolates(page, SECOND_AUTHOR)
    assert headlines and len(authors) == len(seconds) == len(headlines)
    for headline, author, second in zip(headlines, authors, seconds, strict=True):
        assert headline.parent.name == "a" and headline.parent.parent.name.startswith("h")
        assert author.parent.get_text().startswith("By ")
        assert text_after(author).startswith(" and ")
        assert text_after(second).startswith(" · ")
    assert isolates(page, SECTION)


def test_story_page_isolates_everything_people_wrote(client, story):
    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")

    assert page.title.get_text().startswith(f"{FSI}{HEADLINE}{PDI} · ")
    assert isolates(page, HEADLINE)[0].parent.name == "h1"
    (author,) = [b for b in isolates(page, AUTHOR) if b.parent.get("rel") == ["author"]]
    assert author.parent.parent.get_text(" ", strip=True).startswith("By")
    (speaker,) = isolates(page, SPEAKER)
    assert text_after(speaker.parent if speaker.parent.name == "a" else speaker).startswith(", ")
    assert isolates(page, "שרה") and isolates(page, "on radio")
    assert isolates(page, TAG)[0].parent.get("rel") == ["tag"]
    assert isolates(page, f"{RLO}Wire")


def test_titles_and_headings_of_people_tags_and_sections_are_isolated(client, story):
    author = story.byline_authors[0]
    for url, name in [
        (author.get_absolute_url(), AUTHOR),
        (story.quotes.get().person.get_absolute_url(), SPEAKER),
        (f"/tag/{story.tags.get().slug}/", TAG),
        (story.section.get_absolute_url(), SECTION),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = BeautifulSoup(response.content, "html.parser")
        assert page.title.get_text().startswith(f"{FSI}{name}{PDI} · "), url
        assert isolates(page, name)[0].parent.name == "h1", url


def test_search_results_and_query_are_isolated(client, story):
    page = BeautifulSoup(client.get("/search/", {"q": "sreppin"}).content, "html.parser")

    assert isolates(page, HEADLINE)
    (query,) = isolates(page, "sreppin")
    assert text_after(query) == "”"


def test_admin_list_cells_and_titles_are_isolated(editor_client, story):
    page = BeautifulSoup(editor_client.get("/admin/articles/story/").content, "html.parser")
    (cell,) = [c for c in page.select("#result_list tbody th, #result_list tbody td") if c.get_text() == HEADLINE]
    assert cell.get("dir") == "auto"

    page = BeautifulSoup(editor_client.get(f"/admin/articles/story/{story.pk}/change/").content, "html.parser")
    assert page.title.get_text().startswith(f"{FSI}{HEADLINE}{PDI} | ")
    assert isolates(page, HEADLINE)


def test_slugs_lose_direction_controls_whoever_writes_them(editor_client):
    story = make_story(f"Breaking{RLO} news\u2066 today\u200f")
    assert story.slug == "breaking-news-today"
    assert make_section(f"Sp{RLO}ort").slug == "sport"
    assert slugify(f"x{RLO}\u202a\u2067y", allow_unicode=True) == "xy"

    response = editor_client.post(
        "/admin/articles/section/add/", {"name": "Opinion", "slug": f"opi{RLO}nion", "description": "", "position": 0}
    )

    assert response.status_code == 200  # refused: a slug holds letters, digits and hyphens only
    assert not Section.objects.filter(name="Opinion").exists()
    assert not Story.objects.filter(slug__contains=RLO).exists()
