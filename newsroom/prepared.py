"""Querysets compiled to SQL once per shape, then run with each call's own values.

Building a Django queryset and compiling it costs the same on every request, though the SQL of one shape
of query never changes: only the values bound to it do. A ``Prepared`` query builds its queryset once per
shape with stand-in values, keeps the SQL and the place of each value among its parameters, and from then
on binds the caller's values to that SQL. The database sees the statement the queryset would have sent.

The shape is what changes the SQL itself: the arguments named in ``shape`` (a page's bounds, an order)
and which of the other values are None. Those other values must reach the database as parameters, as
given: a string, a whole number or a moment. Where the builder changes one on its way (a pattern made of
a word, a moment written as text by the database's adapter) or writes it into the SQL, its stand-in is not
found among the parameters, and that shape is built and compiled on every call, as without this module.
Statements are kept for the life of the process, one per shape: shapes must be few (pages up to a limit,
an order, which filters are set), never a value a reader chooses freely.
"""

import datetime
import secrets
from collections.abc import Callable, Hashable
from typing import Any

from django.db import router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable

# Stand-ins for the values that may be bound: unlike any real value, and distinct from each other. Each is
# within the range of its database type (Django drops a comparison with a number no column can hold), and
# the moment is far from the calendar's edges, so that the database adapter can move it to its time zone.
_STAND_IN_MOMENT = datetime.datetime(1111, 11, 11, 11, 11, 0, 111111, tzinfo=datetime.UTC)
_STAND_IN_NUMBER = 1_987_654_321
_STAND_IN_WORD = "zqxstandin"


def _stand_in(value: Any, index: int) -> Any:
    if isinstance(value, bool) or not isinstance(value, str | int | datetime.datetime):
        raise TypeError(f"A prepared query binds strings, whole numbers and moments, not {type(value).__name__}.")
    if isinstance(value, str):
        return f"{_STAND_IN_WORD}{index}x{secrets.token_hex(8)}"
    if isinstance(value, int):
        return _STAND_IN_NUMBER + index
    moment = _STAND_IN_MOMENT + datetime.timedelta(seconds=index)
    return moment if value.tzinfo else moment.replace(tzinfo=None)


class _Statement:
    """The SQL of one shape; ``slots``: for each parameter, the value's name or None for a fixed one.
    ``alias``: the database the builder chose with ``using()``; otherwise the router chooses at each run,
    as it would for the queryset then (a reader's request may read from a replica, a form from the primary)."""

    def __init__(self, model: type[Model], alias: str | None, sql: str, params: tuple, slots: list[str | None]):
        self.model, self.alias, self.sql, self.params, self.slots = model, alias, sql, params, slots

    def run(self, values: dict[str, Any]) -> list[Model]:
        params = [fixed if name is None else values[name] for name, fixed in zip(self.slots, self.params, strict=True)]
        using = self.alias or router.db_for_read(self.model)
        return list(self.model._default_manager.db_manager(using).raw(self.sql, params))


class Prepared:
    """``build(**arguments)`` run as a prepared statement: ``rows(**arguments)`` gives what
    ``list(build(**arguments))`` gives, building and compiling the queryset only once per shape."""

    def __init__(self, build: Callable[..., QuerySet], *, shape: tuple[str, ...] = ()):
        self.build, self.shape = build, shape
        self._statements: dict[Hashable, _Statement | None] = {}  # None: that shape cannot be prepared

    def rows(self, **arguments) -> list[Model]:
        values = {name: value for name, value in arguments.items() if name not in self.shape}
        key = (
            tuple((name, arguments[name]) for name in self.shape),
            tuple(sorted((name, value is None) for name, value in values.items())),
        )
        if key not in self._statements:
            self._statements[key] = self._prepare(arguments, values)
        statement = self._statements[key]
        if statement is None:
            return list(self.build(**arguments))
        return statement.run(values)

    def slices(self, **values) -> "Slices":
        """The rows for ``values``, read a slice at a time (``bottom`` and ``size``), as a paginator reads."""
        return Slices(self, values)

    def _prepare(self, arguments: dict[str, Any], values: dict[str, Any]) -> _Statement | None:
        bound = {name: value for name, value in values.items() if value is not None}
        stand_ins = {name: _stand_in(value, index) for index, (name, value) in enumerate(bound.items())}
        queryset = self.build(**(arguments | stand_ins))
        if (
            queryset.query.select_related
            or queryset._prefetch_related_lookups
            or queryset._iterable_class is not ModelIterable
        ):
            raise ValueError("A prepared query reads rows of its own model: no related rows, prefetching or values().")
        sql, params = queryset.query.sql_with_params()
        by_value = {(type(stand_in), stand_in): name for name, stand_in in stand_ins.items()}
        slots = [by_value.get((type(param), param)) for param in params]
        fixed = [param for param, slot in zip(params, slots, strict=True) if slot is None]
        if set(slots) - {None} != set(stand_ins) or any(_made_from_a_stand_in(thing) for thing in [sql, *fixed]):
            return None
        return _Statement(queryset.model, queryset._db, sql, params, slots)


def _made_from_a_stand_in(thing: Any) -> bool:
    """Whether SQL or a fixed parameter carries a stand-in, changed or written out: a value bound in one
    place and changed in another (a pattern made of the same word) would be left with the stand-in's."""
    if isinstance(thing, str):
        return _STAND_IN_WORD in thing
    if isinstance(thing, datetime.datetime | datetime.date):
        return thing.year == _STAND_IN_MOMENT.year
    if isinstance(thing, int) and not isinstance(thing, bool):
        return abs(thing - _STAND_IN_NUMBER) < 10**6
    return False


class Slices:
    """The rows of a prepared query for some values, sliced as a paginator slices a queryset: the builder
    takes the slice as ``bottom`` and ``size``, which belong to the shape."""

    def __init__(self, prepared: Prepared, values: dict[str, Any]):
        self.prepared, self.values = prepared, values

    def __getitem__(self, item: slice) -> list[Model]:
        if not isinstance(item, slice) or item.start is None or item.stop is None or item.step is not None:
            raise TypeError("Prepared rows are read by slices with a start and a stop.")
        return self.prepared.rows(bottom=item.start, size=item.stop - item.start, **self.values)
