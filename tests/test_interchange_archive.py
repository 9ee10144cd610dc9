import io
import json
import shutil
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from articles.models import Correction, Publication, Section, Story
from interchange.archive import (
    ArchiveError,
    ArchiveJSONEncoder,
    content_models,
    export_archive,
    exported_fields,
    import_archive,
)
from interchange.importing import import_file
from media.models import Image
from tests.factories import (
    make_author,
    make_image,
    make_person,
    make_quote,
    make_section,
    make_social_link,
    make_source,
    make_story,
    make_user,
)
from tests.interchange_samples import WIRE_STORY


def _build_site():
    reporter = make_user("reporter", first_name="Kagiso", email="k@news.example", is_staff=True)
    news = make_section("News", more_label="For more News, visit", more_url="https://news.example")
    image = make_image(title="Harbour at dawn")
    author = make_author("Kagiso Moloi", user=reporter, photo=image)
    author.links.create(platform="x", url="https://x.example/kagiso")
    story = make_story(
        "Harbour Opens New Quay",
        section=news,
        authors=[author, make_author("Ruth Adams")],
        tags=["Harbour", "Shipping"],
        source=make_source("Bay Partner"),
        hero_image=image,
        created_by=reporter,
    )
    other = make_story("Second Story", section=news, tags=["Harbour"])
    story.related.add(other)
    make_quote(story, make_person("Lindiwe Khumalo", description="Mayor"), "The quay is finished.")
    Correction.objects.create(story=story, text="The quay is 300 m long, not 200 m.", created_by=reporter)
    publication = Publication.load()
    publication.name, publication.logo = "Bay Herald", image
    publication.save()
    make_social_link()
    import_file(name="wire.txt", content=WIRE_STORY.encode(), user=reporter)  # import records and suggestions
    return image


def _snapshot() -> dict:
    """Every content row as serialized JSON, keyed by model: equal snapshots mean equal content."""
    return {
        m._meta.label: json.loads(
            serializers.serialize(
                "json",
                m._default_manager.order_by("pk"),
                fields=exported_fields(m),
                use_natural_foreign_keys=True,
                cls=ArchiveJSONEncoder,
            )
        )
        for m in content_models()
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_archive_round_trip_into_an_empty_installation_keeps_all_content(tmp_path, client, settings, page_cache):
    image = _build_site()
    image_bytes = image.file.read()
    story = Story.objects.get(headline="Harbour Opens New Quay")
    story.headline = "Harbour Opens Its New Quay"
    story.save()  # a second revision
    before = _snapshot()
    assert len([r for r in before["articles.HistoricalStory"] if r["fields"]["id"] == story.pk]) == 2
    path = tmp_path / "site.zip"
    call_command("export_content", str(path), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)  # a fresh installation
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Story.objects.exists()
    for _ in range(3):  # the publication row is made, then the page stored, then served from the cache
        cached = client.get("/")
    assert cached["X-Page-Cache"] == "hit" and "Harbour" not in cached.content.decode()

    out = io.StringIO()
    call_command("import_content", str(path), stdout=out)
    assert "passwords must be reset" in out.getvalue()
    after = _snapshot()
    assert after.keys() == before.keys()
    for label, rows in before.items():
        assert after[label] == rows, label
    with default_storage.open(image.file.name, "rb") as restored:
        assert restored.read() == image_bytes
    renditions = Image.objects.get().stored_names()
    assert len(renditions) > 1 and all(default_storage.exists(name) for name in renditions)
    reporter = get_user_model().objects.get(username="reporter")
    assert (reporter.first_name, reporter.is_superuser, reporter.has_usable_password()) == ("Kagiso", False, False)
    response = client.get(Story.objects.get(headline="Harbour Opens Its New Quay").get_absolute_url())
    assert response.status_code == 200
    assert "The quay is 300 m long" in response.content.decode()
    front = BeautifulSoup(client.get("/").content, "html.parser")  # every page shows what was loaded
    assert "Harbour Opens Its New Quay" in front.get_text()
    assert [link.get_text(strip=True) for link in front.select(".site-nav a")] == ["News"]
    # Ids continue after the loaded rows: new content can be added straight away.
    make_story("After The Move", section=make_section("Sport"))


@pytest.mark.django_db
def test_export_without_media_keeps_image_metadata_only(tmp_path):
    _build_site()
    path = tmp_path / "meta.zip"
    summary = export_archive(path, include_media=False)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        images = json.loads(archive.read("data/media.Image.json"))
    assert summary.media_files == 0
    assert not [n for n in names if n.startswith("media/")]
    assert images[0]["fields"]["alt_text"] and images[0]["fields"]["credit"]


@pytest.mark.django_db
def test_archive_refuses_to_load_over_existing_content(tmp_path):
    _build_site()
    path = tmp_path / "site.zip"
    export_archive(path)
    with pytest.raises(ArchiveError, match="already has content"):
        import_archive(path)


def _archive_with(tmp_path, files: dict) -> str:
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return str(path)


MANIFEST = json.dumps({"format": "newsroom-archive", "version": 1, "models": ["articles.Section"]})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"readme.txt": "hello"}, "no manifest.json"),
        ({"manifest.json": "{"}, "not valid JSON"),
        ({"manifest.json": json.dumps({"format": "newsroom-archive", "version": 99})}, "version 99"),
        (
            {"manifest.json": json.dumps({"format": "newsroom-archive", "version": 1, "models": ["shop.Order"]})},
            "no place for: shop.Order",
        ),
        ({"manifest.json": MANIFEST}, "has no data/articles.Section.json"),
        ({"manifest.json": MANIFEST, "data/articles.Section.json": "[{"}, "cannot be read"),
        (
            {
                "manifest.json": MANIFEST,
                "data/articles.Section.json": json.dumps([{"model": "articles.section", "pk": 1, "fields": {}}]),
            },
            "does not fit together",
        ),
        (
            {
                "manifest.json": MANIFEST,
                "data/articles.Section.json": json.dumps(
                    [{"model": "articles.section", "pk": 1, "fields": {"name": "News", "slug": "news"}}]
                ),
                "media/../../outside.txt": "x",
            },
            "unsafe name",
        ),
    ],
)
def test_broken_archives_fail_cleanly_and_load_nothing(tmp_path, files, message):
    with pytest.raises(ArchiveError, match=message):
        import_archive(_archive_with(tmp_path, files))
    assert not Story.objects.exists()
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_import_content_command_reports_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "not.zip"
    path.write_text("plain text")
    with pytest.raises(CommandError, match="not a readable zip"):
        call_command("import_content", str(path))
