"""Media on S3-compatible object storage: the settings it is configured by, and the pipeline against a real S3 API.

The S3 API is moto's server on 127.0.0.1, started by the test: nothing leaves the machine.
"""

import io
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from articles.richtext import sanitize_body
from media.models import Image
from media.renditions import rendition_files
from tests.factories import make_story, picture_bytes
from tests.test_media_processing import SECRETS, revealing_jpeg, upload

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

ROOT = Path(__file__).resolve().parent.parent
S3_ENVIRONMENT = {
    "NEWSROOM_MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "herald-media",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
    "AWS_S3_REGION_NAME": "af-south-1",
    "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
    "AWS_ACCESS_KEY_ID": "key-id",
    "AWS_SECRET_ACCESS_KEY": "secret",
}


def settings_value(expression: str, **environ) -> object:
    """Evaluate ``expression`` against the settings a fresh process builds from ``environ``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("NEWSROOM_", "AWS_"))}
    code = f"import json, django; django.setup(); from django.conf import settings; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"} | environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_s3_storage_is_configured_by_environment_and_local_files_are_the_default():
    storage, serve_media = settings_value("[settings.STORAGES['default'], settings.SERVE_MEDIA]", **S3_ENVIRONMENT)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "herald-media" and options["endpoint_url"] == "http://127.0.0.1:9"
    assert options["custom_domain"] == "media.example.org" and options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert serve_media is False  # the bucket serves media, not Django

    local = settings_value("[settings.STORAGES['default'], settings.SERVE_MEDIA]")
    assert local == [{"BACKEND": "django.core.files.storage.FileSystemStorage"}, True]


@pytest.fixture
def s3_media(settings):
    """Default storage on a bucket of a local S3 server; yields the server's address."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    boto3.client("s3", endpoint_url=endpoint, **credentials).create_bucket(Bucket="newsroom-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "newsroom-media",
                "endpoint_url": endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "addressing_style": "path",
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": "public-read",  # readers fetch pictures straight from the bucket
            },
        },
    }
    yield endpoint
    server.stop()


@pytest.mark.django_db
def test_upload_goes_through_the_pipeline_into_the_bucket_and_renditions_read_back(editor_client, s3_media, settings):
    response = upload(editor_client, "phone photo.jpg", revealing_jpeg())

    assert response.status_code == 302
    image = Image.objects.get()
    assert type(image.file.storage._wrapped).__name__ == "S3Storage"
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing went to local disk
    assert image.file.url.startswith(f"{s3_media}/newsroom-media/images/")
    renditions = rendition_files(image.rendition_index)
    for kind in ("width", "teaser"):  # the upright 400 x 600 picture, and its 400 x 267 teaser crop
        assert {(r.format, r.width) for r in renditions if r.kind == kind} == {
            (fmt, width) for fmt in ("webp", "jpeg") for width in (320, 400)
        }
    for name in image.stored_names():
        with image.file.storage.open(name, "rb") as stored:
            data = stored.read()
        assert not any(secret in data for secret in SECRETS), name
        with PILImage.open(io.BytesIO(data)) as picture:
            assert not picture.getexif(), name
    # The addresses pages use are served by the bucket as they are.
    with urllib.request.urlopen(image.fallback_url, timeout=10) as served:
        assert PILImage.open(io.BytesIO(served.read())).format == "JPEG"


@pytest.mark.django_db
def test_story_page_and_body_figures_use_the_buckets_addresses(client, s3_media):
    upload_file = ContentFile(picture_bytes("JPEG", (700, 500)), name="wire.jpg")
    image = Image.objects.create(file=upload_file, alt_text="Alt", credit="Agency")
    body = sanitize_body(f'<figure><img src="{image.fallback_url}" alt="" data-file="{image.pk}"></figure>')
    assert image.fallback_url in body  # the bucket's address is our own media
    story = make_story("Stored remotely", hero_image=image, body=body)

    page = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")

    srcsets = [source["srcset"] for source in page.select("picture source")]
    assert len(srcsets) == 2
    assert all(entry.startswith(f"{s3_media}/newsroom-media/") for s in srcsets for entry in s.split(", "))
