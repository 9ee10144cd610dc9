"""Each story keeps its own language: stored, edited in the admin, and stated on the page, in JSON-LD,
the API, feeds and the news sitemap, while the site around it stays in the publication's language."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from articles.languages import bcp47
from articles.models import Story
from interchange import ninjs
from tests.factories import log_in, make_story, ready_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(
    ("written", "tag"),
    [("de", "de"), ("nb_no", "nb-NO"), ("SV", "sv"), ("sr-latn-rs", "sr-Latn-RS"), ("english", ""), ("", "")],
)
def test_language_tags_are_read_in_their_usual_case_and_nonsense_is_refused(written, tag):
    assert bcp47(written) == tag


def test_a_new_story_is_in_the_site_language_unless_told_otherwise(settings):
    settings.LANGUAGE_CODE = "en-za"
    assert Story(headline="x").language == "en-ZA"
    assert make_story("Lokaal nieuws", language="nl-be").language == "nl-BE"


def test_the_story_page_states_the_story_language_and_keeps_the_site_chrome_in_its_own(client):
    story = make_story("Regjeringen legger fram budsjettet", language="nb-NO")

    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")

    assert page.html["lang"] == "en"  # the publication's language: navigation, footer and labels
    article = page.select_one("article.story")
    assert article["lang"] == "nb-NO"
    assert [article.h1["lang"], article.select_one(".story__header")["lang"]] == ["nb-NO", "en"]
    assert article.select_one(".story__body").find_parent(lang=True)["lang"] == "nb-NO"
    assert article.select_one(".story__footer")["lang"] == "en"  # "Source", "Topics": the site's words
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert ld["inLanguage"] == "nb-NO"


def test_the_api_and_feeds_carry_each_story_language(client):
    swedish = make_story("Regeringen presenterar budgeten", language="sv")
    german = make_story("Regierung legt Haushalt vor", language="de")

    items = {item["headlines"][0]["value"]: item for item in client.get("/api/ninjs/stories/").json()["items"]}
    rss = ET.fromstring(client.get("/feed/").content)
    atom = ET.fromstring(client.get("/feed/atom/").content)

    assert items[swedish.headline]["language"] == "sv" and items[german.headline]["language"] == "de"
    for item in items.values():
        assert not [e.message for e in ninjs.validator().iter_errors(item)]
    rss_languages = {
        i.findtext("title"): i.findtext("{http://purl.org/dc/elements/1.1/}language") for i in rss.iter("item")
    }
    atom_languages = {e.findtext(f"{ATOM}title"): e.get(XML_LANG) for e in atom.iter(f"{ATOM}entry")}
    assert rss_languages == atom_languages == {swedish.headline: "sv", german.headline: "de"}
    assert rss.findtext("channel/language") == "en"  # the feed's own language is the publication's


def test_the_news_sitemap_names_each_story_language(client):
    make_story("Regierung legt Haushalt vor", language="de-AT")
    sitemap = ET.fromstring(client.get("/sitemap-news.xml").content)
    languages = [e.text for e in sitemap.iter("{http://www.google.com/schemas/sitemap-news/0.9}language")]
    assert languages == ["de"]


def test_editors_set_the_language_in_the_story_form_and_a_bad_tag_is_a_form_error(client, editor):
    story = ready_story("Regjeringen legger fram budsjettet")
    log_in(client, editor)
    url = f"/admin/articles/story/{story.pk}/change/"
    data = form_data(client.get(url), "story_form")

    refused = client.post(url, {**data, "language": "norwegian"})
    saved = client.post(url, {**data, "language": "nb-no"})

    assert refused.status_code == 200
    errors = [li.get_text() for li in BeautifulSoup(refused.content, "html.parser").select(".errorlist li")]
    assert errors == ['"norwegian" is not a language tag: use a BCP 47 tag such as en, de, nb-NO or sv.']
    assert saved.status_code == 302
    assert Story.objects.get(pk=story.pk).language == "nb-NO"
