"""Every setting is documented where a newcomer looks for it."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_environment_variable_read_by_settings_is_documented_in_env_example():
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', (ROOT / "newsroom/settings.py").read_text()))
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert "DATABASE_URL" in read and "TIME_ZONE" in read
    assert read - documented == set(), "add these to .env.example"
