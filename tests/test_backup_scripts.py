"""scripts/backup.sh and scripts/restore.sh against real PostgreSQL databases on this machine."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import make_image, make_section, make_story

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs the PostgreSQL client tools"),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    user = s["USER"] or "postgres"
    return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(script: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=os.environ | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"nr_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_brings_back_database_and_media(tmp_path, settings, scratch_database):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    image = make_image()
    make_story("Backed Up Story", section=make_section("News"), hero_image=image)
    source_url = _url(connection.settings_dict["NAME"])

    env = {"DATABASE_URL": source_url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    backup = _run("backup.sh", str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip())
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    target_url, restored_media = _url(scratch_database), tmp_path / "restored-media"
    env = {"DATABASE_URL": target_url, "MEDIA_ROOT": str(restored_media)}
    refused = _run("restore.sh", str(folder), env=env)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    restore = _run("restore.sh", str(folder), "--yes", env=env)
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(target_url) as db:
        headlines = [row[0] for row in db.execute("SELECT headline FROM articles_story")]
        migrations = db.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert headlines == ["Backed Up Story"]
    assert migrations > 0
    assert (restored_media / image.file.name).read_bytes() == Path(image.file.path).read_bytes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_tampered_backup(tmp_path, settings, scratch_database):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    make_story("Backed Up Story")
    backup = _run("backup.sh", str(tmp_path), env={"DATABASE_URL": _url(connection.settings_dict["NAME"])})
    folder = Path(backup.stdout.strip())
    with (folder / "database.dump").open("ab") as dump:
        dump.write(b"garbage")
    restore = _run("restore.sh", str(folder), "--yes", env={"DATABASE_URL": _url(scratch_database), "MEDIA_ROOT": ""})
    assert restore.returncode != 0
    with psycopg.connect(_url(scratch_database)) as db:
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
