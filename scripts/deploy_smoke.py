"""``make deploy-smoke``: start the compose stack and read the site through its nginx like a reader and an editor.

Checks, through http://localhost:$NEWSROOM_HTTP_PORT (8080): the home page, a story, the admin's sign-in
(a staff account made for the check signs in and is sent on to the second step), and a picture stored
in the S3-compatible store and fetched from the address pages give it. Where Docker, its daemon or its
compose plugin is missing, it says so and exits successfully: there is nothing here to check.
The stack is stopped afterwards (its volumes kept) unless --keep is given.
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = f"http://localhost:{os.environ.get('NEWSROOM_HTTP_PORT', '8080')}"


def say(message: str) -> None:
    print(message, flush=True)  # noqa: T201


def docker_missing() -> str | None:
    """Why the stack cannot run here, or None when it can."""
    checks = (
        (["docker", "info"], "no Docker daemon answers (docker info failed)"),
        (["docker", "compose", "version"], "the docker compose plugin is missing"),
    )
    for command, reason in checks:
        try:
            if subprocess.run(command, capture_output=True, timeout=30).returncode != 0:
                return reason
        except (OSError, subprocess.TimeoutExpired):
            return "docker is not installed" if command == checks[0][0] else reason
    return None


def compose(*arguments: str, capture: bool = False) -> str:
    result = subprocess.run(["docker", "compose", *arguments], cwd=ROOT, check=True, text=True, capture_output=capture)
    return result.stdout if capture else ""


def manage(script: str) -> str:
    """Run Python in the app container with Django set up; its standard output."""
    code = f"import django; django.setup()\n{script}"
    return compose("exec", "-T", "app", "python", "-c", code, capture=True)


class Browser:
    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        no_redirects = type("NoRedirects", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None})
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), no_redirects)

    def get(self, url: str, data: dict | None = None, **headers) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def cookie(self, name: str) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == name)


def wait_until_ready(browser: Browser, seconds: int = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if browser.get(f"{SITE}/health/ready/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(3)
    raise SystemExit(f"The stack did not become ready within {seconds} s (docker compose logs shows why).")


def check(name: str, passed: bool, detail: str = "") -> bool:
    say(f"  {'ok  ' if passed else 'FAIL'} {name}{f': {detail}' if detail else ''}")
    return passed


def smoke(browser: Browser) -> bool:
    results = []
    status, headers, home = browser.get(f"{SITE}/", **{"Accept-Encoding": "gzip"})
    results.append(check("home page", status == 200, f"{status}, {headers.get('Content-Encoding', 'uncompressed')}"))
    results.append(check("request id", bool(headers.get("X-Request-ID")), headers.get("X-Request-ID", "")))
    status, _headers, home = browser.get(f"{SITE}/")
    story = re.search(rb'href="(/story/[^"]+/)"', home)
    status = browser.get(SITE + story.group(1).decode())[0] if story else 0
    results.append(check("a story", status == 200, story.group(1).decode() if story else "no story on the home page"))

    username, password = f"smoke-{secrets.token_hex(4)}", secrets.token_urlsafe(18)
    manage(
        "from django.contrib.auth import get_user_model\n"
        f"get_user_model().objects.create_superuser({username!r}, '', {password!r})"
    )
    try:
        browser.get(f"{SITE}/admin/login/")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": browser.cookie("csrftoken")}
        status, headers, _body = browser.get(f"{SITE}/admin/login/", form, Referer=f"{SITE}/admin/login/")
        signed_in = status == 302 and "/admin/login/" not in headers.get("Location", "")
        results.append(check("admin sign-in", signed_in, f"{status} to {headers.get('Location', '-')}"))
    finally:
        manage(f"from django.contrib.auth.models import User\nUser.objects.filter(username={username!r}).delete()")

    url = (
        manage(
            "from django.core.files.uploadedfile import SimpleUploadedFile\n"
            "from PIL import Image as Picture\nimport io\n"
            "from media.models import Image\n"
            "buffer = io.BytesIO(); Picture.new('RGB', (640, 400), (30, 90, 160)).save(buffer, 'JPEG')\n"
            "upload = SimpleUploadedFile('smoke.jpg', buffer.getvalue(), content_type='image/jpeg')\n"
            "image = Image.objects.create(file=upload, alt_text='A blue square', credit='Smoke test')\n"
            "print(image.fallback_url)"
        )
        .strip()
        .splitlines()[-1]
    )
    status, headers, _body = browser.get(url)
    results.append(check("picture upload to the S3 store", status == 200, f"{url} {headers.get('Content-Type')}"))
    return all(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the stack running afterwards")
    options = parser.parse_args()
    reason = docker_missing()
    if reason:
        say(f"make deploy-smoke: skipped, {reason}. Nothing was started.")
        return 0
    say("Starting the stack (docker compose up --build)...")
    compose("up", "--detach", "--build")
    try:
        browser = Browser()
        wait_until_ready(browser)
        manage("from django.core.management import call_command\ncall_command('load_demo_content')")
        passed = smoke(browser)
    finally:
        if not options.keep:
            compose("stop")
    say("Deploy smoke test passed." if passed else "Deploy smoke test FAILED.")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
