"""A real Celery worker against Redis: it makes a picture's renditions, and a job failing for good is
recorded for admins. Runs wherever Redis answers at 127.0.0.1:6379 and the tests use PostgreSQL (the
worker is another process and must open the test database), as in .ci/run's PostgreSQL pass."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from jobs.models import JobFailure
from media.models import Image
from media.renditions import rendition_files
from media.tasks import render_renditions
from newsroom.celery import app as celery_app
from newsroom.celery import enqueue
from tests.factories import make_image, make_story

ROOT = Path(__file__).resolve().parent.parent
# A database of its own on the machine's Redis, and a queue of its own per run, so nothing else is disturbed.
BROKER = "redis://127.0.0.1:6379/13"
WAIT_SECONDS = 90


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not _redis_answers(), reason=f"Redis does not answer at {BROKER} (the worker's broker)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the worker must open the test database from another process: run on PostgreSQL (.ci/run)")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A `celery worker` process on this test's database, media folder and a fresh queue on Redis."""
    queue = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_", "CELERY_"))}
    env |= {
        "DATABASE_URL": database_url(),
        "CACHE_URL": "locmemcache://worker",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "NEWSROOM_JOB_MAX_RETRIES": "1",  # one quick retry, then the failure is recorded
        "NEWSROOM_LOG_FORMAT": "plain",
        "DJANGO_LOG_LEVEL": "INFO",
    }
    log = tmp_path / "worker.log"
    command = [
        *(str(Path(sys.executable).parent / "celery"), "--app", "newsroom.celery", "worker"),
        *("--pool", "solo", "--queues", queue, "--hostname", f"{queue}@test", "--loglevel", "INFO"),
        *("--without-mingle", "--without-gossip", "--without-heartbeat"),
    ]
    saved = {name: celery_app.conf[name] for name in ("broker_url", "task_always_eager", "task_default_queue")}
    # Unit tests run jobs eagerly, but one may have made a connection to the broker they name: the app
    # forgets its pooled connections, so the next one is made to this broker.
    celery_app.conf.update(broker_url=BROKER, task_always_eager=False, task_default_queue=queue)
    _forget_connections()
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        running = Worker(process, log)
        running.wait_for(lambda: celery_app.control.ping(destination=[f"{queue}@test"], timeout=0.5), "its start")
        yield running
    finally:
        process.send_signal(signal.SIGTERM)  # a warm shutdown
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        celery_app.conf.update(saved)
        _forget_connections()
        leftover = redis.Redis.from_url(BROKER)
        leftover.delete(queue, *leftover.scan_iter(f"_kombu.binding*{queue}"))  # the queue and its bindings


def _forget_connections() -> None:
    """Forget the connection and producer pools the app made for the broker it named before, as Celery
    itself does in a forked process: the next connection is made to the broker named now."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def wait_for(self, condition, what: str) -> None:
        """Poll ``condition`` until it holds; fail with the worker's log if the worker stops or time runs out."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log.read_text(errors="replace")[-4000:]
                pytest.fail(f"The worker stopped or {WAIT_SECONDS} s passed waiting for {what}. Its log:\n{log}")
            time.sleep(0.2)


def test_the_worker_makes_an_uploaded_pictures_renditions(worker, client):
    image = make_image(width=1400, height=700)  # committed, and its job sent to the queue
    story = make_story("Flooding in Alexandra", hero_image=image)

    worker.wait_for(lambda: Image.objects.get(pk=image.pk).rendition_index.get("source"), "the renditions")

    renditions = rendition_files(Image.objects.get(pk=image.pk).rendition_index)
    assert len([r for r in renditions if r.kind == "width" and r.format == "webp"]) == 5
    assert all(default_storage.exists(r.name) for r in renditions)
    hero = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser").select_one(".story__hero img")
    assert hero["srcset"].count(" ") >= 5 and hero["src"] != image.file.url


def test_a_job_failing_for_good_in_the_worker_is_listed_for_admins(worker, editor_client):
    celery_app.conf.task_always_eager = True
    image = make_image()  # made here; then its file is spoilt and its renditions forgotten
    celery_app.conf.task_always_eager = False
    name = default_storage.save("images/spoilt.jpg", ContentFile(b"these bytes are not a picture"))
    Image.objects.filter(pk=image.pk).update(file=name, rendition_index={})

    enqueue(render_renditions, image.pk)

    worker.wait_for(lambda: JobFailure.objects.exists(), "the failure record")
    failure = JobFailure.objects.get()
    assert (failure.task, failure.arguments, failure.retries) == ("media.tasks.render_renditions", str(image.pk), 1)
    listing = editor_client.get("/admin/jobs/jobfailure/")
    assert listing.status_code == 200
    assert "UnidentifiedImageError" in listing.content.decode()
