"""Rows of a related table read as one JSON column, so a page gets an object and its lists in one query.

``json_rows(Byline.objects.filter(story=OuterRef("pk")), name="author__name")`` is a subquery that gives
each outer row a JSON array with one object per matching row (None when nothing matches); without an
``OuterRef``, every outer row gets the same array.
PostgreSQL builds the array with ``jsonb_agg``, SQLite with ``json_group_array``. The order of the array
is not defined: put in each object what to sort it by.

Datetimes arrive as text (ISO 8601 on PostgreSQL, "YYYY-MM-DD HH:MM:SS" in UTC on SQLite): read them with
``json_datetime``.
"""

import re
from datetime import UTC, datetime

from django.db.models import Aggregate, F, Func, IntegerField, JSONField, QuerySet, Subquery, Value

_KEY = re.compile(r"^[a-z_]{1,40}$")


class JSONRow(Func):
    """One JSON object of ``{key: field}``; the keys are written into the SQL (Django's ``JSONObject``
    passes each as a parameter, with a cast on PostgreSQL, which costs more to build than the query takes)."""

    output_field = JSONField()

    def __init__(self, **fields):
        if not all(_KEY.match(key) for key in fields):
            raise ValueError(f"Keys of a JSON row are lower-case words: {list(fields)}")
        self.keys = list(fields)
        super().__init__(*(F(value) if isinstance(value, str) else value for value in fields.values()))

    def as_sql(self, compiler, connection, function="JSON_OBJECT", **extra_context):
        pairs, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            pairs.append(f"'{key}', {sql}")
            params.extend(expression_params)
        return f"{function}({', '.join(pairs)})", params

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_BUILD_OBJECT", **extra_context)


class JSONList(Aggregate):
    """The aggregated values as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # jsonb, not json: Django reads jsonb as text and decodes it, as it does for a JSONField.
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset: QuerySet, **fields) -> Subquery:
    """The rows of ``queryset`` as one JSON array of ``{name: field}`` objects, as a subquery."""
    # Grouped by a constant, which Django leaves out of the GROUP BY: one array of all the rows.
    everything = queryset.order_by().annotate(all_rows=Value(1, output_field=IntegerField())).values("all_rows")
    return Subquery(everything.annotate(rows=JSONList(JSONRow(**fields))).values("rows"), output_field=JSONField())


def json_datetime(value: str | None) -> datetime | None:
    """A datetime read from ``json_rows``, time zone aware."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def json_instance(model, row: dict, using: str | None = None):
    """A ``model`` object from a row of ``json_rows``: the fields the row names by attribute, the others deferred."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in row]
    return model.from_db(using, names, [row[name] for name in names])


def cache_as_prefetched(instance, relations: dict[str, list]) -> None:
    """Put the objects of each relation read from JSON rows where ``prefetch_related`` puts them, so that
    ``instance.<relation>.all()`` answers from them without a query."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, objects in relations.items():
        queryset = getattr(instance, name).get_queryset()
        queryset._result_cache, queryset._prefetch_done = objects, True
        cache[name] = queryset
