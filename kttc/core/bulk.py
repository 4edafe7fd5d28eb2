"""Bulk writes of plain rows, for the few paths that store hundreds of thousands of rows at once
(the bulk import). Values go through each field's own conversion for the database in use, as
``Model.save()`` and ``bulk_create`` do, but without building a model instance or compiling an
INSERT per batch: one ``executemany`` per model and batch.

These are storage primitives. The services that call them check the rules and write the audit
entries; nothing here runs ``save()`` or signals, like ``QuerySet.bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

#: Field types whose Python values the database drivers take as they are (AutoField and the
#: other integer fields are IntegerFields).
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes to the driver: what ``get_db_prep_save`` does for a value of
    the field's own Python type, without its layers for the common types."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, _PLAIN):
        return None
    real = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is looked up on every access
    ops = real.ops
    direct: Callable[[Any], Any]
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def direct(value: Any) -> Any:
            return None if value is None else ops.adapt_json_value(value, encoder)

    elif isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places

        def direct(value: Any) -> Any:
            return ops.adapt_decimalfield_value(value, digits, places)

    elif isinstance(field, models.DateTimeField):
        direct = ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        direct = ops.adapt_datefield_value
    else:

        def direct(value: Any) -> Any:
            return field.get_db_prep_save(value, real)

    last: list[Any] = [_NOTHING, None]

    def convert(value: Any) -> Any:
        # Rows of a batch often share a value (the time of the batch, the same clauses).
        if value is not last[0]:
            last[:] = [value, direct(value)]
        return last[1]

    return convert


_NOTHING = object()


def _columns(
    model: type[models.Model], names: Sequence[str]
) -> tuple[list[models.Field[Any, Any]], list[models.Field[Any, Any]]]:
    """The fields named (by attribute name) and the automatic time fields not named."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[name] for name in names]
    automatic: list[models.Field[Any, Any]] = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField)
        and (f.auto_now or f.auto_now_add)
        and f.attname not in names
    ]
    return fields, automatic


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterable[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def converter(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """How a value of ``model``'s field ``name`` (attribute name) goes to the database driver,
    for rows prepared apart (``insert_rows(..., converted=True)``), in another process say."""
    field = next(f for f in model._meta.concrete_fields if f.attname == name)
    return _converter(field) or _same


def _same(value: Any) -> Any:
    return value


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 2000,
    converted: bool = False,
) -> int:
    """Insert ``rows`` (values in the order of ``names``, attribute names such as
    ``achievement_id``; each of its field's Python type, or already as the driver takes it when
    ``converted``) into ``model``'s table; ``auto_now``/``auto_now_add`` times left out are set
    to now. Returns the number of rows."""
    fields, automatic = _columns(model, names)
    converters = [None if converted else _converter(f) for f in fields]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*fields, *automatic])
    marks = ", ".join(["%s"] * (len(fields) + len(automatic)))
    table = quote(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the model)
    extra = (now,) * len(automatic)
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, batch_size):
            if converted:
                values = [tuple(row) + extra for row in batch] if extra else batch
            else:
                values = [
                    tuple(v if c is None else c(v) for c, v in zip(converters, row, strict=True))
                    + extra
                    for row in batch
                ]
            cursor.executemany(sql, values)
            count += len(values)
    return count


def update_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 2000,
    converted: bool = False,
) -> int:
    """Set the fields ``names`` of existing rows: each row is the primary key followed by the
    values in the order of ``names`` (already as the driver takes them when ``converted``);
    ``auto_now`` times left out are set to now."""
    fields, automatic = _columns(model, names)
    automatic = [f for f in automatic if f.auto_now]  # type: ignore[attr-defined]
    converters = [None if converted else _converter(f) for f in fields]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(f.column)} = %s" for f in [*fields, *automatic])
    pk = quote(model._meta.pk.column)
    table = quote(model._meta.db_table)
    sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 (names from the model)
    extra = (now,) * len(automatic)
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, batch_size):
            values = [
                tuple(v if c is None else c(v) for c, v in zip(converters, row[1:], strict=True))
                + extra
                + (row[0],)
                for row in batch
            ]
            cursor.executemany(sql, values)
            count += len(values)
    return count


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model`` (an auto-increment key), to insert rows with.
    On SQLite the caller's write transaction holds the database, so the keys after the largest
    are free; on PostgreSQL they are drawn from the key's sequence."""
    if count == 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        largest = f"SELECT max({quote(column)}) FROM {quote(table)}"  # noqa: S608 (the model's)
        cursor.execute(largest)
        start = (cursor.fetchone()[0] or 0) + 1
    if connection.vendor == "sqlite":
        # An AUTOINCREMENT key never reuses a key of a deleted row: start after the highest used.
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            used = cursor.fetchone()
        start = max(start, (used[0] + 1) if used else 1)
    return list(range(start, start + count))
