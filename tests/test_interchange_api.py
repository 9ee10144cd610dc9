from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from articles.models import Correction, Publication, Story
from interchange import ninjs
from tests.factories import make_author, make_image, make_person, make_quote, make_section, make_source, make_story

pytestmark = pytest.mark.django_db
LIST = "/api/ninjs/stories/"
# Stories (each read with its bylines, tags, quotes and corrections) and the publication row.
LIST_QUERIES = 2


def _valid(item: dict) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in ninjs.validator().iter_errors(item)]
    assert errors == []


def _uris(response) -> list[str]:
    return [item["headlines"][0]["value"] for item in response.json()["items"]]


@pytest.fixture
def rich_story():
    story = make_story(
        "Council Approves Harbour Budget",
        section=make_section("News"),
        authors=[make_author("Thabo Nkosi")],
        tags=["Budget", "Harbour"],
        source=make_source("Bay Partner", url="https://partner.example"),
        original_url="https://partner.example/budget",
        hero_image=make_image(),
    )
    make_quote(story, make_person("Lindiwe Khumalo", description="Mayor"), "The budget is balanced.")
    make_quote(story, make_person("Sam", has_profile=False), "We just want water.")
    Correction.objects.create(story=story, text="An earlier version misstated the total.")
    return story


def test_story_list_items_validate_against_the_ninjs_schema(client, rich_story):
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    (item,) = response.json()["items"]
    _valid(item)
    assert item["headlines"][0]["value"] == "Council Approves Harbour Budget"
    assert item["by"] == "Thabo Nkosi"
    subjects = {(s["rel"], s["name"]) for s in item["subjects"]}
    assert subjects == {("section", "News"), ("tag", "Budget"), ("tag", "Harbour")}
    assert item["associations"][0]["name"] == "featureimage"
    assert item["descriptions"][-1] == {
        "role": "correction",
        "contenttype": "text/plain",
        "value": "An earlier version misstated the total.",
    }
    quoted = [p for p in item["people"] if p["rel"] == "quoted"]
    assert quoted[0]["uri"].endswith("/people/lindiwe-khumalo/")
    assert quoted[1] == {"name": "Sam", "rel": "quoted"}  # members of the public have no page to link


def test_one_story_by_id_or_slug_validates(client, rich_story):
    by_id = client.get(f"{LIST}{rich_story.pk}/")
    by_slug = client.get(f"{LIST}{rich_story.slug}/")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json()
    _valid(by_id.json())
    assert by_id.json()["uri"] == f"http://127.0.0.1:8000{LIST}{rich_story.pk}/"  # the publication's address


def test_an_address_with_digits_of_another_kind_is_a_404_not_an_error(client, rich_story):
    response = client.get(f"{LIST}²/")
    assert response.status_code == 404
    assert "No published story" in response.json()["error"]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Story.Status.DRAFT},
        {"status": Story.Status.SUBMITTED},
        {"status": Story.Status.RETRACTED},
        {"status": Story.Status.PUBLISHED, "published_at": timezone.now() + timedelta(hours=2)},
    ],
    ids=["draft", "submitted", "retracted", "scheduled"],
)
def test_unpublished_stories_never_appear(client, fields):
    make_story("Visible Story")
    hidden = make_story("Hidden Story", **fields)
    assert _uris(client.get(LIST)) == ["Visible Story"]
    assert client.get(f"{LIST}{hidden.pk}/").status_code == 404
    assert client.get(f"{LIST}{hidden.slug}/").status_code == 404
    assert "Hidden" not in client.get(LIST, {"since": "2000-01-01T00:00:00Z"}).content.decode()


