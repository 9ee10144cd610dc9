import functools

import pytest
from django.core.cache import cache

from articles import demo_content
from tests.factories import log_in


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh directory per test, never to the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    """Pages render afresh in tests; tests of the page cache turn it on with the ``page_cache`` fixture."""
    settings.NEWSROOM_PAGE_CACHE = False


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty application cache (no pages or site chrome from another test)."""
    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def reporter(db):
    from tests.factories import make_staff

    return make_staff("Reporter", "rita", byline="Rita Reporter", first_name="Rita")


@pytest.fixture
def other_reporter(db):
    from tests.factories import make_staff

    return make_staff("Reporter", "oscar", byline="Oscar Other", first_name="Oscar")


@pytest.fixture
def editor(db):
    from tests.factories import make_staff

    return make_staff("Editor", "edna", byline="Edna Editor", first_name="Edna")


@pytest.fixture
def admin_member(db):
    from tests.factories import make_staff

    return make_staff("Admin", "ada", first_name="Ada")
