"""The read-replica router: only readers' page renders read from the replica, and only when it is current."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Story
from newsroom import replicas


def test_reads_go_to_the_primary_unless_rendering_a_readers_page():
    router = replicas.ReplicaRouter()

    assert router.db_for_read(Story) == "default"
    with replicas._reading_from_replica():
        assert router.db_for_read(Story) == "replica"
        assert router.db_for_write(Story) == "default"
    assert router.db_for_read(Story) == "default"
    assert router.allow_migrate("default", "articles") and not router.allow_migrate("replica", "articles")


def test_without_a_replica_readers_read_the_primary(settings):
    assert "replica" not in settings.DATABASES
    with replicas.reader_reads():
        assert replicas.ReplicaRouter().db_for_read(Story) == "default"


def test_a_replica_behind_the_last_change_is_not_used(monkeypatch):
    monkeypatch.setattr(replicas, "has_replica", lambda: True)
    monkeypatch.setattr(replicas, "replica_is_current", lambda: False)
    with replicas.reader_reads():
        assert replicas.ReplicaRouter().db_for_read(Story) == "default"

    monkeypatch.setattr(replicas, "replica_is_current", lambda: True)
    with replicas.reader_reads():
        assert replicas.ReplicaRouter().db_for_read(Story) == "replica"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_public_change_records_the_primarys_position_when_a_replica_is_configured(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("WAL positions are PostgreSQL's")
    monkeypatch.setattr(replicas, "has_replica", lambda: True)
    cache.delete(replicas.PRIMARY_POSITION_KEY)

    Story.objects.create(headline="Draft", status=Story.Status.DRAFT)  # readers see nothing: nothing to wait for
    assert cache.get(replicas.PRIMARY_POSITION_KEY) is None

    Story.objects.create(headline="Recorded", status=Story.Status.PUBLISHED, published_at=timezone.now())

    assert cache.get(replicas.PRIMARY_POSITION_KEY)
