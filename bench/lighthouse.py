"""Lighthouse, as `make test-browser` and `make bench` run it: the system's Chromium, a phone on a slow
network (Lighthouse's mobile form factor with simulated throttling), every category.

Lighthouse comes from the npm registry into tests/browser/node_modules (the Makefile's `$(LIGHTHOUSE)`).
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "tests" / "browser" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
# Chromium with no network beyond 127.0.0.1 (tests/browser/conftest.py explains each flag).
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-quic"
)


def available() -> bool:
    return LIGHTHOUSE.exists() and Path(CHROMIUM).exists()


def report(url: str) -> dict:
    """Lighthouse's JSON report of ``url``."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"Lighthouse is missing at {LIGHTHOUSE}: `make test-browser` installs it.")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            "--form-factor=mobile",
            "--throttling-method=simulate",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={CHROMIUM_FLAGS}",
        ]
        environment = os.environ | {"CHROME_PATH": CHROMIUM}
        # Lighthouse starts its own Chromium, which now and then fails to start or to connect on a busy
        # machine: a second attempt, and what Lighthouse said if that fails too.
        for _attempt in range(2):
            finished = subprocess.run(command, timeout=240, env=environment, capture_output=True, text=True)
            if finished.returncode == 0:
                return json.loads(output.read_text())
        raise RuntimeError(f"Lighthouse failed twice on {url}: {finished.stderr[-3000:]}")


def summary(result: dict) -> dict:
    """Each category's score (0 to 100), the largest contentful paint, and the binary audits that failed."""
    return {
        "scores": {name: round(category["score"] * 100) for name, category in result["categories"].items()},
        "largest_contentful_paint_ms": round(result["audits"]["largest-contentful-paint"]["numericValue"]),
        "flagged": {
            audit["id"]: audit["title"]
            for audit in result["audits"].values()
            if audit.get("scoreDisplayMode") == "binary" and audit.get("score") is not None and audit["score"] < 1
        },
    }
