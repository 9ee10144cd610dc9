"""Library pictures in story text: the sanitizer keeps only our own media; pages show them responsively."""

import pytest
from bs4 import BeautifulSoup

from articles import publishing
from articles.models import Story
from articles.richtext import sanitize_body
from tests.factories import make_image, make_section, make_story
from tests.test_query_counts import STORY_PAGE_RENDER_QUERIES, first_render_queries_for, render_queries_for

pytestmark = pytest.mark.django_db


def figure(src: str, image_id="1", alt="A picture", caption="A caption") -> str:
    img = f'<img src="{src}" alt="{alt}" data-file="{image_id}">'
    return f'<figure class="figure">{img}<figcaption>{caption}</figcaption></figure>'


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example.com/pixel.gif",
        "http://example.org/media/images/x.jpg",
        "//evil.example/media/images/x.jpg",
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "data:image/png;base64,iVBORw0KGgo=",
        "/media/../admin/logout/",
        "/media/images/../../etc/passwd",
        "/static/img/logo.png",
        "/media/other/file.jpg",
    ],
)
def test_images_from_anywhere_but_our_media_are_removed_with_their_figure(src):
    body = "<p>Before.</p>" + figure(src, caption="Caption of a foreign picture") + f'<p>After <img src="{src}"></p>'

    cleaned = BeautifulSoup(sanitize_body(body), "html.parser")

    assert not cleaned.find("img")
    assert not cleaned.find("figure")
    assert "Caption of a foreign picture" not in cleaned.get_text()
    assert "Before." in cleaned.get_text() and "After" in cleaned.get_text()


def test_figures_from_the_library_are_kept_with_only_safe_attributes():
    src = "/media/images/2026/11/abc/w960.jpg"
    body = (
        f'<figure class="figure evil" onclick="alert(1)" style="x"><img src="{src}" alt="Alt &quot;x&quot;" '
        f'data-file="12" width="960" height="640" onerror="alert(1)" srcset="https://evil/x.jpg 1w">'
        "<figcaption>Caption <strong>bold</strong><script>alert(1)</script></figcaption></figure>"
    )

    cleaned = BeautifulSoup(sanitize_body(body), "html.parser")

    fig = cleaned.figure
    assert fig.attrs == {"class": ["figure"]}
    assert fig.img.attrs == {"src": src, "alt": 'Alt "x"', "data-file": "12", "width": "960", "height": "640"}
    assert str(fig.figcaption) == "<figcaption>Caption <strong>bold</strong></figcaption>"


def test_non_numeric_picture_ids_and_sizes_are_dropped():
    body = figure("/media/images/a.jpg", image_id="1 onload=alert(1)").replace("<img ", '<img width="100%" ')

    img = BeautifulSoup(sanitize_body(body), "html.parser").img

    assert "data-file" not in img.attrs and "width" not in img.attrs


def test_sanitizing_twice_changes_nothing():
    body = figure("/media/images/a.jpg", image_id="7") + "<p>Text</p>"

    assert sanitize_body(sanitize_body(body)) == sanitize_body(body)


def test_hostile_images_posted_straight_to_the_admin_are_not_stored(editor_client):
    image = make_image(width=800, height=600)
    body = (
        figure(image.fallback_url, image_id=str(image.pk))
        + figure("https://tracker.example.com/p.gif", caption="tracked")
        + '<p><img src="javascript:alert(1)"><img src="data:image/png;base64,AAAA"></p>'
    )
    data = {
        "headline": "Story with pictures",
        "slug": "",
        "body": body,
        "kind": "news",
        "status": "draft",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }

    response = editor_client.post("/admin/articles/story/add/", data)

    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".errorlist")
    stored = BeautifulSoup(Story.objects.get().body, "html.parser")
    assert [img["src"] for img in stored.find_all("img")] == [image.fallback_url]
    assert "tracked" not in stored.get_text()


def story_page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_story_page_shows_library_figures_as_responsive_pictures_with_caption_and_credit(client):
    image = make_image(width=1300, height=800, credit="Sipho Mthembu/Agency", alt_text="Library alt")
    story = make_story(
        "Figures",
        body="<p>Intro.</p>"
        + figure(image.fallback_url, image_id=str(image.pk), alt="", caption="Residents <em>wait</em>."),
    )

    body = story_page(client, story).select_one(".story__body")

    fig = body.select_one("figure.figure")
    source, img = fig.select_one("picture source"), fig.select_one("picture img")
    assert source["type"] == "image/webp" and source["srcset"] == image.srcset_webp
    assert img["srcset"] == image.srcset_jpeg and img["src"] == image.fallback_url
    assert "/w1280.webp 1280w" in source["srcset"] and "/w1300.jpg 1300w" in img["srcset"]
    assert (img["width"], img["height"]) == ("1300", "800")
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert img["alt"] == "Library alt"  # the figure had none, so the library's alt text is used
    assert fig.figcaption.em.get_text() == "wait"
    assert fig.figcaption.get_text(" ", strip=True) == "Residents wait . Photo: Sipho Mthembu/Agency"


def test_figure_keeps_the_alt_text_written_in_the_story(client):
    image = make_image(alt_text="Library alt")
    story = make_story("Alt", body=figure(image.fallback_url, image_id=str(image.pk), alt="Written for this story"))

    assert story_page(client, story).select_one(".story__body img")["alt"] == "Written for this story"


def test_figure_whose_picture_left_the_library_is_not_shown(client):
    image = make_image()
    story = make_story("Gone", body="<p>Text.</p>" + figure(image.fallback_url, image_id=str(image.pk)))
    image.delete()

    body = story_page(client, story).select_one(".story__body")

    assert not body.select("figure, img")
    assert "Text." in body.get_text()


def test_figures_cost_one_query_however_many_there_are(client):
    section = make_section("News")
    images = [make_image() for _ in range(4)]
    plain = make_story("No figures", section=section)
    one = make_story("One figure", section=section, body=figure(images[0].fallback_url, image_id=str(images[0].pk)))
    many = make_story(
        "Four figures", section=section, body="".join(figure(i.fallback_url, image_id=str(i.pk)) for i in images)
    )
    for story in (plain, one, many):
        publishing.choose_related(story=story)  # each offers the other two, as when published

    # Rendered once after a change and kept on the story: one query for the figures then, none after.
    for story in (plain, one, many):
        assert render_queries_for(client, story.get_absolute_url()) == STORY_PAGE_RENDER_QUERIES
    figures = []
    for story in (plain, one, many):
        for shown in (plain, one, many):  # every story's markup kept, as after the readers above
            client.get(shown.get_absolute_url())
        figures.append(first_render_queries_for(client, story, related=False))
    assert figures[1] == figures[2] == figures[0] + 1
