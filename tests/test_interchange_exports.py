"""Archive exports as jobs: asked for in the admin or by a command, written by the worker, downloaded
from the admin by those who may see them, and never from the public media."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from interchange.models import ArchiveExport
from interchange.tasks import write_export
from tests.factories import log_in, make_image, make_story

pytestmark = pytest.mark.django_db
LIST = "/admin/interchange/archiveexport/"


@pytest.fixture(autouse=True)
def _exports_in_tmp(settings, tmp_path):
    settings.NEWSROOM_EXPORT_DIR = tmp_path / "exports"


def test_an_export_asked_for_in_the_admin_is_queued_then_listed_ready_to_download(editor_client, queued_jobs):
    make_story("Harbour opens new quay", hero_image=make_image())

    response = editor_client.post(LIST + "request/", {"media": "yes"}, follow=True)

    export = ArchiveExport.objects.get()
    assert "The export is queued" in response.content.decode()
    assert (export.status, export.requested_by) == (ArchiveExport.Status.QUEUED, editor_client.user)
    assert queued_jobs()[-1] == ("interchange.tasks.write_export", (export.pk,))

    assert write_export.apply(args=[export.pk]).get() is True

    listing = editor_client.get(LIST).content.decode()
    download = f"{LIST}{export.pk}/download/"
    assert download in listing
    response = editor_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="newsroom-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "data/articles.Story.json" in archive.namelist()
    assert any(name.startswith("media/images/") for name in archive.namelist())
    export.refresh_from_db()
    assert export.rows > 0 and export.media_files == 1 and export.file_size > 0


def test_the_export_job_is_idempotent(editor_client):
    editor_client.post(LIST + "request/", {"media": "no"})  # run at once: jobs run eagerly in tests
    export = ArchiveExport.objects.get()
    assert export.status == ArchiveExport.Status.DONE and export.media_files == 0

    assert write_export.apply(args=[export.pk]).get() is False


def test_an_export_failing_for_good_says_so_on_its_row(editor_client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr("interchange.exports.export_archive", broken)

    export = ArchiveExport.objects.create()
    write_export.apply(args=[export.pk], throw=False)

    export.refresh_from_db()
    assert export.status == ArchiveExport.Status.FAILED
    assert export.error == "OSError: No space left on device"
    assert "No space left on device" in editor_client.get(LIST).content.decode()


def test_editors_can_neither_ask_for_nor_download_exports(client, editor, editor_client):
    editor_client.post(LIST + "request/", {"media": "no"})
    export = ArchiveExport.objects.get()
    log_in(client, editor)

    assert client.post(LIST + "request/", {"media": "no"}).status_code == 403
    assert client.get(f"{LIST}{export.pk}/download/").status_code == 404
    assert ArchiveExport.objects.count() == 1


def test_asking_for_an_export_needs_a_post(editor_client):
    assert editor_client.get(LIST + "request/").status_code == 405
    assert not ArchiveExport.objects.exists()


def test_deleting_an_export_removes_its_file(editor_client, settings):
    editor_client.post(LIST + "request/", {"media": "no"})
    export = ArchiveExport.objects.get()
    path = settings.NEWSROOM_EXPORT_DIR / export.file_name
    assert path.is_file()

    editor_client.post(f"{LIST}{export.pk}/delete/", {"post": "yes"})

    assert not ArchiveExport.objects.exists() and not path.exists()


def test_the_export_command_can_queue_the_export_for_the_worker(queued_jobs):
    output = io.StringIO()

    call_command("export_content", "--queue", "--no-media", stdout=output)

    export = ArchiveExport.objects.get()
    assert output.getvalue().strip() == f"Export {export.pk}: waiting for the worker. See Archive exports in the admin."
    assert export.include_media is False
    assert queued_jobs() == [("interchange.tasks.write_export", (export.pk,))]


def test_the_export_command_wants_a_path_or_the_queue(tmp_path):
    with pytest.raises(CommandError, match="Give a path"):
        call_command("export_content", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Give a path"):
        call_command("export_content", str(tmp_path / "a.zip"), "--queue", stdout=io.StringIO())
