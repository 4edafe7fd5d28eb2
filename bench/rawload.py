"""A raw bulk insert of generated records into the registry's tables: the minimum cost of getting
the rows of ``generate.Record`` into the database, for benchmarks to load data fast and to compare
against (no validation, no events, no audit entries, no search index).

Each record becomes one ``registry_achievement`` row with its children: two completing units
(``registry_achievementunit``, 70 % and 30 %), two completers (``registry_completer``, 60 % and
40 %), its IP rights (``registry_ipright``) and, when it has one, the English translation
(``registry_achievementtranslation``). Rows are written with ``executemany`` through Django's
connection, one transaction per batch; the database's own constraints (foreign keys, checks,
unique indexes) apply as usual. Values are stored as Django stores them (UTC datetimes, JSON
with ASCII escapes), so the ORM and the pages read the rows like any other.

    from rawload import create_units, raw_insert
    unit_ids = create_units(Generator(1).units[:100])
    raw_insert(Generator(1).records(10_000), unit_ids)

Django must be set up before either function is called.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import TYPE_CHECKING, Any

from kttc.policy.identifiers import make_uscc, organisation_code_check_char
from kttc.policy.registry import trl_stage

if TYPE_CHECKING:
    from generate import Record

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("明", "强", "芳", "伟", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "超", "霞")
IP_STATUSES = ("pending", "granted", "granted", "lapsed")
UNIT_KINDS = (
    ("大学", "university"),
    ("学院", "university"),
    ("医院", "medical_institution"),
    ("公司", "enterprise"),
)

ACHIEVEMENT_COLUMNS = (
    "id", "name", "achievement_type", "attribute", "keywords", "abstract", "discipline_code",
    "industry_code", "trl", "stage", "evaluation_level", "formation_date", "confidentiality",
    "national_interest", "transformation_modes", "use_first_pay_later", "asking_terms",
    "advantage", "target_market", "route_to_market", "original_language", "status",
    "submission_due", "submitted_at", "published_at", "return_reason", "external_ref",
    "created_at", "updated_at", "unit_id", "source_project_id",
)  # fmt: skip
UNIT_COLUMNS = ("achievement_id", "position", "name", "organisation_id", "share")
COMPLETER_COLUMNS = ("achievement_id", "position", "name", "unit_name", "person_id", "share")
IP_COLUMNS = ("achievement_id", "kind", "number", "title", "status", "grant_date")
TRANSLATION_COLUMNS = (
    "achievement_id", "language", "name", "abstract", "keywords",
    "advantage", "target_market", "route_to_market",
)  # fmt: skip
TABLES = (
    ("registry_achievement", ACHIEVEMENT_COLUMNS),
    ("registry_achievementunit", UNIT_COLUMNS),
    ("registry_completer", COMPLETER_COLUMNS),
    ("registry_ipright", IP_COLUMNS),
    ("registry_achievementtranslation", TRANSLATION_COLUMNS),
)


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(["%s"] * len(columns))
    return f'INSERT INTO "{table}" ({names}) VALUES ({values})'  # noqa: S608 (fixed names)


def _utc(moment: datetime) -> str:
    """A datetime as Django stores it on SQLite with USE_TZ: naive UTC, ISO with a space."""
    return str(moment.astimezone(UTC).replace(tzinfo=None))


def _people(n: int) -> tuple[str, str]:
    first = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
    return first, SURNAMES[(n // 7) % len(SURNAMES)] + GIVEN[(n // 3) % len(GIVEN)]


def create_units(units: Sequence[tuple[int, str, str]]) -> list[int]:
    """Verified organisations for ``units`` (``Generator.units``: serial, name, English name),
    each with a valid credit code; returns their ids in the same order."""
    from django.db import transaction

    from kttc.core.models import Organisation

    now = datetime.now(UTC)
    rows = []
    for serial, name, name_en in units:
        kind = next((k for suffix, k in UNIT_KINDS if name.endswith(suffix)), "research_institute")
        body8 = f"BN{serial:06d}"
        organisation_code = body8 + organisation_code_check_char(body8)
        rows.append(
            Organisation(
                name=name,
                name_en=name_en,
                kind=kind,
                is_municipal=serial % 3 == 0,
                credit_code=make_uscc(f"12530100{organisation_code}"),
                region="云南省",
                verified_at=now,
            )
        )
    with transaction.atomic():
        created = Organisation.objects.bulk_create(rows)
    return [o.pk for o in created]


def _rows(
    record: Record,
    pk: int,
    unit: tuple[int, str],
    *,
    status: str,
    confidentiality: str,
    now: str,
    due: date | None = None,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    unit_id, unit_name = unit
    published = status == "published"
    formation = record.published_at.date() - timedelta(days=pk % 60)
    if formation.year != record.year:
        formation = record.published_at.date()
    achievement = (
        pk,
        record.name,
        "applied",
        "original",
        json.dumps(record.keywords),
        record.abstract,
        record.discipline_code,
        record.industry_code,
        record.trl,
        trl_stage(record.trl),
        "domestic_leading" if pk % 5 == 0 else "not_evaluated",
        str(formation),
        confidentiality,
        False,
        json.dumps(record.transformation_modes),
        record.use_first_pay_later,
        "面议" if pk % 3 == 0 else "",
        "",
        "",
        "",
        "zh-hans",
        status,
        str(due) if due else None,
        _utc(record.published_at - timedelta(days=3)) if published else None,
        _utc(record.published_at) if published else None,
        "",
        f"B{pk:08d}",
        now,
        now,
        unit_id,
        None,
    )
    first, second = _people(pk)
    children = [
        (pk, 1, unit_name, unit_id, "70.00"),
        (pk, 2, f"{unit_name}分部", None, "30.00"),
        (pk, 1, first, unit_name, None, "60.00"),
        (pk, 2, second, unit_name, None, "40.00"),
    ]
    rights = [
        (pk, kind, number, "", IP_STATUSES[(pk + i) % len(IP_STATUSES)], None)
        for i, (kind, number) in enumerate(record.ip_rights)
    ]
    translations = []
    if record.en:
        name, abstract, keywords = record.en
        translations.append((pk, "en", name, abstract, json.dumps(keywords), "", "", ""))
    return achievement, children, rights, translations


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def raw_insert(
    records: Iterable[Record],
    unit_ids: Sequence[int],
    *,
    batch: int = 10_000,
    status: str = "published",
    confidentiality: str = "public",
    using: str = "default",
    counts: dict[str, int] | None = None,
    due: Callable[[int], date | None] | None = None,
) -> int:
    """Insert ``records`` with ``executemany``, one transaction per ``batch`` records; returns
    how many achievements were written.

    Achievement ids continue after the largest id in the table (so from 1 in an empty database:
    the id of a record is then its ``Record.id``). ``Record.unit_id`` is mapped onto
    ``unit_ids`` (existing organisations) round robin. ``status`` ``"published"`` fills
    ``submitted_at`` and ``published_at`` from the record; any other status leaves them empty.
    ``counts``, when given, receives the rows written per table. ``due``, when given, gives the
    due date on the platform (``submission_due``, M8.6) of the achievement with each id."""
    from django.db import connections, transaction

    if not unit_ids:
        raise ValueError("raw_insert needs at least one organisation id in unit_ids")
    connection = connections[using]
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(unit_ids))
        sql = f"SELECT id, name FROM core_organisation WHERE id IN ({marks})"  # noqa: S608
        cursor.execute(sql, list(unit_ids))
        names = dict(cursor.fetchall())
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM registry_achievement")
        next_pk = int(cursor.fetchone()[0]) + 1
    missing = [pk for pk in unit_ids if pk not in names]
    if missing:
        raise ValueError(f"no organisation with the ids {missing[:5]}")
    units = [(pk, names[pk]) for pk in unit_ids]
    statements = [_insert_sql(table, columns) for table, columns in TABLES]
    tally = dict.fromkeys((table for table, _c in TABLES), 0)
    now = _utc(datetime.now(UTC))
    written = 0
    for chunk in _batches(records, batch):
        achievements, units_rows, completers, rights, translations = [], [], [], [], []
        for record in chunk:
            unit = units[(record.unit_id - 1) % len(units)]
            row, children, ips, texts = _rows(
                record,
                next_pk,
                unit,
                status=status,
                confidentiality=confidentiality,
                now=now,
                due=due(next_pk) if due else None,
            )
            achievements.append(row)
            units_rows += children[:2]
            completers += children[2:]
            rights += ips
            translations += texts
            next_pk += 1
        tables = (achievements, units_rows, completers, rights, translations)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for (table, _columns), sql, rows in zip(TABLES, statements, tables, strict=True):
                if rows:
                    cursor.executemany(sql, rows)
                    tally[table] += len(rows)
        written += len(chunk)
    if counts is not None:
        for table, n in tally.items():
            counts[table] = counts.get(table, 0) + n
    return written
