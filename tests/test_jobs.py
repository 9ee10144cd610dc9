"""The job queue: where jobs go, and jobs that fail for good, as admins see them."""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from jobs.models import JobFailure
from media.models import Image
from media.tasks import render_renditions
from tests.factories import log_in, make_image

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def queue_settings(**environment) -> dict:
    """The job queue's settings as a process started with ``environment`` reads them."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_", "CELERY_"))}
    env = {key: value for key, value in env.items() if key != "CACHE_URL"} | environment
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER]))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    broker, eager = json.loads(result.stdout.strip().splitlines()[-1])
    return {"broker": broker, "eager": eager}


def test_jobs_go_to_the_database_after_the_caches_on_its_redis_server():
    assert queue_settings(CACHE_URL="redis://:secret@cache.internal:6379/1") == {
        "broker": "redis://:secret@cache.internal:6379/2",
        "eager": False,
    }


def test_without_a_broker_jobs_run_eagerly_unless_told_otherwise():
    assert queue_settings() == {"broker": "", "eager": True}
    assert queue_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/5", CELERY_TASK_ALWAYS_EAGER="true") == {
        "broker": "redis://127.0.0.1:6379/5",
        "eager": True,
    }


def broken_picture() -> Image:
    """A library picture whose stored file is no longer a picture (a fault of the storage, say)."""
    image = make_image()
    name = default_storage.save("images/broken.jpg", ContentFile(b"these bytes are not a picture"))
    Image.objects.filter(pk=image.pk).update(file=name, rendition_index={})
    return image


def test_a_job_failing_after_every_retry_is_recorded_with_its_error_and_traceback(settings):
    image = broken_picture()

    result = render_renditions.apply(args=[image.pk], throw=False)

    assert result.failed()
    failure = JobFailure.objects.get()
    assert failure.task == "media.tasks.render_renditions"
    assert failure.arguments == str(image.pk)
    assert failure.retries == settings.NEWSROOM_JOB_MAX_RETRIES
    assert failure.error.startswith("UnidentifiedImageError: ")
    assert "refresh_renditions" in failure.traceback


def test_a_job_that_succeeds_on_a_retry_records_no_failure(monkeypatch):
    image = make_image()
    Image.objects.filter(pk=image.pk).update(rendition_index={})
    attempts = []

    def flaky(image, **kwargs):
        attempts.append(image.pk)
        if len(attempts) == 1:
            raise ConnectionError("storage did not answer")
        return True

    monkeypatch.setattr("media.tasks.refresh_renditions", flaky)

    assert render_renditions.apply(args=[image.pk]).get() is True
    assert attempts == [image.pk, image.pk]
    assert not JobFailure.objects.exists()


def test_admins_read_failed_jobs_under_site_and_cannot_change_them(editor_client):
    render_renditions.apply(args=[broken_picture().pk], throw=False)
    failure = JobFailure.objects.get()

    site = editor_client.get("/admin/site/")
    listing = editor_client.get("/admin/jobs/jobfailure/")
    detail = editor_client.get(f"/admin/jobs/jobfailure/{failure.pk}/change/")

    assert site.status_code == listing.status_code == detail.status_code == 200
    assert "Job failures" in site.content.decode()
    assert "media.tasks.render_renditions" in listing.content.decode()
    assert "UnidentifiedImageError" in listing.content.decode()
    traceback = BeautifulSoup(detail.content, "html.parser").select_one("pre").get_text()
    assert "UnidentifiedImageError" in traceback and "_open_stored" in traceback
    assert 'name="_save"' not in detail.content.decode()
    assert editor_client.get("/admin/jobs/jobfailure/add/").status_code == 403


def test_editors_do_not_see_failed_jobs(client, editor):
    JobFailure.record(task="media.tasks.render_renditions", args=[1], error=ValueError("bad"))
    log_in(client, editor)

    assert "Job failures" not in client.get("/admin/").content.decode()
    assert client.get("/admin/jobs/jobfailure/").status_code == 403


def test_failures_past_their_retention_are_pruned(settings):
    settings.NEWSROOM_JOB_FAILURE_RETENTION_DAYS = 30
    old = JobFailure.record(task="articles.tasks.refresh_search_documents", args=[[1]], error=ValueError("old"))
    JobFailure.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    recent = JobFailure.record(task="articles.tasks.refresh_search_documents", args=[[2]], error=ValueError("new"))
    output = io.StringIO()

    call_command("prune_job_failures", stdout=output)

    assert list(JobFailure.objects.all()) == [recent]
    assert output.getvalue().strip() == "Deleted 1 job failure records older than 30 days."


def test_a_failure_keeps_only_the_end_of_a_long_traceback_and_a_short_summary_of_arguments():
    failure = JobFailure.record(
        task="interchange.tasks.import_batch",
        args=["x" * 1000],
        kwargs={"user": 3},
        error=RuntimeError("e" * 2000),
        traceback="first line\n" + "frame\n" * 2000 + "last line",
    )

    assert len(failure.arguments) == 300 and failure.arguments.endswith("…")
    assert len(failure.error) == 1000
    assert failure.traceback.endswith("last line") and "first line" not in failure.traceback


def test_the_admin_role_reads_failed_jobs_too(client, admin_member):
    JobFailure.record(task="media.tasks.render_renditions", args=[1], error=ValueError("bad"))
    log_in(client, admin_member)

    assert "Job failures" in client.get("/admin/site/").content.decode()
    assert "ValueError: bad" in client.get("/admin/jobs/jobfailure/").content.decode()
