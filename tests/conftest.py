import functools
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from articles import demo_content
from newsroom import cachetags
from newsroom.celery import app as celery_app
from tests.factories import log_in

# Property-based tests: a few dozen examples each keeps the suite quick; no example database on disk.
# Examples share one test's database (the function-scoped fixtures), so their assertions compare counts.
hypothesis_settings.register_profile(
    "newsroom",
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.load_profile("newsroom")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh directory per test, never to the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _jobs_run_eagerly():
    """Queued jobs run at once, inside the test's transaction, whatever the environment names as broker.

    Tests of what happens before a job runs use ``queued_jobs``; tests/test_worker_integration.py
    starts a real worker.
    """
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=False)


@pytest.fixture
def queued_jobs():
    """Jobs are queued for a worker as in production: each is sent once the transaction commits, which a
    test's transaction never does, so none runs. Call the fixture's value for the jobs waiting: (task, args)."""

    def waiting() -> list[tuple[str, tuple]]:
        calls = [call for _ids, call, _robust in connection.run_on_commit if isinstance(call, functools.partial)]
        sends = [call for call in calls if getattr(call.func, "__name__", "") == "apply_async"]
        return [(send.func.__self__.name, tuple(send.keywords["args"])) for send in sends]

    celery_app.conf.task_always_eager = False
    yield waiting
    celery_app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _no_remote_embed_fetches(settings):
    """A story saved with an embed's link asks a closed local port, never a provider on the internet;
    tests of fetching use the ``oembed`` stand-in."""
    settings.NEWSROOM_EMBED_ENDPOINT_ORIGIN = "http://127.0.0.1:9"


@pytest.fixture
def oembed(settings, monkeypatch):
    """The stand-in oEmbed endpoints (tests/oembed_stand_in.py), with requests sent straight to it."""
    from tests.oembed_stand_in import running

    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with running() as stand_in:
        settings.NEWSROOM_EMBED_ENDPOINT_ORIGIN = stand_in.origin
        yield stand_in


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Pages render afresh in tests; tests of the page cache turn it on with the ``page_cache`` fixture."""
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty application cache (no pages or site chrome from another test).

    pytest sets up a module's autouse fixtures in the order of their names, and tears them down in reverse:
    this one comes before every autouse fixture that takes ``settings``, so a test's own cache settings
    are undone before the cache is emptied after it."""
    cache.clear()
    cachetags.local_copies.clear()
    yield
    cache.clear()
    cachetags.local_copies.clear()


@pytest.fixture
def editor_client(client, django_user_model):
    """A client signed in (password and second factor) as a superuser."""
    user = django_user_model.objects.create_superuser("chief", password="correct-horse-battery")
    log_in(client, user)
    client.user = user
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is Django's business; the suite only needs passwords to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@functools.cache
def _painted(key: str, paint=demo_content.paint) -> bytes:
    return paint(next(picture for picture in demo_content.PICTURES if picture.key == key))


@pytest.fixture
def demo_pictures_cached(monkeypatch):
    """Paint each demo picture once per test process: the loader's output is the same, faster."""
    monkeypatch.setattr(demo_content, "paint", lambda picture: _painted(picture.key))


def _role_member(username: str, role: str, first_name: str, byline: str | None = None):
    from tests.factories import make_author, make_staff

    user = make_staff(username, roles=[role], first_name=first_name)
    if byline:
        make_author(byline, user=user)
    return user


@pytest.fixture
def reporter(db):
    return _role_member("rita", "Reporter", "Rita", byline="Rita Reporter")


@pytest.fixture
def other_reporter(db):
    return _role_member("oscar", "Reporter", "Oscar", byline="Oscar Other")


@pytest.fixture
def editor(db):
    return _role_member("edna", "Editor", "Edna", byline="Edna Editor")


@pytest.fixture
def admin_member(db):
    return _role_member("ada", "Admin", "Ada")


@pytest.fixture
def demo_site(demo_pictures_cached):
    """The demo publication, loaded as `make run` loads it."""
    call_command("load_demo_content", stdout=io.StringIO())
