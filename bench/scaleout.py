"""Two app servers, one database, one cache, one bucket: what one server changes, the other shows at once.

    python -m bench.scaleout        (make scaleout)

Starts, on 127.0.0.1 only: an S3 API (moto's server) with a bucket, and two gunicorn app servers (A and B)
with production settings, both using one PostgreSQL database, one Redis cache and S3 media storage.
Both servers cache the section page for readers. Then server A's configuration publishes a story with
a newly uploaded picture (a management shell run with A's environment, as an editor's request to A
would), and the script checks that B's cached section page shows the story at once, that B's story page
shows the picture, and that the picture's address (in the bucket, not on either server) serves its bytes.
Everything it started or made is removed at the end. Exits non-zero if anything is not as it should be.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.run import PG, PYTHON, ROOT, fetch, psql, say, wait_for

PORT = int(os.environ.get("SCALEOUT_PORT", 8112))
S3_PORT, PORT_A, PORT_B = PORT, PORT + 1, PORT + 2
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/12")
DATABASE = f"nr_scaleout_{os.getpid()}"
BUCKET = "newsroom-scaleout"

SEED = """
from articles.models import Section
from tests.factories import make_story
make_story("Already out", section=Section.objects.create(name="News"))
"""

PUBLISH = """
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Picture
from articles.models import Section, Story
from media.models import Image
buffer = io.BytesIO()
Picture.new("RGB", (800, 450), (30, 120, 200)).save(buffer, "JPEG")
photo = Image.objects.create(
    file=SimpleUploadedFile("harbour.jpg", buffer.getvalue(), content_type="image/jpeg"),
    alt_text="Boats in the harbour", credit="Staff photographer",
)
from tests.factories import make_story
make_story("Fresh from server A", section=Section.objects.get(name="News"), hero_image=photo)
print(photo.file.url)
"""


def environment(files: Path) -> dict:
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_", "AWS_"))}
    return base | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:5432/{DATABASE}",
        "DJANGO_CONN_MAX_AGE": "60",
        "CACHE_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "true",  # no worker runs here: jobs run in the process that asks
        "STATIC_ROOT": str(files / "static"),
        "NEWSROOM_MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_DEFAULT_ACL": "public-read",
        "AWS_ACCESS_KEY_ID": "scaleout",
        "AWS_SECRET_ACCESS_KEY": "scaleout",
        "NEWSROOM_CSP_IMG_SRC": f"http://127.0.0.1:{S3_PORT}",
    }


SECRET = secrets.token_urlsafe(50)


def check(condition: bool, message: str) -> None:
    say(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        raise SystemExit(1)


def page(port: int, path: str):
    response = fetch(f"http://127.0.0.1:{port}{path}")
    return response.headers.get("X-Page-Cache"), response.body.decode()


def run() -> None:
    files = Path(tempfile.mkdtemp(prefix="newsroom-scaleout-"))
    env = environment(files)
    processes = []

    def start(command: list[str], log: str, process_env=None):
        with open(files / log, "ab") as output:
            processes.append(
                subprocess.Popen(
                    command, cwd=ROOT, env=process_env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
                )
            )

    psql(f"CREATE DATABASE {DATABASE}")
    try:
        start([str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)], "s3.log")
        wait_for(f"http://127.0.0.1:{S3_PORT}/")
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{S3_PORT}",
            region_name="us-east-1",
            aws_access_key_id="scaleout",
            aws_secret_access_key="scaleout",
        )
        s3.create_bucket(Bucket=BUCKET)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True)
        for port in (PORT_A, PORT_B):
            gunicorn = [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
            start(gunicorn, f"app-{port}.log", env)
        for port in (PORT_A, PORT_B):
            wait_for(f"http://127.0.0.1:{port}/healthz")

        say("Two app servers, one PostgreSQL, one Redis, one S3 bucket:")
        for port in (PORT_A, PORT_B):
            page(port, "/section/news/")
            cached, html = page(port, "/section/news/")
            check(
                cached == "hit" and "Already out" in html,
                f"server {port} serves the section page from the shared cache",
            )

        published = subprocess.run(
            [*manage, "shell", "-c", PUBLISH], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        picture_url = published.stdout.strip().splitlines()[-1]
        say(f"  server A's configuration published a story with a picture stored at {picture_url}")

        cached, html = page(PORT_B, "/section/news/")
        check("Fresh from server A" in html, f"server B's section page shows the new story at once (cache: {cached})")
        _, story = page(PORT_B, "/story/fresh-from-server-a/")
        check(picture_url.rsplit(".", 1)[0].rsplit("/", 1)[-1] in story, "server B's story page shows the new picture")
        check(
            picture_url.startswith(f"http://127.0.0.1:{S3_PORT}/"),
            "the picture lives in the shared bucket, not on a server",
        )
        with urllib.request.urlopen(picture_url, timeout=10) as response:  # noqa: S310 (our own loopback S3)
            body = response.read()
        check(
            response.status == 200 and body[:3] == b"\xff\xd8\xff",
            "the bucket serves the picture to readers of either server",
        )
        _, home_a = page(PORT_A, "/")
        check("Fresh from server A" in home_a, "server A shows it too")
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match="*newsroom:*", count=1000))
        if keys:
            client.delete(*keys)
        shutil.rmtree(files, ignore_errors=True)


if __name__ == "__main__":
    started = time.monotonic()
    run()
    say(f"Scale-out check passed in {time.monotonic() - started:.0f}s.")
    sys.exit(0)
