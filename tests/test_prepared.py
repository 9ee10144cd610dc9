"""A prepared query gives what its queryset gives, building and compiling it once per shape."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from newsroom import prepared
from newsroom.prepared import Prepared

pytestmark = pytest.mark.django_db

JOINED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def people():
    return [
        User.objects.create(username=name, first_name=first, date_joined=JOINED + timedelta(days=day))
        for name, first, day in [("ana", "Ana", 0), ("ben", "Ben", 1), ("cleo", "Ana", 2), ("dan", "Dan", 3)]
    ]


class Builder:
    """Users named ``first`` (any name if None), joined before ``before``, ``newest`` first, at most ``size``."""

    def __init__(self):
        self.built = 0

    def __call__(self, *, first, before, above, newest, size):
        self.built += 1
        users = User.objects.filter(date_joined__lt=before, pk__gt=above)
        if first is not None:
            users = users.filter(first_name=first)
        return users.order_by("-date_joined" if newest else "date_joined")[:size]


def names(rows) -> list[str]:
    return [row.username for row in rows]


def test_each_call_binds_its_own_values_to_the_statement_of_its_shape(people):
    build = Builder()
    query = Prepared(build, shape=("newest", "size"))
    shape = {"newest": False, "size": 10, "above": 0}

    ana = query.rows(first="Ana", before=JOINED + timedelta(days=9), **shape)
    ben = query.rows(first="Ben", before=JOINED + timedelta(days=9), **shape)
    early_ana = query.rows(first="Ana", before=JOINED + timedelta(hours=1), **shape)
    after_ana = query.rows(first="Ana", before=JOINED + timedelta(days=9), **shape | {"above": people[0].pk})

    assert names(ana) == ["ana", "cleo"]
    assert names(ben) == ["ben"]
    assert names(early_ana) == ["ana"]
    assert names(after_ana) == ["cleo"]
    # PostgreSQL receives strings, numbers and moments as given: one build, with the stand-ins, for the
    # shape. SQLite's adapter writes moments as text: after the stand-ins' build, every call builds its own.
    assert build.built == (1 if connection.vendor == "postgresql" else 1 + 4)


def test_a_new_shape_is_built_apart_and_gives_its_own_rows(people):
    build = Builder()
    query = Prepared(build, shape=("newest", "size"))
    before = JOINED + timedelta(days=9)

    anyone_newest = query.rows(first=None, before=before, above=0, newest=True, size=2)
    ana_oldest = query.rows(first="Ana", before=before, above=0, newest=False, size=1)

    assert names(anyone_newest) == ["dan", "cleo"]
    assert names(ana_oldest) == ["ana"]
    assert names(query.rows(first=None, before=before, above=0, newest=True, size=2)) == ["dan", "cleo"]


def test_a_value_the_builder_changes_is_never_bound_to_a_stale_statement(people):
    built = []

    def containing(*, part):
        built.append(part)
        return User.objects.filter(username__contains=part).order_by("username")  # the database sees %part%

    query = Prepared(containing)

    assert names(query.rows(part="an")) == ["ana", "dan"]
    assert names(query.rows(part="e")) == ["ben", "cleo"]
    assert built[-2:] == ["an", "e"]


def test_the_database_receives_the_statement_the_queryset_would_send(people):
    build = Builder()
    query = Prepared(build, shape=("newest", "size"))
    arguments = {"first": "Ben", "before": JOINED + timedelta(days=9), "above": 0, "newest": False, "size": 5}
    query.rows(**arguments)

    with CaptureQueriesContext(connection) as prepared:
        query.rows(**arguments)
    with CaptureQueriesContext(connection) as built:
        list(build(**arguments))

    assert [q["sql"] for q in prepared.captured_queries] == [q["sql"] for q in built.captured_queries]


def test_only_strings_numbers_and_moments_are_bound(people):
    query = Prepared(lambda *, user: User.objects.filter(pk=user.pk))

    with pytest.raises(TypeError, match="not User"):
        query.rows(user=people[0])


def test_the_router_chooses_the_database_at_each_run_as_for_the_queryset(people, monkeypatch):
    query = Prepared(Builder(), shape=("newest", "size"))
    arguments = {"first": "Ana", "before": JOINED + timedelta(days=9), "above": 0, "newest": False, "size": 5}
    asked = []

    def db_for_read(model, **hints):
        asked.append(model)
        return "default"

    monkeypatch.setattr(prepared.router, "db_for_read", db_for_read)
    query.rows(**arguments)
    query.rows(**arguments)

    assert asked.count(User) >= 2  # once per run, not fixed when the statement was compiled


def test_a_value_bound_in_one_place_and_changed_in_another_is_never_prepared(people):
    built = []

    def named_or_containing(*, name):
        built.append(name)
        return User.objects.filter(Q(username=name) | Q(first_name__contains=name)).order_by("username")

    query = Prepared(named_or_containing)

    assert names(query.rows(name="ben")) == ["ben"]
    assert names(query.rows(name="na")) == ["ana", "cleo"]
    assert built[-2:] == ["ben", "na"]  # built for each call: the pattern %na% is not the stand-in's
