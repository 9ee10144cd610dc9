"""The client's address: one setting for the trusted proxies, read by Django and by gunicorn alike."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from newsroom.client_ip import client_ip

ROOT = Path(__file__).resolve().parent.parent


def run(*args, **environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env.pop("FORWARDED_ALLOW_IPS", None)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env | environment, capture_output=True, text=True, timeout=120
    )


def gunicorn_setting(name: str, **environment) -> str:
    result = run("-m", "gunicorn", "--print-config", "newsroom.wsgi", **environment)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith(name))
    return line.split("=", 1)[1].strip()


def test_gunicorn_trusts_no_forwarding_headers_when_no_proxy_is_trusted():
    # gunicorn's own default would trust 127.0.0.1, and FORWARDED_ALLOW_IPS, whatever is in front.
    assert gunicorn_setting("forwarded_allow_ips", FORWARDED_ALLOW_IPS="127.0.0.1") == "[]"


def test_gunicorn_trusts_the_proxies_django_trusts():
    allowed = gunicorn_setting(
        "forwarded_allow_ips", NEWSROOM_TRUSTED_PROXY_COUNT="2", NEWSROOM_TRUSTED_PROXIES="10.0.0.0/8,::1"
    )

    assert allowed == "['10.0.0.0/8', '::1']"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("NEWSROOM_TRUSTED_PROXIES", "10.0.0.1/8", "NEWSROOM_TRUSTED_PROXIES"),
        ("NEWSROOM_TRUSTED_PROXIES", "nginx.internal", "NEWSROOM_TRUSTED_PROXIES"),
        ("NEWSROOM_TRUSTED_PROXY_COUNT", "-1", "NEWSROOM_TRUSTED_PROXY_COUNT"),
        ("NEWSROOM_THROTTLE_SEARCH", "lots", "NEWSROOM_THROTTLE_SEARCH"),
        ("NEWSROOM_THROTTLE_LOGIN_ADDRESS", "10/m,0/h", "NEWSROOM_THROTTLE_LOGIN_ADDRESS"),
    ],
)
def test_a_mistake_in_the_proxy_or_throttle_settings_stops_the_site_from_starting(variable, value, message):
    result = run("manage.py", "check", **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize(
    ("remote", "trusted", "expected"),
    [
        ("10.0.0.2", ["10.0.0.0/8"], "198.51.100.7"),
        ("10.0.0.2", ["*"], "198.51.100.7"),
        ("203.0.113.9", ["10.0.0.0/8"], "203.0.113.9"),  # not through the proxy: the header is the client's
        ("", ["127.0.0.1"], "198.51.100.7"),  # a UNIX socket: only this machine can connect
        ("::1", ["127.0.0.1", "::1"], "198.51.100.7"),
    ],
)
def test_x_forwarded_for_counts_only_when_the_connection_comes_from_a_trusted_proxy(
    settings, remote, trusted, expected
):
    settings.NEWSROOM_TRUSTED_PROXY_COUNT = 1
    settings.NEWSROOM_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")

    assert client_ip(request) == expected
