"""Dates computed by the database itself, as in Kunming (Asia/Shanghai is UTC+8 all year round,
no summer time): on SQLite, Django's TruncMonth and ``__date`` call back into Python for every
row, which over a million results costs seconds a query."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, DateField, Func


class _InKunming(Func):
    def _is_moment(self) -> bool:
        field = self.get_source_expressions()[0].output_field
        return bool(field.get_internal_type() == "DateTimeField")


class MonthKey(_InKunming):
    """``YYYY-MM`` of a date, or of a moment as in Kunming."""

    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        shift = ", '+8 hours'" if self._is_moment() else ""
        # '%%%%' reaches SQLite as '%': the backend turns '%%' into '%' (and a debug cursor
        # formats the query with its parameters, which a bare '%Y' would break).
        template = f"strftime('%%%%Y-%%%%m', %(expressions)s{shift})"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        zone = " AT TIME ZONE 'Asia/Shanghai'" if self._is_moment() else ""
        template = f"to_char(%(expressions)s{zone}, 'YYYY-MM')"
        return self.as_sql(compiler, connection, template=template, **extra)


class LocalDate(_InKunming):
    """The day of a moment as in Kunming."""

    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "date(%(expressions)s, '+8 hours')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(%(expressions)s AT TIME ZONE 'Asia/Shanghai')::date"
        return self.as_sql(compiler, connection, template=template, **extra)
