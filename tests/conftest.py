import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a fresh directory per test, never to the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor_client(client, django_user_model):
    """A client logged in as a superuser (roles arrive with the editorial workflow)."""
    user = django_user_model.objects.create_superuser("chief", password="correct-horse-battery")
    client.force_login(user)
    client.user = user
    return client
