"""``/metrics``: Prometheus's view of requests, latency and the page cache, for Prometheus only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from newsroom import metrics
from tests.factories import make_story

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_answer_an_internal_address_in_prometheus_format(client):
    client.get("/")

    response = client.get("/metrics", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert 'newsroom_requests_total{method="GET",status="200",view="articles:home"}' in body
    assert 'newsroom_request_duration_seconds_bucket{le="0.1",view="articles:home"}' in body


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},  # relayed by a local proxy
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer wrong-token"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer "},
    ],
)
def test_metrics_are_refused_to_everyone_else(client, settings, extra):
    settings.NEWSROOM_METRICS_TOKEN = "scrape-token-7f3a"

    response = client.get("/metrics", **extra)

    assert response.status_code == 403
    assert b"newsroom_requests_total" not in response.content


def test_metrics_answer_the_token_from_anywhere(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = "scrape-token-7f3a"

    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-token-7f3a")

    assert response.status_code == 200


def test_without_a_token_no_bearer_value_opens_the_metrics(client, settings):
    settings.NEWSROOM_METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403


def test_requests_are_counted_by_route_name_and_status(client):
    story = make_story()
    before = sample("newsroom_requests_total", view="articles:story_detail", method="GET", status="200")
    missing_before = sample("newsroom_requests_total", view="unmatched", method="GET", status="404")

    client.get(story.get_absolute_url())
    client.get("/no/such/address/")

    assert sample("newsroom_requests_total", view="articles:story_detail", method="GET", status="200") == before + 1
    assert sample("newsroom_requests_total", view="unmatched", method="GET", status="404") == missing_before + 1


def test_page_cache_hits_and_misses_are_counted_per_kind_of_page(client, page_cache):
    story = make_story()
    labels = {"view": "articles:story_detail"}
    hits, misses = (
        sample("newsroom_page_cache_total", result="hit", **labels),
        sample("newsroom_page_cache_total", result="miss", **labels),
    )

    first, second = client.get(story.get_absolute_url()), client.get(story.get_absolute_url())

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert sample("newsroom_page_cache_total", result="miss", **labels) == misses + 1
    assert sample("newsroom_page_cache_total", result="hit", **labels) == hits + 1


def total_requests() -> float:
    family = next(family for family in REGISTRY.collect() if family.name == "newsroom_requests")
    return sum(metric.value for metric in family.samples if metric.name == "newsroom_requests_total")


def test_health_probes_are_not_counted(client):
    client.get("/")
    before = total_requests()

    client.get("/health/live/")
    client.get("/healthz")

    assert total_requests() == before


def test_in_multiprocess_mode_a_scrape_adds_up_every_worker(tmp_path, monkeypatch):
    # Two "workers": separate processes writing their counts to the shared directory, as under gunicorn.
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    worker = "from newsroom import metrics; metrics.record('articles:home', 'GET', 200, 0.02, 'hit')"
    for _ in range(2):
        subprocess.run([sys.executable, "-c", worker], cwd=ROOT, env=environment, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    body = metrics.exposition().decode()

    assert 'newsroom_page_cache_total{result="hit",view="articles:home"} 2.0' in body
    assert 'newsroom_requests_total{method="GET",status="200",view="articles:home"} 2.0' in body
