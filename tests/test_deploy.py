"""The shipped production files: compose stack, image, gunicorn, systemd units and the nginx proxy.

Container registries are out of reach where the suite runs, so the compose file and the Dockerfile are
read rather than run (``make deploy-smoke`` runs them where Docker is available). nginx, when installed,
runs the shipped configuration in front of a live server.
"""

import configparser
import gzip
import os
import pwd
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from gunicorn.config import Config

from tests.factories import make_story

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
LONG_RUNNING = {"app", "worker", "nginx", "db", "redis", "minio"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instruction(lines: list[str], name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in lines if line.split(None, 1)[0].upper() == name]


def test_compose_runs_the_whole_stack(compose):
    services = compose["services"]

    assert set(services) >= LONG_RUNNING
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["minio"]["image"].startswith("minio/")
    assert services["nginx"]["image"].startswith("nginx:")
    assert services["app"]["build"] == "."
    app = services["app"]["environment"]
    assert app["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in app["DATABASE_URL"]
    assert app["CACHE_URL"] == "redis://redis:6379/1"
    assert app["NEWSROOM_MEDIA_STORAGE"] == "s3"
    assert app["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"


def test_every_long_running_service_has_a_healthcheck_and_waits_for_what_it_needs(compose, dockerfile):
    services = compose["services"]
    for name in LONG_RUNNING - {"app"}:
        assert services[name]["healthcheck"]["test"][0] == "CMD", name
    assert instruction(dockerfile, "HEALTHCHECK"), "the app's healthcheck comes from its image"
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["app"]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    for name, service in services.items():
        assert set(service.get("depends_on", {})) <= set(services), name
        assert not service.get("privileged"), name


def test_the_proxy_is_the_shipped_nginx_configuration_and_the_only_published_site_port(compose):
    services = compose["services"]
    nginx = services["nginx"]

    assert "./deploy/nginx.conf:/etc/nginx/templates/default.conf.template:ro" in nginx["volumes"]
    assert "ports" not in services["app"]
    assert "ports" not in services["db"] and "ports" not in services["redis"]
    address = nginx["networks"]["newsroom"]["ipv4_address"]
    assert services["app"]["environment"]["NEWSROOM_TRUSTED_PROXIES"] == address
    placeholders = set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "nginx.conf").read_text()))
    assert placeholders <= set(nginx["environment"])


def test_named_volumes_are_declared(compose):
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
        if not volume.startswith(".")
    }
    assert used <= set(compose["volumes"])


def test_the_image_is_slim_runs_as_a_service_user_and_collects_static_files_at_build(dockerfile):
    [base] = instruction(dockerfile, "FROM")
    users = instruction(dockerfile, "USER")
    runs = instruction(dockerfile, "RUN")
    [healthcheck] = instruction(dockerfile, "HEALTHCHECK")

    assert base == "python:3.11-slim"
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert dockerfile.index(f"USER {users[-1]}") > max(i for i, line in enumerate(dockerfile) if line.startswith("RUN"))
    assert any("-r requirements.lock" in run for run in runs)
    assert any("manage.py collectstatic" in run for run in runs)
    assert "/health/live/" in healthcheck
    assert "deploy/gunicorn.conf.py" in instruction(dockerfile, "CMD")[0]


def test_local_state_and_secrets_stay_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())

    assert {".env", ".venv", "var", ".git"} <= ignored


def gunicorn_settings(monkeypatch, **environment) -> dict:
    for name in ("GUNICORN_WORKERS", "NEWSROOM_LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the file puts the project root on the path
    values = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)  # gunicorn validates each value as it would at start
    return values


def test_gunicorn_workers_follow_the_cores_and_trust_no_proxy_by_default(monkeypatch):
    values = gunicorn_settings(monkeypatch)

    assert values["workers"] == len(os.sched_getaffinity(0)) * 2 + 1
    assert values["timeout"] == 30
    assert values["forwarded_allow_ips"] == ""
    assert "%({x-request-id}o)s" in values["access_log_format"]
    assert values["logconfig_dict"]["handlers"]["access_console"]["formatter"] == "json"


