"""The production configuration, as environment values, passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_HTTPS": "true",
    "NEWSROOM_TRUSTED_PROXY_COUNT": "1",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/1",  # shared by every worker, so the page cache can be retired
    "DJANGO_SECRET_KEY": "k7#Qv9!pL2@xW4$zR8^tY6&uN3*mB5(cJ1)dF0-hG7+sA2=eK9_oP4~iU8",
}


def deploy_check(**overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    env |= PRODUCTION | overrides
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_environment_passes_the_deploy_check_with_no_warnings():
    result = deploy_check()

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_https_the_deploy_check_fails():
    result = deploy_check(DJANGO_HTTPS="false")

    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_a_page_cache_on_a_per_process_cache_fails_the_deploy_check():
    result = deploy_check(CACHE_URL="locmemcache://newsroom")

    assert result.returncode != 0
    assert "newsroom.W001" in result.stderr