def test_scheduled_story_appears_once_its_time_comes(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    make_story("Later Story", published_at=now + timedelta(minutes=30))
    assert _uris(client.get(LIST)) == []
    time_machine.move_to(now + timedelta(minutes=31), tick=False)
    assert _uris(client.get(LIST)) == ["Later Story"]


def test_filters_by_section_tag_and_update_time(client):
    now = timezone.now()
    news, sport = make_section("News"), make_section("Sport")
    make_story("Old News", section=news, tags=["Water"], published_at=now - timedelta(days=3))
    make_story("Fresh News", section=news, published_at=now - timedelta(hours=1))
    make_story("Fresh Sport", section=sport, tags=["Water"], published_at=now - timedelta(hours=2))
    updated = make_story("Old But Updated", section=sport, published_at=now - timedelta(days=5))
    Story.objects.filter(pk=updated.pk).update(modified_at=now - timedelta(minutes=5))
    assert _uris(client.get(LIST, {"section": "news"})) == ["Fresh News", "Old News"]
    assert _uris(client.get(LIST, {"tag": "water"})) == ["Fresh Sport", "Old News"]
    since = (now - timedelta(days=1)).isoformat()
    assert _uris(client.get(LIST, {"since": since})) == ["Fresh News", "Fresh Sport", "Old But Updated"]
    unencoded = f"{LIST}?since={(now - timedelta(days=1)).astimezone(ZoneInfo('Africa/Johannesburg')).isoformat()}"
    assert "+02:00" in unencoded
    assert _uris(client.get(unencoded)) == ["Fresh News", "Fresh Sport", "Old But Updated"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "since must be"),
        ({"since": "2025-01-01T00:00:00"}, "time zone"),
        ({"limit": "0"}, "limit must be"),
        ({"limit": "1000"}, "limit must be"),
        ({"limit": "²"}, "limit must be"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_parameters_get_a_400_naming_the_problem(client, params, message):
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_pages_follow_next_links_without_gaps_or_repeats(client):
    now = timezone.now()
    for n in range(5):
        make_story(f"Story {n}", published_at=now - timedelta(hours=n))
    make_story("Same Time A", published_at=now - timedelta(hours=10))
    make_story("Same Time B", published_at=now - timedelta(hours=10))
    seen, url = [], f"{LIST}?limit=3"
    while url:
        response = client.get(url)
        seen += _uris(response)
        url = response.json()["next"]
        if url:
            assert response["Link"] == f'<{url}>; rel="next"'
    assert seen == [f"Story {n}" for n in range(5)] + ["Same Time B", "Same Time A"]


def test_list_query_count_does_not_grow_with_stories(client, django_assert_num_queries):
    people = [make_person() for _ in range(3)]
    for n in range(6):
        story = make_story(authors=[make_author(), make_author()], tags=[f"t{n}", "shared"])
        for person in people:
            make_quote(story, person)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(client.get(LIST).json()["items"]) == 6


def test_etag_answers_304_until_the_content_changes(client, rich_story):
    first = client.get(LIST)
    etag = first["ETag"]
    assert etag
    again = client.get(LIST, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    Story.objects.filter(pk=rich_story.pk).update(headline="Council Revises Harbour Budget")
    changed = client.get(LIST, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_responses_are_cacheable_by_cdns(client, settings, rich_story):
    settings.NEWSROOM_API_MAX_AGE, settings.NEWSROOM_API_SHARED_MAX_AGE = 30, 120
    response = client.get(f"{LIST}{rich_story.pk}/")
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=30", "s-maxage=120"} <= directives
    assert "Set-Cookie" not in response


def test_cors_headers_only_for_configured_origins(client, settings):
    settings.NEWSROOM_API_CORS_ORIGINS = ["https://app.example"]
    allowed = client.get(LIST, headers={"origin": "https://app.example"})
    other = client.get(LIST, headers={"origin": "https://evil.example"})
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example"
    assert "ETag" in allowed["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in other
    assert "Origin" in allowed["Vary"]
    preflight = client.options(LIST, headers={"origin": "https://app.example"})
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def test_no_cors_headers_by_default(client):
    assert "Access-Control-Allow-Origin" not in client.get(LIST, headers={"origin": "https://app.example"})


def test_api_is_read_only(client):
    response = client.put(LIST)
    assert response.status_code == 405
    assert "read-only" in response.json()["error"]


def test_sections_and_public_people_are_listed(client):
    make_section("News", description="Local news.")
    story = make_story("Mayor opens the harbour")
    make_quote(story, make_person("Lindiwe Khumalo", description="Mayor"), "The harbour is open.")
    make_quote(story, make_person("Sam", has_profile=False), "About time.")
    sections = client.get("/api/ninjs/sections/").json()
    people = client.get("/api/ninjs/people/").json()
    assert [s["name"] for s in sections["items"]] == ["News"]
    assert sections["items"][0]["stories"].endswith("/api/ninjs/stories/?section=news")
    assert [p["name"] for p in people["items"]] == ["Lindiwe Khumalo"]
    assert people["count"] == 1
    assert client.get("/api/ninjs/people/", {"page": "9"}).status_code == 400


def test_openapi_description_lists_every_endpoint(client):
    document = client.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {
        "/api/ninjs/stories/",
        "/api/ninjs/stories/{key}/",
        "/api/ninjs/sections/",
        "/api/ninjs/people/",
        "/api/ninjs/schema.json",
    }
    item_ref = document["paths"]["/api/ninjs/stories/{key}/"]["get"]["responses"]["200"]["content"]
    assert item_ref["application/json"]["schema"]["$ref"] == "http://127.0.0.1:8000/api/ninjs/schema.json"
    assert client.get("/api/ninjs/schema.json").json()["title"].startswith("IPTC ninjs 2.1")


def test_uri_and_links_come_from_the_publication_not_the_host_asked(client, rich_story):
    publication = Publication.load()
    publication.base_url = "https://news.example"
    publication.save()
    under_one = client.get(f"{LIST}{rich_story.pk}/", HTTP_HOST="localhost").json()
    under_another = client.get(f"{LIST}{rich_story.pk}/", HTTP_HOST="testserver").json()
    assert under_one["uri"] == under_another["uri"] == f"https://news.example{LIST}{rich_story.pk}/"
    assert under_one == under_another
    assert "localhost" not in str(under_one) and "testserver" not in str(under_one)
    listed = client.get(LIST, {"limit": 1}, HTTP_HOST="localhost").json()["items"][0]
    assert listed["uri"] == under_one["uri"]
    sections = client.get("/api/ninjs/sections/", {"limit": 1}, HTTP_HOST="localhost").json()
    assert sections["items"][0]["uri"].startswith("https://news.example/")


def test_body_links_and_pictures_come_out_absolute(client):
    publication = Publication.load()
    publication.base_url = "https://news.example"
    publication.save()
    story = make_story(
        "Harbour Works Begin",
        body=(
            '<p>See <a href="/news/harbour-budget/">the budget</a>, <a href="#timeline">the timeline</a>, '
            '<a href="https://partner.example/x?a=1&amp;b=2">the partner</a> and '
            '<a href="mailto:desk@news.example">the desk</a>.</p>'
        ),
    )
    body = client.get(f"{LIST}{story.pk}/", HTTP_HOST="localhost").json()["bodies"][0]["value"]
    assert 'href="https://news.example/news/harbour-budget/"' in body
    assert f'href="https://news.example{story.get_absolute_url()}#timeline"' in body
    assert 'href="https://partner.example/x?a=1&amp;b=2"' in body
    assert 'href="mailto:desk@news.example"' in body
    assert 'href="/' not in body
