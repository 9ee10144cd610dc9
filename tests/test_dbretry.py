"""A request whose database connection dies before it changed anything runs once more on a fresh one."""

import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import OperationalError, connection, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from articles.models import Section
from newsroom import dbretry
from tests.factories import make_section, make_story

pytestmark = pytest.mark.django_db

FRIENDLY_HEADING = "We will be back in a moment"


def save_group(request):
    """Reads, writes a row, then reads: a connection cut after the write must not write the row twice.

    A group of staff, because saving it writes nothing else (no cache retirement follows the insert).
    """
    name = request.POST.get("name", "Notes")
    if not Group.objects.filter(name=name).exists():
        Group.objects.create(name=name)
    return HttpResponse(f"{Group.objects.filter(name=name).count()} groups named {name}")


def list_sections(request):
    """Two reads: a connection cut between them leaves nothing changed."""
    count = Section.objects.count()
    names = ", ".join(Section.objects.values_list("name", flat=True))
    return HttpResponse(f"{count} sections: {names}")


urlpatterns = [
    path("groups/", save_group),
    path("sections/list/", list_sections),
    path("", include("newsroom.urls")),
]
handler500 = "newsroom.errors.server_error"


class Outage:
    """The default connection as a failing server leaves it, without closing the test's real connection.

    ``cut_after(n)``: the connection dies after ``n`` more queries (cursors fail until it is replaced).
    ``cut_after_a_write()``: the connection dies right after a write went through.
    ``down``: how many attempts to connect fail (the server is restarting); -1 for ever.
    """

    def __init__(self, monkeypatch):
        self.cursors_left, self.dead, self.down, self.after_a_write = None, False, 0, False
        self.connects = self.failed_connects = 0
        real_create_cursor, real_is_usable = connection.create_cursor, connection.is_usable
        target = connections["default"]
        # Checked at the start of the request, before the server went away.
        monkeypatch.setattr(target, "health_check_done", True)

        def create_cursor(name=None):
            if self.cursors_left == 0:
                self.dead = True
            if self.dead:
                raise connection.Database.OperationalError("server closed the connection unexpectedly")
            if self.cursors_left is not None:
                self.cursors_left -= 1
            return real_create_cursor(name)

        def close():  # the real connection stays: it holds the test's transaction
            self.replaced = True

        def ensure_connection():
            if not self.dead or not self.replaced:
                return
            self.connects += 1
            if self.down:
                self.down -= 1
                self.failed_connects += 1
                target.errors_occurred = True
                raise OperationalError("connection refused")
            self.dead, self.replaced, self.cursors_left = False, False, None

        def dies_after_a_write(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            if self.after_a_write and not sql.lstrip().upper().startswith("SELECT"):
                self.dead = True
            return result

        self.replaced = False
        monkeypatch.setattr(target, "execute_wrappers", [dies_after_a_write])
        monkeypatch.setattr(target, "create_cursor", create_cursor)
        monkeypatch.setattr(target, "is_usable", lambda: not self.dead and real_is_usable())
        monkeypatch.setattr(target, "close", close)
        monkeypatch.setattr(target, "ensure_connection", ensure_connection)

    def cut_after(self, queries: int) -> None:
        self.cursors_left = queries

    def cut_after_a_write(self) -> None:
        self.after_a_write = True


@pytest.fixture
def outage(monkeypatch):
    monkeypatch.setattr(dbretry, "_unreachable", False)
    monkeypatch.setattr(dbretry, "WAIT_SECONDS", 0.3)
    monkeypatch.setattr(dbretry, "POLL_SECONDS", 0.01)
    return Outage(monkeypatch)


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.fixture
def story(reader):
    """A published story, read once, so the values every page shares are cached as on a running site."""
    story = make_story("Water restored in the east")
    assert reader.get(story.get_absolute_url()).status_code == 200
    return story


def heading(response) -> str:
    return BeautifulSoup(response.content, "html.parser").h1.get_text(strip=True)


def test_a_reader_whose_connection_died_before_the_first_query_gets_the_page(outage, reader, story):
    outage.cut_after(0)

    response = reader.get(story.get_absolute_url())

    assert response.status_code == 200
    assert heading(response) == "Water restored in the east"
    assert outage.connects == 1


@pytest.mark.urls("tests.test_dbretry")
def test_a_get_whose_connection_was_cut_after_a_read_is_run_again(outage, reader):
    make_section("Letters")
    outage.cut_after(1)

    response = reader.get("/sections/list/")

    assert response.status_code == 200
    assert response.content == b"1 sections: Letters"
    assert outage.connects == 1


def test_a_reader_arriving_while_the_database_restarts_waits_for_it(outage, reader, story):
    outage.cut_after(0)
    outage.down = 3  # refused three times, then accepting connections

    response = reader.get(story.get_absolute_url())

    assert response.status_code == 200
    assert outage.failed_connects == 3 and outage.connects == 4


@pytest.mark.urls("tests.test_dbretry")
def test_a_post_that_wrote_is_not_run_again(outage, reader):
    outage.cut_after_a_write()  # the insert goes through, the count that follows finds the connection gone

    response = reader.post("/groups/", {"name": "Letters"})

    assert response.status_code == 503
    assert heading(response) == FRIENDLY_HEADING
    assert outage.connects == 0
    outage.dead = False
    assert Group.objects.filter(name="Letters").count() == 1


@pytest.mark.urls("tests.test_dbretry")
def test_a_post_that_had_sent_nothing_is_run_again_and_writes_once(outage, reader):
    outage.cut_after(0)

    response = reader.post("/groups/", {"name": "Letters"})

    assert response.status_code == 200
    assert response.content == b"1 groups named Letters"
    assert Group.objects.filter(name="Letters").count() == 1


def test_a_persistent_outage_gives_the_friendly_503_once_and_then_without_waiting(outage, reader, story):
    outage.cut_after(0)
    outage.down = -1

    started = time.monotonic()
    first = reader.get(story.get_absolute_url())
    waited = time.monotonic() - started
    attempts = outage.connects
    started = time.monotonic()
    second = reader.get(story.get_absolute_url())
    second_took = time.monotonic() - started

    assert first.status_code == second.status_code == 503
    assert heading(first) == heading(second) == FRIENDLY_HEADING
    assert first["Retry-After"] == "30"
    assert waited >= dbretry.WAIT_SECONDS - dbretry.POLL_SECONDS
    assert outage.connects == attempts + 1  # the second request tried once and did not wait
    assert second_took < dbretry.WAIT_SECONDS


def test_once_the_database_is_back_requests_wait_for_it_again(outage, reader, story):
    outage.cut_after(0)
    outage.down = -1
    reader.get(story.get_absolute_url())
    outage.down = 0

    assert reader.get(story.get_absolute_url()).status_code == 200
    outage.cut_after(0)
    outage.down = 2
    assert reader.get(story.get_absolute_url()).status_code == 200


def test_a_query_error_on_a_working_connection_is_not_retried(monkeypatch, reader, story):
    calls = []

    def times_out(*args, **kwargs):
        calls.append(1)
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr("articles.views.Story.objects.published", times_out)
    response = reader.get(story.get_absolute_url())

    assert response.status_code == 503
    assert len(calls) == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a connection terminated by PostgreSQL itself")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_terminated_by_postgresql_is_replaced_and_the_reader_gets_the_page(reader):
    story = make_story("Water restored in the east")
    for _ in range(2):  # the first read may create the publication's row, which retires what pages share
        assert reader.get(story.get_absolute_url()).status_code == 200
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    finally:
        other.close()

    response = reader.get(story.get_absolute_url())

    assert response.status_code == 200
    assert heading(response) == "Water restored in the east"
