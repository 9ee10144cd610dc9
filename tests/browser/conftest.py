"""Browser tests: Debian's Chromium, driven by Playwright, against the live server on 127.0.0.1.

Every test in this folder is marked ``browser``: ``make test`` leaves them out and ``make test-browser``
runs them. Each test starts from the demo publication (restored from a snapshot taken once per run,
roles and permissions included). Whatever a test does, no request may leave the machine and no page
may raise a script error or break the Content-Security-Policy; both are checked after each test.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from articles.demo_content import load_demo_content
from tests.browser.waiting import wait_until

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
# Flags for a headless Chromium on a machine with no network beyond 127.0.0.1: without the
# background-networking ones it keeps trying to reach update and sync services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Waits on conditions, never sleeps: a busy two-core machine gets a little longer than the default.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def pytest_collection_finish(session):
    # Playwright's sync API keeps an event loop running in the test thread; the ORM calls that tests
    # make between browser steps are still plain synchronous calls. Only set when browser tests run.
    if any(item.get_closest_marker("browser") for item in session.items):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, live_server):
    # Depending on the live server makes it start before the browser and stop after it: the
    # browser's open keep-alive connections end while the server can still close them cleanly.
    if not os.access(CHROMIUM, os.X_OK):
        pytest.exit(f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium).", returncode=3)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "timezone_id": "Africa/Johannesburg",
        "locale": "en-ZA",
    }


@pytest.fixture
def browser_problems():
    """What went wrong in any page of the test: requests off this machine, script errors, CSP reports."""
    return {"offsite requests": [], "page errors": [], "console errors": []}


@pytest.fixture
def new_context(new_context, live_server, browser_problems):
    """Contexts that refuse (and record) every request not addressed to the live server."""
    origin = live_server.url

    def make(**kwargs):
        context = new_context(**kwargs)

        def refuse(route):
            browser_problems["offsite requests"].append(route.request.url)
            route.abort("blockedbyclient")

        context.route(lambda url: not url.startswith(origin), refuse)
        context.on("weberror", lambda error: browser_problems["page errors"].append(str(error.error)))
        context.on(
            "console",
            lambda message: message.type == "error" and browser_problems["console errors"].append(message.text),
        )
        return context

    return make


@pytest.fixture
def expected_console_errors():
    """Console messages a test provokes on purpose (say, a refused request): add a fragment of each."""
    return []


@pytest.fixture(autouse=True)
def _pages_stay_on_this_machine_and_error_free(request, browser_problems, expected_console_errors):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.passed:
        browser_problems["console errors"] = [
            message
            for message in browser_problems["console errors"]
            if not any(fragment in message for fragment in expected_console_errors)
        ]
        found = {kind: problems for kind, problems in browser_problems.items() if problems}
        assert not found, f"Problems in the browser: {found}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def artifacts():
    """The folder for screenshots and measurements (``test-artifacts/``, not in git)."""
    folder = Path(os.environ.get("NEWSROOM_TEST_ARTIFACTS", HERE.parent.parent / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def screenshot(artifacts):
    """Save a full-page screenshot of ``page`` as ``test-artifacts/<name>.png``, for people to look at."""

    def take(page, name: str):
        # Lazy pictures load only near the viewport: bring each one there, then wait for all of them.
        for picture in page.locator("img[loading=lazy]").all():
            picture.scroll_into_view_if_needed()
        page.wait_for_load_state("load")
        wait_until(page, "[...document.images].every((img) => img.complete)")
        page.evaluate("window.scrollTo(0, 0)")
        path = artifacts / f"{name}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        return path

    return take


VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    """Each reader test runs on a phone-sized screen and a desktop one: (name, size)."""
    return request.param, VIEWPORTS[request.param]


@pytest.fixture
def reader_page(new_context, viewport):
    """A reader's tab at the test's viewport size (a touch screen for the phone)."""
    name, size = viewport
    context = new_context(viewport=size, is_mobile=name == "phone", has_touch=name == "phone")
    return context.new_page()


@pytest.fixture(scope="session")
def _browser_media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(scope="session")
def _browser_settings(_browser_media_root):
    # The demo pictures and their renditions are made once, so uploads live in one folder for the run.
    with override_settings(
        MEDIA_ROOT=_browser_media_root,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture
def _media_in_tmp(_browser_settings):
    """Replaces the suite's per-test media folder: see ``_browser_settings``."""


@pytest.fixture(scope="session")
def _demo_snapshot(playwright, _browser_settings, django_db_setup, django_db_blocker):
    """Load the demo publication once and keep it as the contents every browser test starts from.

    Rendering the pictures' renditions takes seconds; restoring rows from this snapshot (Django's
    serialized rollback) takes a fraction of that. Publish times are relative to the start of the run.
    Starting Playwright gives the test thread a new context, and with it new database connection
    objects, so the snapshot is attached only once Playwright runs.
    """
    with django_db_blocker.unblock():
        load_demo_content(now=timezone.now())
        connections[DEFAULT_DB_ALIAS]._test_serialized_contents = connections[
            DEFAULT_DB_ALIAS
        ].creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def demo_site(_demo_snapshot, django_db_serialized_rollback):
    """The demo publication (sections, people, pictures, a week of stories) and the staff roles."""
    assert hasattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents"), "the demo snapshot was not restored"
