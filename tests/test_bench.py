"""The benchmark's own pieces: its content builder, the baseline page and the newsroom day exist only for it."""

import pytest
from django.apps import apps
from django.test import Client
from django.urls import clear_url_caches, resolve
from django.utils.text import slugify

from articles import roles
from articles.models import Person, Story
from bench import content, day
from bench.editor import Editor, SaveFailed, form_fields
from tests.factories import make_author, make_person, make_quote, make_section, make_story

pytestmark = pytest.mark.django_db


def test_the_content_builder_makes_a_readable_site_with_the_measured_story(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    content.build(120, log=lambda line: None)

    story = Story.objects.published().get(slug=content.BENCH_SLUG)
    assert story.bylines.count() == 3 and story.quotes.count() == 4 and story.tags.count() == 6
    assert story.hero_image is not None and story.corrections.exists() and story.related.exists()
    # Every published story keeps related stories, as publishing would; the bench story has the real choice.
    assert story.related_ids == story.related_story_ids(8)
    assert not Story.objects.published().filter(related_ids=[]).exists()
    assert Story.objects.published().count() == 119  # one in a hundred is a draft, three are scheduled
    assert Story.objects.filter(published_at__gt=story.published_at).exclude(status="draft").count() == 3
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200


@pytest.fixture
def bench_urls(settings):
    settings.NEWSROOM_BENCH_BASELINE = True
    import importlib

    import newsroom.urls

    importlib.reload(newsroom.urls)
    clear_url_caches()
    yield
    settings.NEWSROOM_BENCH_BASELINE = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_the_baseline_page_is_a_fixed_30_kb_and_only_exists_for_the_benchmark(bench_urls):
    response = Client().get("/bench/baseline/")

    assert response.status_code == 200 and len(response.content) == 30 * 1024


def test_there_is_no_baseline_page_outside_the_benchmark(client):
    assert client.get("/bench/baseline/").status_code == 404


# The newsroom day (bench/day.py, bench/editor.py): its page list, popularity, judging and editor.


def test_the_newsroom_day_reads_every_public_page_and_no_unpublished_one(client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    content.build(120, log=lambda line: None)

    pages = day.public_pages()

    published = Story.objects.published()
    assert pages["stories"] == [story.get_absolute_url() for story in published.order_by("-published_at", "-pk")]
    assert pages["fronts"] == ["/", *(f"/section/{slugify(name)}/" for name in content.SECTIONS)]
    assert len(pages["people"]) == Person.objects.public().count() > 0
    assert "/feed/" in pages["feeds"] and "/sitemap.xml" in pages["sitemaps"]
    unpublished = Story.objects.exclude(pk__in=published.values("pk"))
    assert unpublished.count() == 4 and not {s.get_absolute_url() for s in unpublished} & set(pages["stories"])
    everything = [url for urls in pages.values() for url in urls]
    assert len(everything) == len(set(everything))
    assert all(getattr(resolve(url.split("?")[0]).func, "public_page", False) for url in everything)
    for kind, urls in pages.items():
        for url in {urls[0], urls[-1]}:
            assert client.get(url).status_code == 200, (kind, url)


def test_readers_go_to_the_fronts_first_then_stories_newest_first_with_other_pages_spread_among_them():
    pages = {
        "fronts": ["/", "/section/news/"],
        "stories": [f"/story/{n}/" for n in range(100)],
        "tags": [f"/tag/{n}/" for n in range(10)],
        "feeds": ["/feed/", "/feed/atom/"],
    }

    ranked = day.by_popularity(pages)

    assert sorted(ranked) == sorted(url for urls in pages.values() for url in urls)
    assert ranked[:2] == ["/", "/section/news/"]
    assert [url for url in ranked if url.startswith("/story/")] == pages["stories"]
    others = [index for index, url in enumerate(ranked) if url.startswith(("/tag/", "/feed/"))]
    gaps = [later - earlier for earlier, later in zip(others, others[1:], strict=False)]
    assert others[0] > 2 and max(gaps) - min(gaps) <= 1 and others[-1] < len(ranked) - 5


def test_rank_k_is_read_in_proportion_to_one_over_k(tmp_path):
    shares = day.zipf_shares(1000)

    reads = [shares[0]] + [later - earlier for earlier, later in zip(shares, shares[1:], strict=False)]
    assert reads[0] == pytest.approx(1 / sum(1 / k for k in range(1, 1001)))
    assert reads[1] == pytest.approx(reads[0] / 2) and reads[9] == pytest.approx(reads[0] / 10)
    assert shares == sorted(shares) and shares[-1] == 1.0
    day.write_readers_file(tmp_path / "readers.txt", ["/", "/story/a/", "/tag/b/?p=2"])
    lines = (tmp_path / "readers.txt").read_text().splitlines()
    assert [line.split(" ")[1] for line in lines] == ["/", "/story/a/", "/tag/b/?p=2"]
    assert float(lines[0].split(" ")[0]) == pytest.approx(6 / 11) and lines[-1].startswith("1 ")


def _wrk(requests: int, p99_ms: float, read_errors: int = 0) -> dict:
    errors = {"connect": 0, "read": read_errors, "write": 0, "status": 0, "timeout": 0}
    timing = {"duration_us": 10_000_000, "p50_us": 2000, "p99_us": p99_ms * 1000}
    answers = {"hit": requests // 2, "miss": requests // 2}
    cache = {"responses": requests, "page_cache_hits": answers["hit"], "page_cache": answers}
    return {"requests": requests, **timing, "errors": errors, **cache}


def test_a_phase_is_a_ratio_to_the_bare_view_and_a_failed_save_is_one_of_its_errors():
    saves = {"done": 9, "failed": 1, "median_ms": 120.0}

    phase = day.phase_result(_wrk(40_000, 12.5, read_errors=2), saves, baseline_rps=5000)

    assert phase == {
        "rps": 4000.0,
        "p50_ms": 2.0,
        "p99_ms": 12.5,
        "errors": 3,
        "ratio": 0.8,
        "page_cache_hits": 0.5,
        "page_cache": {"hit": 20_000, "miss": 20_000},
        "saves": saves,
    }


def test_the_newsroom_day_misses_its_targets_when_saving_drafts_slows_readers_down():
    no_saves = {"done": 0, "failed": 0, "median_ms": 0}
    results = {
        "quiet": day.phase_result(_wrk(40_000, 20), None, baseline_rps=5000),
        "drafts": day.phase_result(_wrk(30_000, 60), no_saves, baseline_rps=5000),
        "publish": day.phase_result(_wrk(30_000, 20), no_saves | {"failed": 1}, baseline_rps=5000),
    }

    verdicts = dict(day.verdicts(results))

    assert verdicts["quiet >= 80% of the bare view"] and verdicts["publish >= 70% of quiet"]
    assert not verdicts["drafts >= 95% of quiet"] and not verdicts["drafts: p99 under 50 ms"]
    assert verdicts["quiet: no errors"] and not verdicts["publish: no errors"]
    redis = {
        "keys": 30_000,
        "keys_memory_mb": 250.0,
        "used_memory_mb": 300.0,
        "pages": 20_000,
        "keys_after_warm_up": 29_000,
    }
    bare_view = {"rps": 5000.0, "p50_ms": 3.0, "p99_ms": 9.0}
    printed = day.table(results | {"redis": redis, "seconds_per_phase": 20, "bare_view": bare_view})
    assert "  drafts >= 95% of quiet: MISSED" in printed and "  quiet: no errors: met" in printed
    assert "the bare view read by the same script: 5000 req/s, p99 9.00 ms" in printed
    assert any(line.startswith("Redis after the day: 30000 entries (1.50 per page;") for line in printed)


@pytest.fixture
def newsroom_editor(db):
    roles.sync_roles(apps)  # a transactional test may start after another emptied the role groups
    return day.make_editor()


# The live server's requests need committed rows; the rows every test starts with come back afterwards.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_day_s_editor_signs_in_with_both_factors_and_saves_a_story_as_the_admin_form_does(
    live_server, newsroom_editor
):
    story = make_story(
        "Water cuts this weekend",
        status=Story.Status.DRAFT,
        section=make_section("News"),
        authors=[make_author("Thandi Dube"), make_author("Pieter Botha")],
        tags=["water", "council"],
        body="<p>The taps run dry on Saturday.</p>",
    )
    make_quote(story, make_person("Mayor Nkosi"), "We are sorry.")
    version = story.version
    editor = Editor(live_server.url, **newsroom_editor)

    editor.sign_in()
    assert editor.open(story.pk) == version
    editor.save(story.pk, "Update 1.")
    editor.save(story.pk, "Update 2.")

    story.refresh_from_db()
    assert story.version == version + 2 and story.status == Story.Status.DRAFT
    assert story.body == "<p>The taps run dry on Saturday.</p><p>Update 2.</p>"
    assert [byline.author.name for byline in story.bylines.order_by("position")] == ["Thandi Dube", "Pieter Botha"]
    assert sorted(story.tags.names()) == ["council", "water"] and story.quotes.get().text == "We are sorry."
    assert story.section.name == "News" and story.headline == "Water cuts this weekend"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_the_admin_refuses_is_a_failed_save(live_server, newsroom_editor):
    story = make_story("Water cuts this weekend", status=Story.Status.DRAFT, section=make_section("News"))
    editor = Editor(live_server.url, **newsroom_editor)
    editor.sign_in()
    editor.open(story.pk)
    # Someone else changes the body after the editor opened it: both changed it, so the admin asks for a choice.
    other = Story.objects.get(pk=story.pk)
    other.body += "<p>Their paragraph.</p>"
    other.save()

    with pytest.raises(SaveFailed, match="answered 200"):
        editor.save(story.pk, "Update 1.")
    editor.save(story.pk, "Update 2.")  # the form as reopened after the refusal is current again

    assert Story.objects.get(pk=story.pk).body.endswith("<p>Update 2.</p>")


def test_the_editor_reads_the_fields_of_the_form_it_names_as_a_browser_would_post_them():
    page = """<form method="get" id="search"><input name="q" value="rates"></form>
    <div><form method="post" id="story_form"><input name="headline" value="Water cuts">
      <textarea name="body">
&lt;p&gt;The taps run dry.&lt;/p&gt;</textarea><select name="section"><option value="1">News</option>
      <option value="2" selected>Sport</option></select><input type="checkbox" name="breaking">
      <input type="submit" name="_save" value="Save"></form></div><form method="post" id="logout"></form>"""

    assert form_fields(page, "story_form") == [
        ("headline", "Water cuts"),
        ("body", "<p>The taps run dry.</p>"),
        ("section", "2"),
    ]
    assert form_fields(page) == [("headline", "Water cuts"), ("body", "<p>The taps run dry.</p>"), ("section", "2")]
    assert form_fields(page, "search") == [("q", "rates")]
    with pytest.raises(SaveFailed, match="no form story_form"):
        form_fields("<p>Signed out.</p>", "story_form")