def test_gunicorn_trusts_the_configured_proxies(monkeypatch, settings):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1  # what Django trusts, gunicorn trusts (newsroom/client_ip.py)
    settings.NEWSROOM_TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3"]
    values = gunicorn_settings(monkeypatch, GUNICORN_WORKERS="3", NEWSROOM_LOG_FORMAT="plain")

    assert values["forwarded_allow_ips"] == "10.0.0.2,10.0.0.3"
    assert values["workers"] == 3
    assert values["logconfig_dict"]["handlers"]["access_console"]["formatter"] == "access_plain"


def test_systemd_units_run_gunicorn_as_the_service_user_after_migrations():
    units = {}
    for name in ("newsroom.service", "newsroom-migrate.service"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.optionxform = str
        unit.read(DEPLOY / "systemd" / name)
        units[name] = unit

    app, migrate = units["newsroom.service"], units["newsroom-migrate.service"]
    assert "newsroom-migrate.service" in app["Unit"]["Requires"]
    assert "deploy/gunicorn.conf.py" in app["Service"]["ExecStart"]
    assert app["Service"]["User"] == migrate["Service"]["User"] == "newsroom"
    assert app["Service"]["NoNewPrivileges"] == "yes"
    assert app["Service"]["ProtectSystem"] == "strict"
    assert migrate["Service"]["Type"] == "oneshot"


def test_the_job_queue_worker_runs_with_its_scheduler_in_compose_and_under_systemd(compose):
    worker = compose["services"]["worker"]
    assert worker["command"][:4] == ["celery", "--app", "newsroom.celery", "worker"] and "--beat" in worker["command"]
    assert worker["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/2"
    assert worker["environment"]["DATABASE_URL"] == compose["services"]["app"]["environment"]["DATABASE_URL"]
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "ping" in worker["healthcheck"]["test"]

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / "newsroom-worker.service")
    assert "newsroom-migrate.service" in unit["Unit"]["Requires"]
    assert "celery --app newsroom.celery worker --beat" in unit["Service"]["ExecStart"]
    assert unit["Service"]["User"] == "newsroom" and unit["Service"]["ProtectSystem"] == "strict"


# --- nginx in front of a live server ------------------------------------------------------------------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(prefix: Path, upstream: str, port: int) -> Path:
    """deploy/nginx.conf filled in as envsubst would, inside a minimal nginx.conf of its own."""
    values = {
        "NEWSROOM_LISTEN": f"127.0.0.1:{port}",
        "NEWSROOM_SERVER_NAME": "localhost",
        "NEWSROOM_UPSTREAM": upstream,
        "NEWSROOM_PROXY_CACHE_DIR": str(prefix / "cache"),
        "NEWSROOM_STATIC_ROOT": str(prefix / "static"),
        "NEWSROOM_MEDIA_ROOT": str(prefix / "media"),
    }
    site = (DEPLOY / "nginx.conf").read_text()
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    (prefix / "site.conf").write_text(site)
    (prefix / "logs").mkdir()
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    config = prefix / "nginx.conf"
    config.write_text(
        f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    include /etc/nginx/mime.types;
    client_body_temp_path {prefix}/client; proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""
    )
    return config


@needs_nginx
def test_the_shipped_nginx_configuration_is_valid(tmp_path):
    config = nginx_config(tmp_path, "127.0.0.1:9", free_port())

    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True)

    assert result.returncode == 0, result.stderr


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@pytest.fixture
def proxy(live_server, tmp_path):
    """nginx with the shipped configuration in front of the live server; its address."""
    port = free_port()
    config = nginx_config(tmp_path, live_server.url.removeprefix("http://"), port)
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(config), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@needs_nginx
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_proxy_compresses_pages_and_passes_on_one_request_id(proxy, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    story = make_story("A story long enough to be worth compressing " * 3, body="<p>Words and more words.</p>" * 80)

    status, headers, body = fetch(proxy + story.get_absolute_url(), **{"Accept-Encoding": "gzip", "Host": "localhost"})
    plain_status, plain_headers, plain_body = fetch(proxy + story.get_absolute_url(), Host="localhost")

    assert status == plain_status == 200
    assert headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in headers["vary"]
    assert gzip.decompress(body) == plain_body
    assert len(body) < len(plain_body) / 2
    assert "content-encoding" not in plain_headers
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    assert headers["x-request-id"] != plain_headers["x-request-id"]


@needs_nginx
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_proxy_never_serves_metrics(proxy):
    status, _headers, body = fetch(proxy + "/metrics", Host="localhost")

    assert status == 404
    assert b"newsroom_requests_total" not in body
