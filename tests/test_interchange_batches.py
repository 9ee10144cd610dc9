"""Large uploads of copy are imported by the worker; the upload page lists what became of each file."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Story
from interchange.models import ImportBatch
from interchange.tasks import import_batch
from tests.factories import log_in, make_section
from tests.interchange_samples import WIRE_STORY

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/interchange/importeditem/upload/"
FILES = [("wire.txt", WIRE_STORY.encode()), ("broken.json", b'{"uri": "urn:x",')]


@pytest.fixture(autouse=True)
def _one_file_at_a_time(settings, tmp_path):
    """More than one file is a large upload here, and its files wait in this test's own folder."""
    settings.NEWSROOM_IMPORT_QUEUE_FILES = 1
    settings.NEWSROOM_IMPORT_QUEUE_DIR = tmp_path / "imports"


def upload(client, files=FILES):
    return client.post(UPLOAD, {"files": [SimpleUploadedFile(name, content) for name, content in files]}, follow=True)


def test_a_large_upload_is_imported_by_the_worker_and_listed_once_done(editor_client, queued_jobs, settings):
    make_section("News")

    waiting = BeautifulSoup(upload(editor_client).content, "html.parser")

    batch = ImportBatch.objects.get()
    assert "2 files handed to the background import" in waiting.get_text()
    assert "2 files uploaded" in waiting.get_text() and "waiting for the worker" in waiting.get_text()
    assert not Story.objects.exists()
    assert queued_jobs() == [("interchange.tasks.import_batch", (batch.pk,))]
    assert len(list((settings.NEWSROOM_IMPORT_QUEUE_DIR / batch.folder).iterdir())) == 2

    assert import_batch.apply(args=[batch.pk]).get() is True

    done = BeautifulSoup(editor_client.get(UPLOAD).content, "html.parser")
    story = Story.objects.get()
    assert story.created_by == editor_client.user and story.status == Story.Status.DRAFT
    ok, failed = done.select("tr.import-ok"), done.select("tr.import-failed")
    assert ok[0].find("a", href=f"/admin/articles/story/{story.pk}/change/").get_text() == story.headline
    assert "broken.json" in failed[0].get_text() and "Not valid JSON" in failed[0].get_text()
    assert "imported" in done.select_one("h3").get_text()
    assert not (settings.NEWSROOM_IMPORT_QUEUE_DIR / batch.folder).exists()


def test_the_import_job_is_idempotent(editor_client, queued_jobs):
    make_section("News")
    upload(editor_client)
    batch = ImportBatch.objects.get()
    import_batch.apply(args=[batch.pk])

    assert import_batch.apply(args=[batch.pk]).get() is False
    assert Story.objects.count() == 1


def test_run_eagerly_a_large_upload_is_listed_done_at_once(editor_client):
    make_section("News")

    page = BeautifulSoup(upload(editor_client).content, "html.parser")

    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    assert page.select("tr.import-ok") and page.select("tr.import-failed")


def test_a_batch_failing_for_good_says_so_and_lets_its_files_go(editor_client, queued_jobs, monkeypatch, settings):
    upload(editor_client)
    batch = ImportBatch.objects.get()

    def broken(**kwargs):
        raise RuntimeError("the wire service's files are unreadable")

    monkeypatch.setattr("interchange.batches.import_files", broken)
    import_batch.apply(args=[batch.pk], throw=False)

    page = editor_client.get(UPLOAD).content.decode()
    assert "failed" in page and "RuntimeError: the wire service&#x27;s files are unreadable" in page
    assert not (settings.NEWSROOM_IMPORT_QUEUE_DIR / batch.folder).exists()


def test_each_editor_sees_only_their_own_background_imports(editor_client, client, editor, queued_jobs):
    upload(editor_client)
    log_in(client, editor)

    assert "Background imports" not in client.get(UPLOAD).content.decode()
